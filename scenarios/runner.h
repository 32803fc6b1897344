#pragma once

// Runs a scenario: the faulty run and its failure-free reference with the same seed, then the
// scenario's expectations. The result serializes to the `run --json` object of SCENARIOS.md §3.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "checks/exactly_once_oracle.h"
#include "model/cluster.h"
#include "scenarios/scenario_spec.h"

namespace flinksim::scenarios {

struct RunOutcome {
  model::RunMetrics metrics;
  uint64_t events = 0;
  sim::Instant virtual_time;
  double wall_seconds = 0;
  std::string trace_hash;
  std::vector<sim::TraceEvent> trace;  // only when captured
};

// A fault of the scenario the run never injected, and why ("job FINISHED at 0.8 s").
struct FaultNotApplied {
  sim::Instant at;
  std::string fault;  // "kill taskmanager-0"
  std::string reason;
};

struct RunResult {
  std::string scenario;
  uint64_t seed = 1;
  std::string strategy;
  // How many real records a simulated record stood for; the verdict's counts are in real records.
  int64_t records_per_simulated_record = 1;
  RunOutcome run;
  RunOutcome reference;
  // Against the reference run; unset when not checked (see exactly_once_not_checked).
  std::optional<checks::ExactlyOnceVerdict> exactly_once;
  // Why there is no verdict: "nothing committed in either run" (equal, but vacuously: no pass);
  // empty when a verdict exists or no reference ran.
  std::string exactly_once_not_checked;
  std::vector<FaultNotApplied> faults_not_applied;
  std::vector<std::string> failed_expectations;
  bool liveness_failure = false;  // an expected final status or recovery did not happen

  // Both the faulty run and its reference read their bounded input to the end, so their outputs
  // and states are comparable whole.
  bool both_finished() const;
  // From the last failure episode's fault until every source that restored with a backlog was
  // back at the head of its log (SourceBacklog::log); unset when no source had to catch up.
  std::optional<int64_t> caught_up_ms() const;
  // 0 all expectations hold, 1 an expectation failed, 3 liveness failure.
  int exit_code() const;
  nlohmann::ordered_json to_json() const;
};

struct RunSettings {
  bool capture_trace = false;
  bool run_reference = true;
};

// "0.8 s", "60.001 s", "80.0 s": seconds to the millisecond, at least one decimal.
std::string seconds_text(sim::Duration duration);
std::string seconds_text(sim::Instant instant);
// "kill taskmanager-0", "partition jobmanager-0 <-> taskmanager-1", "fail-task source:0".
std::string fault_text(const model::Fault& fault);

RunOutcome run_once(const ScenarioSpec& spec, bool with_faults, bool capture_trace);
RunResult run_scenario(const ScenarioSpec& spec, const RunSettings& settings = {});

}  // namespace flinksim::scenarios
