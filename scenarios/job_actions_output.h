#pragma once

// How a run reports its operator actions (docs/savepoints.md): the savepoints asked for (id,
// trigger time, duration, size), each submission of the job with its status and the upgrade
// downtime before it, and the actions that were refused. In `run --json` under "job_actions",
// and as text lines; both only when the scenario has actions.

#include <nlohmann/json.hpp>

#include <string>

#include "model/cluster.h"

namespace flinksim::scenarios {

bool has_job_actions(const model::RunMetrics& metrics);
nlohmann::ordered_json job_actions_json(const model::RunMetrics& metrics);
std::string job_actions_text(const model::RunMetrics& metrics);

}  // namespace flinksim::scenarios
