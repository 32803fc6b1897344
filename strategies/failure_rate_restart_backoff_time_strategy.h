#pragma once

// Flink's FailureRateRestartBackoffTimeStrategy: remembers the last max+1 failure times; once
// it holds more than `max_failures_per_interval`, a restart is allowed only while the oldest
// remembered failure lies strictly more than `interval` before now. So the job fails when
// max+1 failures fall within one interval.

#include <cstdint>
#include <deque>
#include <memory>

#include "strategies/restart_backoff_time_strategy.h"

namespace flinksim::strategies {

class FailureRateRestartBackoffTimeStrategy final : public RestartBackoffTimeStrategy {
 public:
  // Validation as Flink: max > 0, interval > 0 ms, backoff >= 0 ms.
  static sim::Result<std::unique_ptr<FailureRateRestartBackoffTimeStrategy>> create(
      int64_t max_failures_per_interval, int64_t failures_interval_ms, int64_t backoff_ms);

  bool notify_failure(sim::Instant now) override;
  bool can_restart(sim::Instant now) const override;
  sim::Result<sim::Duration> backoff_time(sim::Instant now) const override;
  std::string describe() const override;

 private:
  FailureRateRestartBackoffTimeStrategy(int64_t max_failures, int64_t interval_ms,
                                        int64_t backoff_ms)
      : max_failures_per_interval_(max_failures),
        failures_interval_ms_(interval_ms),
        backoff_ms_(backoff_ms) {}
  bool is_failure_queue_full() const {
    return static_cast<int64_t>(failure_timestamps_ms_.size()) > max_failures_per_interval_;
  }

  int64_t max_failures_per_interval_;
  int64_t failures_interval_ms_;
  int64_t backoff_ms_;
  std::deque<int64_t> failure_timestamps_ms_;
};

}  // namespace flinksim::strategies
