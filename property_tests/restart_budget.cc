#include "property_tests/restart_budget.h"

namespace flinksim::property_tests {

std::vector<bool> fixed_delay_decisions(size_t failures, int64_t attempts) {
  std::vector<bool> decisions;
  for (size_t n = 1; n <= failures; ++n) {
    decisions.push_back(static_cast<int64_t>(n) <= attempts);
    if (!decisions.back()) break;
  }
  return decisions;
}

std::vector<bool> failure_rate_decisions(const std::vector<int64_t>& failure_times_ms,
                                         int64_t max_failures_per_interval, int64_t interval_ms) {
  std::vector<bool> decisions;
  // The strategy holds up to max + 1 instants and is full when it holds more than max.
  const auto window = static_cast<size_t>(max_failures_per_interval) + 1;
  for (size_t k = 0; k < failure_times_ms.size(); ++k) {
    // Held after recording failure k: failures k - window + 1 .. k.
    const bool full = k + 1 >= window;
    decisions.push_back(!full || failure_times_ms[k] - failure_times_ms[k + 1 - window] > interval_ms);
    if (!decisions.back()) break;
  }
  return decisions;
}

}  // namespace flinksim::property_tests
