#include "model/jobmaster/slot_request_bulk.h"

namespace flinksim::model {

SlotRequestBulk::Check SlotRequestBulk::check(sim::Instant now, sim::Duration timeout,
                                              size_t pending, size_t reusable_slots) {
  if (pending == 0) return Check::fulfilled;
  if (pending <= reusable_slots) {
    unfulfillable = false;
    return Check::pending;
  }
  // markUnfulfillable keeps the first instant of an unbroken unfulfillable stretch.
  if (!unfulfillable) {
    unfulfillable = true;
    unfulfillable_since = now;
  }
  return unfulfillable_since + timeout <= now ? Check::timeout : Check::pending;
}

}  // namespace flinksim::model
