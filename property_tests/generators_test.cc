// Goal: every generated scenario is valid by construction — the scenario loader accepts its
// YAML as written, and the loaded job has the generated shape. Method: RapidCheck generates
// scenarios of every shape the properties use and loads them; nothing is simulated, so this
// runs many cases cheaply and catches generator bugs before the properties spend runs on them.
#include <gtest/gtest.h>

#include "property_tests/property_check.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

Violation loads_as_generated(const GeneratedScenario& scenario) {
  const scenarios::ScenarioSpec spec = load_generated(scenario);
  if (!spec.job) return "the loaded scenario has no job";
  if (spec.seed != scenario.seed) return "the loaded seed differs";
  if (spec.faults.empty()) return "the loaded scenario has no faults";
  if (spec.job->vertices().size() != scenario.job.vertices.size()) {
    return "the loaded job has " + std::to_string(spec.job->vertices().size()) + " vertices";
  }
  return std::nullopt;
}

TEST(Generators, ExactlyOnceShapeLoadsAsGenerated) {
  ScenarioShape shape;
  shape.name = "generators-exactly-once";
  shape.jitter = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), loads_as_generated);
}

TEST(Generators, AtLeastOnceShapeLoadsAsGenerated) {
  ScenarioShape shape;
  shape.name = "generators-at-least-once";
  shape.jitter = true;
  shape.delivery = graph::SinkDelivery::at_least_once;
  shape.modes = {CheckpointingMode::exactly_once, CheckpointingMode::at_least_once};
  shape.expect = ExpectedOutcome{.finished = true, .no_records_lost = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), loads_as_generated);
}

}  // namespace
}  // namespace flinksim::property_tests
