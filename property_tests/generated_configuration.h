#pragma once

// The generated Flink configuration: failover strategy, checkpointing and a restart strategy
// with attempts to spare, so that every fault schedule that heals leaves the job able to
// finish. Heartbeats are fast (1 s interval, 3 s timeout) to keep runs short.

#include <rapidcheck.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.h"

namespace flinksim::property_tests {

enum class FailoverStrategy { full, region };
// restart-strategy.type. Each is generated with room for every failure a healing schedule can
// cause, so that the job always recovers.
enum class RestartStrategy { fixed_delay, exponential_delay, failure_rate };
enum class CheckpointingMode { exactly_once, at_least_once };

struct GeneratedConfiguration {
  FailoverStrategy failover = FailoverStrategy::region;
  sim::Duration checkpoint_interval = sim::Duration::seconds(1);
  CheckpointingMode checkpointing_mode = CheckpointingMode::exactly_once;
  // Only with exactly_once, as in Flink.
  bool unaligned = false;
  // execution.checkpointing.num-retained: with more than one, a restore has older checkpoints to
  // (wrongly) choose from.
  int num_retained = 1;
  // execution.state-recovery.approximate-local-recovery (FLIP-135); never drawn, a property sets
  // it. Only with aligned checkpoints, as in Flink.
  bool approximate_local_recovery = false;
  // execution.batch.job-recovery.enabled (FLIP-383); never drawn, a property sets it.
  bool batch_job_recovery = false;
  RestartStrategy restart_strategy = RestartStrategy::fixed_delay;
  // fixed-delay's and failure-rate's delay; exponential-delay's initial backoff.
  sim::Duration restart_delay = sim::Duration::milliseconds(500);
  // fixed-delay: attempts; failure-rate: max failures per interval.
  int64_t restart_attempts = 1000;
  // failure-rate: failure-rate-interval.
  sim::Duration failure_rate_interval = sim::Duration::minutes(1);
  // exponential-delay: max-backoff, backoff-multiplier (in tenths: 20 is 2.0, so that the YAML
  // shows it exactly) and jitter-factor (in tenths). Attempts before a reset are Flink's default,
  // unbounded.
  sim::Duration restart_delay_max = sim::Duration::seconds(2);
  int64_t backoff_multiplier_tenths = 20;
  int64_t jitter_factor_tenths = 0;
  // execution.checkpointing.tolerable-failed-checkpoints; unset writes nothing (Flink: 0).
  std::optional<int64_t> tolerable_failed_checkpoints;
  sim::Duration heartbeat_interval = sim::Duration::seconds(1);
  sim::Duration heartbeat_timeout = sim::Duration::seconds(3);
  // execution.checkpointing.savepoint-dir, set where the schedule has operator actions (without
  // it Flink fails every savepoint request).
  bool savepoint_dir = false;
  // execution.checkpointing.externalized-checkpoint-retention; empty writes nothing.
  std::string checkpoint_retention;

  // The longest pause a restart strategy may put between a failure and its restart.
  sim::Duration restart_delay_longest() const;
};

// `modes` lists the checkpointing modes to draw from, simplest first.
rc::Gen<GeneratedConfiguration> generate_configuration(std::vector<CheckpointingMode> modes);

// The same, with every restart strategy (fixed-delay, exponential-delay, failure-rate), 0-10
// tolerable failed checkpoints, and heartbeats every 0.5-1 s with a 2-4 s timeout.
rc::Gen<GeneratedConfiguration> generate_varied_configuration(std::vector<CheckpointingMode> modes);

// Restart budgets a schedule may exhaust: fixed-delay with 1-5 attempts or failure-rate with
// 1-5 failures per 5-60 s (the job may then FAIL), heartbeats as the varied configuration's.
rc::Gen<GeneratedConfiguration> generate_small_budget_configuration(
    std::vector<CheckpointingMode> modes);

std::string_view to_string(FailoverStrategy strategy);
std::string_view to_string(CheckpointingMode mode);
std::string_view to_string(RestartStrategy strategy);

}  // namespace flinksim::property_tests
