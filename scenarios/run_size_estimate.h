#pragma once

// Sizes no simulation can finish (issue 21: `rate: 1000000000000/s`, parallelism 32,768, 10,000
// TaskManagers, `duration: 3650 d` ran until killed). The loader estimates what a run would
// simulate before it starts and rejects it beyond these ceilings, with the estimate in the
// message. The ceilings are set where one run takes hours of computation, not at what fits in
// memory exactly: a source -> sink job simulates about 4.7 million records a wall second (100
// days at 1,000 records/s, 8.6 x 10^9 records, take half an hour a run, and `flinksim run` runs
// it twice, with its reference); richer jobs are slower.

#include <cstdint>

#include "scenarios/scenario_spec.h"

namespace flinksim::scenarios {

// Simulated source records of one run: 10^10 is a day at the default budget of 100,000
// simulated records a second.
inline constexpr double kMaxSimulatedSourceRecords = 1e10;
// Heartbeat messages of one run (each TaskManager exchanges two heartbeats, request and
// response, with the JobManager and the ResourceManager every heartbeat.interval).
inline constexpr double kMaxHeartbeatMessages = 1e10;
// Input channels of the execution graph (an ALL_TO_ALL edge has producer x consumer of them):
// 10^7 is parallelism 3,162 on both sides of one ALL_TO_ALL edge.
inline constexpr double kMaxInputChannels = 1e7;
// Tasks (subtasks of all vertices).
inline constexpr double kMaxTasks = 1e6;

struct RunSizeEstimate {
  // Σ over sources of what they read in the run, divided by records-per-simulated-record:
  // parallelism x rate x duration, or `records` for a bounded source (whichever is less).
  double simulated_source_records = 0;
  int64_t records_per_simulated_record = 1;
  double heartbeat_messages = 0;
  double input_channels = 0;
  double tasks = 0;
};

// Needs spec.job; without one only the heartbeats are estimated.
RunSizeEstimate estimate_run_size(const ScenarioSpec& spec);

}  // namespace flinksim::scenarios
