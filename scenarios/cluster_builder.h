#pragma once

// Turns a validated ScenarioSpec into what the model runs: ClusterOptions (every Flink key the
// model reads, typed) and the FaultPlan. `without_faults` gives the failure-free reference run.

#include "model/cluster_options.h"
#include "model/fault.h"
#include "scenarios/scenario_spec.h"

namespace flinksim::scenarios {

enum class FaultSelection { as_written, without_faults };

model::ClusterOptions build_cluster_options(const ScenarioSpec& spec);
model::FaultPlan build_fault_plan(const ScenarioSpec& spec, FaultSelection selection);

}  // namespace flinksim::scenarios
