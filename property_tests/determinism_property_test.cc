// Goal: a run is a function of scenario and seed. Method: RapidCheck generates scenarios with
// fault schedules; each runs twice in the same process and both runs must give the same trace
// hash (every traced event with its virtual time) and the same committed output.
#include <gtest/gtest.h>

#include "property_tests/property_check.h"
#include "property_tests/scenario_loading.h"
#include "scenarios/runner.h"

namespace flinksim::property_tests {
namespace {

Violation same_trace_twice(const GeneratedScenario& scenario) {
  const scenarios::ScenarioSpec spec = load_generated(scenario);
  const scenarios::RunOutcome first = scenarios::run_once(spec, true, false);
  const scenarios::RunOutcome second = scenarios::run_once(spec, true, false);
  if (first.trace_hash != second.trace_hash) {
    return "trace hash " + first.trace_hash + " then " + second.trace_hash;
  }
  if (first.metrics.committed_output.size() != second.metrics.committed_output.size()) {
    return "committed " + std::to_string(first.metrics.committed_output.size()) + " then " +
           std::to_string(second.metrics.committed_output.size()) + " records";
  }
  return std::nullopt;
}

TEST(DeterminismProperty, SameScenarioAndSeedGiveTheSameTrace) {
  ScenarioShape shape;
  shape.name = "determinism";
  shape.jitter = true;
  shape.modes = {CheckpointingMode::exactly_once, CheckpointingMode::at_least_once};
  shape.expect = ExpectedOutcome{.finished = false};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape), same_trace_twice);
}

}  // namespace
}  // namespace flinksim::property_tests
