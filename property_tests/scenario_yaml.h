#pragma once

// Writes a generated scenario as a scenario file (SCENARIOS.md §2) that the loader accepts and
// `flinksim run` replays.

#include <string>
#include <string_view>

#include "property_tests/generated_scenario.h"

namespace flinksim::property_tests {

// `header` lines, if any, open the file as YAML comments (e.g. the violated property).
std::string to_yaml(const GeneratedScenario& scenario, std::string_view header = {});

}  // namespace flinksim::property_tests
