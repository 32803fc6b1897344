#include "property_tests/scenario_loading.h"

#include <stdexcept>

#include "property_tests/scenario_yaml.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::property_tests {

scenarios::ScenarioSpec load_generated(const GeneratedScenario& scenario) {
  scenarios::Diagnostics diagnostics;
  std::optional<scenarios::ScenarioSpec> spec =
      scenarios::load_scenario_text(to_yaml(scenario), scenario.name + ".yaml", diagnostics);
  if (!spec) {
    throw std::logic_error("the scenario loader rejects a generated scenario:\n" +
                           diagnostics.format());
  }
  return *spec;
}

}  // namespace flinksim::property_tests
