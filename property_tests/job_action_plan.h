#pragma once

// Generated operator actions (docs/savepoints.md) for a fault schedule, issue 22: savepoints,
// stop-with-savepoint, cancel and resubmissions, at times in the fault window or at protocol
// moments (right after a checkpoint or a savepoint completed). They are mixed with the
// generated faults, which strike before and after them.

#include <rapidcheck.h>

#include <vector>

#include "property_tests/fault_command.h"
#include "sim/time.h"

namespace flinksim::property_tests {

enum class ActionPlan {
  none,
  // 1-2 intermediate savepoints: the job runs on, failovers restore checkpoints only.
  intermediate_savepoints,
  // 0-1 savepoints, a stop-with-savepoint (without drain: a drained job ends its input for good,
  // and a job restored from it finishes at once), then `start-from-savepoint: latest` 0-2 s
  // after the job FINISHED.
  stop_and_resume,
  // 0-2 savepoints, a cancel, then `start-from-savepoint: latest` or `start-from-checkpoint:
  // latest` 0-2 s after the job was CANCELED.
  cancel_and_resume,
  // A cancel alone. Batch jobs get only this: Flink refuses savepoints of a job that is not a
  // streaming one (SchedulerBase#triggerSavepoint: no CheckpointCoordinator).
  cancel,
};

struct ActionWindow {
  sim::Duration from;
  sim::Duration to;
};

rc::Gen<std::vector<FaultCommand>> generate_job_actions(ActionPlan plan, ActionWindow window);

// What the YAML writes for `start-from-checkpoint` to find a checkpoint after a cancel
// (execution.checkpointing.externalized-checkpoint-retention), drawn with cancel_and_resume.
rc::Gen<std::string> generate_checkpoint_retention();

}  // namespace flinksim::property_tests
