#pragma once

// Generated scenarios enter the simulator the way a user's file does: as YAML text through the
// scenario loader, so that the file written for a counterexample is exactly what ran.

#include "property_tests/generated_scenario.h"
#include "scenarios/scenario_spec.h"

namespace flinksim::property_tests {

// Throws std::logic_error with the loader's diagnostics if the loader rejects the scenario:
// generated scenarios are valid by construction, so that is a bug of the generators.
scenarios::ScenarioSpec load_generated(const GeneratedScenario& scenario);

}  // namespace flinksim::property_tests
