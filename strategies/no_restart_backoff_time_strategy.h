#pragma once

// Flink's NoRestartBackoffTimeStrategy: the first recoverable failure fails the job.

#include "strategies/restart_backoff_time_strategy.h"

namespace flinksim::strategies {

class NoRestartBackoffTimeStrategy final : public RestartBackoffTimeStrategy {
 public:
  bool notify_failure(sim::Instant) override { return true; }
  bool can_restart(sim::Instant) const override { return false; }
  sim::Result<sim::Duration> backoff_time(sim::Instant) const override {
    return sim::Duration::zero();
  }
  std::string describe() const override { return "NoRestartBackoffTimeStrategy"; }
};

}  // namespace flinksim::strategies
