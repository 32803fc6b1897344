#include "strategies/failure_rate_restart_backoff_time_strategy.h"

namespace flinksim::strategies {

sim::Result<std::unique_ptr<FailureRateRestartBackoffTimeStrategy>>
FailureRateRestartBackoffTimeStrategy::create(int64_t max_failures_per_interval,
                                              int64_t failures_interval_ms, int64_t backoff_ms) {
  if (max_failures_per_interval <= 0) {
    return sim::Error{"Maximum number of restart attempts per time unit must be greater than 0."};
  }
  if (failures_interval_ms <= 0) {
    return sim::Error{"Failures interval must be greater than 0 ms."};
  }
  if (backoff_ms < 0) return sim::Error{"Backoff time must be at least 0 ms."};
  return std::unique_ptr<FailureRateRestartBackoffTimeStrategy>(
      new FailureRateRestartBackoffTimeStrategy(max_failures_per_interval, failures_interval_ms,
                                                backoff_ms));
}

bool FailureRateRestartBackoffTimeStrategy::notify_failure(sim::Instant now) {
  if (is_failure_queue_full()) failure_timestamps_ms_.pop_front();
  failure_timestamps_ms_.push_back(now.milliseconds_since_start());
  return true;
}

bool FailureRateRestartBackoffTimeStrategy::can_restart(sim::Instant now) const {
  if (!is_failure_queue_full()) return true;
  return now.milliseconds_since_start() - failure_timestamps_ms_.front() > failures_interval_ms_;
}

sim::Result<sim::Duration> FailureRateRestartBackoffTimeStrategy::backoff_time(
    sim::Instant) const {
  return sim::Duration::milliseconds(backoff_ms_);
}

std::string FailureRateRestartBackoffTimeStrategy::describe() const {
  return "FailureRateRestartBackoffTimeStrategy(failuresIntervalMS=" +
         std::to_string(failures_interval_ms_) + ",backoffTimeMS=" + std::to_string(backoff_ms_) +
         ",maxFailuresPerInterval=" + std::to_string(max_failures_per_interval_) + ")";
}

}  // namespace flinksim::strategies
