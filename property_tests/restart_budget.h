#pragma once

// What Flink's restart strategies decide for a sequence of handled failures, written again from
// their definitions for the restart-budget property (not by calling strategies/): each failure
// the JobMaster handles is first recorded (notifyFailure), then the strategy says whether the job
// may restart (canRestart); the first "no" fails the job, and no later failure is handled.
//   fixed-delay (FixedDelayRestartBackoffTimeStrategy): the n-th failure restarts while
//     n <= restart-strategy.fixed-delay.attempts.
//   failure-rate (FailureRateRestartBackoffTimeStrategy, Flink 1.20 / master): the strategy
//     keeps the instants of the last max-failures-per-interval + 1 failures, in milliseconds;
//     once it holds that many, a failure restarts only if the oldest of them lies more than
//     failure-rate-interval before it. So the job fails on the (max+1)-th failure within one
//     interval. (Older releases compared with >= and failed on the max-th.)

#include <cstddef>
#include <cstdint>
#include <vector>

namespace flinksim::property_tests {

// One decision per failure, true = restart; stops after the first false.
std::vector<bool> fixed_delay_decisions(size_t failures, int64_t attempts);
std::vector<bool> failure_rate_decisions(const std::vector<int64_t>& failure_times_ms,
                                         int64_t max_failures_per_interval, int64_t interval_ms);

}  // namespace flinksim::property_tests
