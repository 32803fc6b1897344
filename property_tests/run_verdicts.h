#pragma once

// Verdicts shared by several properties, phrased as violations (property_check.h).

#include <string_view>

#include "property_tests/property_check.h"
#include "scenarios/runner.h"

namespace flinksim::property_tests {

// Liveness: every generated fault schedule heals and the sources are bounded, so the job must
// be FINISHED by the end of the run. `which` names the run in the message ("faulty run").
Violation expect_finished(const scenarios::RunOutcome& outcome, std::string_view which);

}  // namespace flinksim::property_tests
