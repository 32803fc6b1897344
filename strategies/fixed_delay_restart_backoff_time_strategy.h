#pragma once

// Flink's FixedDelayRestartBackoffTimeStrategy: every failure counts; with `attempts` = N the
// job restarts N times and the (N+1)-th failure fails it; the delay is constant.

#include <cstdint>
#include <memory>

#include "strategies/restart_backoff_time_strategy.h"

namespace flinksim::strategies {

class FixedDelayRestartBackoffTimeStrategy final : public RestartBackoffTimeStrategy {
 public:
  // Validation as Flink: attempts >= 0, backoff >= 0 ms.
  static sim::Result<std::unique_ptr<FixedDelayRestartBackoffTimeStrategy>> create(
      int64_t max_restart_attempts, int64_t backoff_ms);

  bool notify_failure(sim::Instant now) override;
  bool can_restart(sim::Instant now) const override;
  sim::Result<sim::Duration> backoff_time(sim::Instant now) const override;
  std::string describe() const override;

 private:
  FixedDelayRestartBackoffTimeStrategy(int64_t max_restart_attempts, int64_t backoff_ms)
      : max_restart_attempts_(max_restart_attempts), backoff_ms_(backoff_ms) {}

  int64_t max_restart_attempts_;
  int64_t backoff_ms_;
  int64_t current_restart_attempt_ = 0;
};

}  // namespace flinksim::strategies
