#pragma once

// Faults as the cluster injects them (SCENARIOS.md §2, `faults:`). Targets are process names
// resolved at the moment of the fault: "taskmanager-2", "jobmanager-leader",
// "taskmanager-of window:1".

#include <optional>
#include <string>
#include <vector>

#include "sim/time.h"

namespace flinksim::model {

struct Fault {
  // outage: an external service (checkpoint-storage, sink-store) refuses every request for
  // `duration`, as a crashed and restarted process does. slow: the link between two processes
  // gets `extra_latency` on top of its own for `duration` (a congested or long route).
  enum class Kind { kill, restart, fail_task, partition, outage, slow };
  sim::Instant at;
  Kind kind = Kind::kill;
  std::string target;  // a process, or a task VERTEX:SUBTASK for fail_task
  std::string peer;    // partition: the other side
  std::optional<sim::Duration> duration;  // partition, outage, slow: over after this long
  bool one_way = false;                   // partition: only target → peer is cut
  sim::Duration extra_latency;            // slow
};

// Faults drawn from the seed: exponential inter-arrival times with the given mean rates.
struct RandomFaults {
  double kill_taskmanager_per_second = 0;
  double fail_task_per_second = 0;
  sim::Instant until;
};

struct FaultPlan {
  std::vector<Fault> faults;
  std::optional<RandomFaults> random;
};

}  // namespace flinksim::model
