#pragma once

// The generated Flink configuration: failover strategy, checkpointing and a restart strategy
// with attempts to spare, so that every fault schedule that heals leaves the job able to
// finish. Heartbeats are fast (1 s interval, 3 s timeout) to keep runs short.

#include <rapidcheck.h>

#include <vector>

#include "sim/time.h"

namespace flinksim::property_tests {

enum class FailoverStrategy { full, region };
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
  sim::Duration restart_delay = sim::Duration::milliseconds(500);
  int64_t restart_attempts = 1000;
  sim::Duration heartbeat_interval = sim::Duration::seconds(1);
  sim::Duration heartbeat_timeout = sim::Duration::seconds(3);
};

// `modes` lists the checkpointing modes to draw from, simplest first.
rc::Gen<GeneratedConfiguration> generate_configuration(std::vector<CheckpointingMode> modes);

std::string_view to_string(FailoverStrategy strategy);
std::string_view to_string(CheckpointingMode mode);

}  // namespace flinksim::property_tests
