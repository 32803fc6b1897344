// Goal: a region's slot requests time out as Flink's PhysicalSlotRequestBulkCheckerImpl decides
// (checkPhysicalSlotRequestBulkTimeout): done when nothing is pending, a fulfillable check stops
// the clock, and a timeout needs an unbroken unfulfillable stretch of the whole timeout. Method:
// the checks a 5 min timeout makes at 300 s, 600 s, 900 s after a bulk made at 0 s.
#include "model/jobmaster/slot_request_bulk.h"

#include <gtest/gtest.h>

namespace flinksim::model {
namespace {

const sim::Duration kTimeout = sim::Duration::minutes(5);

sim::Instant at_s(int64_t s) {
  return sim::Instant::zero() + sim::Duration::seconds(s);
}

SlotRequestBulk made_at(int64_t s) {
  SlotRequestBulk bulk;
  bulk.unfulfillable_since = at_s(s);  // schedulePendingRequestBulkTimeoutCheck marks it so
  return bulk;
}

TEST(SlotRequestBulk, NothingPendingIsFulfilled) {
  SlotRequestBulk bulk = made_at(0);
  EXPECT_EQ(bulk.check(at_s(300), kTimeout, 0, 0), SlotRequestBulk::Check::fulfilled);
}

TEST(SlotRequestBulk, UnfulfillableForTheWholeTimeoutTimesOutAtTheFirstCheck) {
  SlotRequestBulk bulk = made_at(0);
  EXPECT_EQ(bulk.check(at_s(300), kTimeout, 2, 1), SlotRequestBulk::Check::timeout);
}

TEST(SlotRequestBulk, AFulfillableCheckRestartsTheClock) {
  // Fulfillable at 300 s (2 pending, 2 reusable), unfulfillable from the 600 s check: the
  // stretch starts at 600 s, so 900 s times out and 600 s does not.
  SlotRequestBulk bulk = made_at(0);
  EXPECT_EQ(bulk.check(at_s(300), kTimeout, 2, 2), SlotRequestBulk::Check::pending);
  EXPECT_EQ(bulk.check(at_s(600), kTimeout, 2, 1), SlotRequestBulk::Check::pending);
  EXPECT_EQ(bulk.unfulfillable_since, at_s(600));
  EXPECT_EQ(bulk.check(at_s(900), kTimeout, 2, 1), SlotRequestBulk::Check::timeout);
}

TEST(SlotRequestBulk, ABulkMadeLaterWaitsItsOwnTimeout) {
  // Made at 290 s: the check at 590 s is its first; 300 s is not its business.
  SlotRequestBulk bulk = made_at(290);
  EXPECT_EQ(bulk.check(at_s(589), kTimeout, 1, 0), SlotRequestBulk::Check::pending);
  EXPECT_EQ(bulk.check(at_s(590), kTimeout, 1, 0), SlotRequestBulk::Check::timeout);
}

}  // namespace
}  // namespace flinksim::model
