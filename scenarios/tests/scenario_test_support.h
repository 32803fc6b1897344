#pragma once

// Helpers the scenario tests share: load a scenario from YAML text (failing the test with the
// loader's diagnostics), and run it twice, checking that both runs leave the same trace hash.

#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::scenarios::testing {

inline ScenarioSpec load(const std::string& yaml) {
  Diagnostics diagnostics;
  std::optional<ScenarioSpec> spec = load_scenario_text(yaml, "test.yaml", diagnostics);
  EXPECT_TRUE(spec.has_value()) << diagnostics.format();
  return spec ? *spec : ScenarioSpec{};
}

// The faulty run only (no reference), twice; `capture` keeps the trace events.
inline RunOutcome run_twice(const ScenarioSpec& spec, bool capture = false) {
  const RunOutcome first = run_once(spec, true, capture);
  const RunOutcome second = run_once(spec, true, capture);
  EXPECT_EQ(first.trace_hash, second.trace_hash) << "nondeterminism in " << spec.name;
  EXPECT_EQ(first.events, second.events);
  EXPECT_EQ(first.metrics.committed_output.size(), second.metrics.committed_output.size());
  return first;
}

// The whole `flinksim run`: faulty run, reference and oracle, twice.
inline RunResult run_scenario_twice(const ScenarioSpec& spec) {
  const RunResult first = run_scenario(spec);
  const RunResult second = run_scenario(spec);
  EXPECT_EQ(first.run.trace_hash, second.run.trace_hash) << "nondeterminism in " << spec.name;
  return first;
}

}  // namespace flinksim::scenarios::testing
