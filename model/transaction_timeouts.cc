#include "model/transaction_timeouts.h"

#include <algorithm>

namespace flinksim::model {

void TransactionTimeouts::on_first_write(const TransactionId& transaction, sim::Instant now,
                                         sim::Duration timeout) {
  // A timeout beyond the simulated time never fires; saturate rather than overflow.
  const sim::Duration room = sim::Instant::max() - now;
  deadlines_.emplace(transaction, timeout >= room ? sim::Instant::max() : now + timeout);
}

std::vector<TransactionId> TransactionTimeouts::expired(sim::Instant now) const {
  std::vector<TransactionId> result;
  for (const auto& [transaction, deadline] : deadlines_) {
    if (deadline < now) result.push_back(transaction);
  }
  return result;
}

std::optional<sim::Instant> TransactionTimeouts::next_abort_check() const {
  if (deadlines_.empty()) return std::nullopt;
  sim::Instant earliest = sim::Instant::max();
  for (const auto& [transaction, deadline] : deadlines_) earliest = std::min(earliest, deadline);
  if (earliest == sim::Instant::max()) return std::nullopt;
  // The first tick origin + k * interval (k >= 1) strictly after the deadline.
  const int64_t interval = cleanup_interval().count_nanoseconds();
  const int64_t since_origin = std::max<int64_t>((earliest - origin_).count_nanoseconds(), 0);
  const int64_t ticks = since_origin / interval + 1;
  return origin_ + sim::Duration::nanoseconds(ticks * interval);
}

}  // namespace flinksim::model
