#pragma once

// Loading a scenario file into a ScenarioSpec, and the command-line overrides (`--conf`,
// `--seed`, `--strategy`) that `run`, `compare` and `sweep` apply on top of it.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostics.h"
#include "scenarios/scenario_spec.h"

namespace flinksim::scenarios {

// Reads, parses and validates the scenario at `path`. Every problem of the file is reported to
// `diagnostics` (file:line:col, document path, did-you-mean); returns nullopt if there was any.
std::optional<ScenarioSpec> load_scenario(const std::string& path, Diagnostics& diagnostics);
// The same for text already in memory; `file` names it in diagnostics.
std::optional<ScenarioSpec> load_scenario_text(std::string_view text, const std::string& file,
                                               Diagnostics& diagnostics);

struct ScenarioOverrides {
  std::vector<std::string> conf;  // "KEY=VALUE", Flink keys, applied in order
  std::optional<uint64_t> seed;
  // full | restart-all | region | approximate | approximate-local
  std::optional<std::string> strategy;
};

// The spec with the overrides applied and re-validated (e.g. approximate recovery together with
// unaligned checkpoints is rejected however it came about). Errors name "<command line>".
std::optional<ScenarioSpec> apply_overrides(const ScenarioSpec& spec,
                                            const ScenarioOverrides& overrides,
                                            Diagnostics& diagnostics);
// Only `--conf KEY=VALUE` entries.
std::optional<ScenarioSpec> apply_overrides(const ScenarioSpec& spec,
                                            std::span<const std::string> conf,
                                            Diagnostics& diagnostics);

// The strategy names `--strategy` accepts, and what each one sets.
const std::vector<std::string>& strategy_names();

}  // namespace flinksim::scenarios
