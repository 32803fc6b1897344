#pragma once

// Runs one property over generated scenarios inside the current GoogleTest, with RapidCheck
// generating and shrinking. A violation fails the test once RapidCheck has shrunk it; the
// message gives RapidCheck's seed, the RC_PARAMS that reproduce the run, and the path of the
// shrunk case written as a scenario file that `flinksim run` replays:
//   $TMPDIR/flinksim-counterexample-<property>.yaml   (/tmp without TMPDIR)
// While a case runs, it is also written to flinksim-in-flight-<property>.yaml there, so that a
// model assertion, which aborts the process, still leaves the case that triggered it.

#include <rapidcheck.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "property_tests/generated_scenario.h"

namespace flinksim::property_tests {

// What is wrong with a run; nothing when the property holds.
using Violation = std::optional<std::string>;
using ScenarioProperty = std::function<Violation(const GeneratedScenario&)>;

struct PropertySettings {
  std::string name;  // "exactly-once": names files and messages
  // Generated cases, unless RC_PARAMS sets max_success for every property.
  int cases = 100;
};

void check_property(const PropertySettings& settings, const rc::Gen<GeneratedScenario>& generator,
                    const ScenarioProperty& property);

std::filesystem::path counterexample_path(const std::string& property);
std::filesystem::path in_flight_path(const std::string& property);

}  // namespace flinksim::property_tests
