#pragma once

// What a report shows about one run beyond its `run --json` metrics: the scenario's description,
// configuration and faults, the job graph in DOT, which tasks failed, and the checkpoint history
// (id, trigger, end, status) as Flink's web UI lists it. Built when the run is simulated, stored
// under the run JSON's "report" key, so the report is drawn from the database alone.

#include <nlohmann/json.hpp>

#include <vector>

#include "scenarios/runner.h"
#include "scenarios/scenario_spec.h"
#include "sim/trace.h"

namespace flinksim::reports {

// The "report" object: {description, job_dot, tasks, configuration, faults, tasks_failed,
// checkpoint_history}. `result.run.trace` must have been captured.
nlohmann::ordered_json run_details(const scenarios::ScenarioSpec& spec, const scenarios::RunResult& result);

// Checkpoints in trigger order, from the coordinator's trace events: id, triggered_at_ms,
// ended_at_ms (null while pending at the end), status (completed | failed | pending), reason.
nlohmann::ordered_json checkpoint_history(const std::vector<sim::TraceEvent>& trace);

// Tasks that failed: a FAILED state, or running on a process killed while they were deployed there.
std::vector<std::string> tasks_failed(const std::vector<sim::TraceEvent>& trace);

}  // namespace flinksim::reports
