#pragma once

// Verdicts shared by several properties, phrased as violations (property_check.h).

#include <cstdint>
#include <string_view>
#include <vector>

#include "property_tests/property_check.h"
#include "scenarios/runner.h"

namespace flinksim::property_tests {

// Liveness: every generated fault schedule heals and the sources are bounded, so the job must
// be FINISHED by the end of the run. `which` names the run in the message ("faulty run"). First
// the always-on invariants (model/invariant_monitor.h): none may be broken.
Violation expect_finished(const scenarios::RunOutcome& outcome, std::string_view which);

// The oracle's verdict against the failure-free reference: nothing lost, nothing duplicated and
// the outputs equal.
Violation expect_exactly_once(const scenarios::RunResult& result);

// The oracle found every record of the reference in the faulty run's output.
Violation expect_no_record_lost(const scenarios::RunResult& result);

// The checkpoint id of a checkpoint coordinator trace event (its detail is "id=N").
int64_t checkpoint_id_of(const sim::TraceEvent& event);

// A completed checkpoint, from the coordinator's `checkpoint-completed` trace events.
struct CompletedCheckpoint {
  sim::Instant time;
  int64_t id = 0;
};
// In trace order; needs a captured trace.
std::vector<CompletedCheckpoint> completed_checkpoints(const scenarios::RunOutcome& outcome);

}  // namespace flinksim::property_tests
