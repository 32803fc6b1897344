#pragma once

// Turns a validated ScenarioSpec into what the model runs: ClusterOptions (every Flink key the
// model reads, typed) and the FaultPlan. `without_faults` gives the failure-free reference run.

#include <string>
#include <string_view>
#include <vector>

#include "model/cluster_options.h"
#include "model/fault.h"
#include "scenarios/scenario_spec.h"

namespace flinksim::scenarios {

enum class FaultSelection { as_written, without_faults };

model::ClusterOptions build_cluster_options(const ScenarioSpec& spec);

// The Flink keys whose values reach the model, directly (build_cluster_options) or through the
// job graph (approximate local recovery changes every edge). Every other registered key is
// accepted and validated but not simulated; `flinksim config` says so. Whoever passes a new key
// to the model adds it here, next to the code that reads it.
const std::vector<std::string>& simulated_config_keys();
bool is_simulated_config_key(std::string_view key);
model::FaultPlan build_fault_plan(const ScenarioSpec& spec, FaultSelection selection);

}  // namespace flinksim::scenarios
