#pragma once

// The protocol moments a scenario fault may wait for instead of a time (SCENARIOS.md §2, `after:`),
// and how each maps to the trace event that marks it:
//   checkpoint N triggered | completed | failed    the checkpoint coordinator's event
//   TASK pre-committed checkpoint N                 TASK took its snapshot of N and sent the barrier
//                                                   on (a transactional sink pre-committed then)
//   TASK snapshotted checkpoint N                   the same, for any task
//   TASK deploying | initializing | running | finished | canceled | failed
//                                                   TASK's state on its TaskManager
//   jobmanager-N granted leadership | revoked leadership
// followed by an optional delay: "checkpoint 3 completed + 5 ms". TASK is VERTEX:SUBTASK.

#include <optional>
#include <string_view>

#include "model/fault.h"
#include "scenarios/scenario_spec.h"
#include "sim/result.h"

namespace flinksim::scenarios {

struct ParsedMoment {
  model::FaultMoment moment;
  std::optional<TaskRef> task;              // named, to be checked against the job
  std::optional<int64_t> jobmanager;        // named, to be checked against the cluster
};

// An error names the part of `text` it could not read and lists the forms above.
sim::Result<ParsedMoment> parse_fault_moment(std::string_view text);

}  // namespace flinksim::scenarios
