#pragma once

// Whether, and after how long, a failed job may restart (Flink's RestartBackoffTimeStrategy,
// 1.19+ contract). The failure handler calls notify_failure, then can_restart, then
// backoff_time, all with the current virtual time.
//
// Flink reads a millisecond wall clock; the strategies here take the simulation's Instant and
// work on its whole milliseconds, so their arithmetic is Flink's, in 64 bits.

#include <memory>
#include <string>

#include "sim/result.h"
#include "sim/time.h"

namespace flinksim::strategies {

class RestartBackoffTimeStrategy {
 public:
  virtual ~RestartBackoffTimeStrategy() = default;
  // Records a failure. Returns true if it starts a new restart attempt; false if it was merged
  // into the attempt already scheduled (only exponential-delay merges).
  virtual bool notify_failure(sim::Instant now) = 0;
  // Whether the job may restart (again). Failure-rate depends on the time of the question.
  virtual bool can_restart(sim::Instant now) const = 0;
  // Delay until the restart. Exponential-delay reports the remaining time to the scheduled
  // restart and is an error before the first failure, as Flink's IllegalStateException.
  virtual sim::Result<sim::Duration> backoff_time(sim::Instant now) const = 0;
  // Flink's toString, for logs and the "Recovery is suppressed by ..." message.
  virtual std::string describe() const = 0;
};

}  // namespace flinksim::strategies
