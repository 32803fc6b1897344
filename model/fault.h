#pragma once

// Faults as the cluster injects them (SCENARIOS.md §2, `faults:`). Targets are process names
// resolved at the moment of the fault: "taskmanager-2", "jobmanager-leader",
// "taskmanager-of window:1".

#include <optional>
#include <string>
#include <vector>

#include "model/checkpoint/snapshot_type.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace flinksim::model {

// A protocol moment a fault waits for instead of a time (SCENARIOS.md §2, `after:`): the first
// trace event of `component` and `kind` whose detail is `detail` or starts with it and a space
// (any detail when empty). The fault strikes `delay` after it, as an event of its own, never
// inside the protocol step that traced the moment.
struct FaultMoment {
  std::string component;  // "checkpoint-coordinator", "sink:0", "jobmanager-1"
  std::string kind;       // "checkpoint-completed", "barrier", "FINISHED", "granted leadership"
  std::string detail;     // "id=3", or empty
  sim::Duration delay;
  std::string text;  // as the scenario wrote it: "checkpoint 3 completed + 5 ms"

  bool matches(const sim::TraceEvent& event) const {
    if (event.component != component || event.kind != kind) return false;
    return detail.empty() || event.detail == detail || event.detail.starts_with(detail + " ");
  }
};

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
  // Set: the fault waits for this moment; `at` is Instant::max() until the moment comes, then
  // when the fault strikes.
  std::optional<FaultMoment> after;
};

// Faults drawn from the seed: exponential inter-arrival times with the given mean rates.
struct RandomFaults {
  double kill_taskmanager_per_second = 0;
  double fail_task_per_second = 0;
  sim::Instant until;
};

// Operator actions on the job (SCENARIOS.md §2, `faults:` entries such as `savepoint: job`):
// what a Flink user does through the CLI or REST API at a given time, beside the faults. They are
// left out of the failure-free reference run, like the faults (docs/savepoints.md).
// execution.state-recovery.claim-mode (FLIP-193): who owns the snapshot a job starts from.
enum class ClaimMode { no_claim, claim };

struct JobAction {
  enum class Kind {
    savepoint,              // flink savepoint
    stop_with_savepoint,    // flink stop [--drain]
    cancel,                 // flink cancel
    start_from_savepoint,   // flink run -s <latest savepoint>
    start_from_checkpoint,  // flink run -s <latest retained checkpoint>
  };
  sim::Instant at;
  Kind kind = Kind::savepoint;
  bool drain = false;          // stop_with_savepoint
  bool native_format = false;  // savepoint, stop_with_savepoint: `format: native`
  ClaimMode claim_mode = ClaimMode::no_claim;  // start_from_*
  bool allow_non_restored_state = false;       // start_from_*
  // Set: the action waits for this moment, as a fault does (`at` is Instant::max() until then).
  std::optional<FaultMoment> after;
  std::string text;  // as the scenario wrote it: "stop-with-savepoint: job"

  checkpoint::SnapshotType snapshot_type() const {
    if (kind != Kind::stop_with_savepoint) return checkpoint::SnapshotType::savepoint;
    return drain ? checkpoint::SnapshotType::savepoint_terminate
                 : checkpoint::SnapshotType::savepoint_suspend;
  }
  bool submits() const { return kind == Kind::start_from_savepoint || kind == Kind::start_from_checkpoint; }
};

struct FaultPlan {
  std::vector<Fault> faults;
  std::vector<JobAction> actions;
  std::optional<RandomFaults> random;
};

}  // namespace flinksim::model
