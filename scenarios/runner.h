#pragma once

// Runs a scenario: the faulty run and its failure-free reference with the same seed, then the
// scenario's expectations. The result serializes to the `run --json` object of SCENARIOS.md §3.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "checks/exactly_once_oracle.h"
#include "model/cluster.h"
#include "scenarios/run_watch.h"
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
  // A run stopped by Ctrl-C or a budget is partial: what it shows is true of the part that ran,
  // and no verdict or expectation is checked (the reference may not have run at all).
  StopReason stopped = StopReason::none;
  std::string partial_reason;  // "stopped by --max-events 1000 in the faulty run at 12.3 s"

  bool partial() const { return stopped != StopReason::none; }

  // Both the faulty run and its reference read their bounded input to the end, so their outputs
  // and states are comparable whole.
  bool both_finished() const;
  // From the last failure episode's fault until every source that restored with a backlog was
  // back at the head of its log (SourceBacklog::log); unset when no source had to catch up.
  std::optional<int64_t> caught_up_ms() const;
  // 0 all expectations hold, 1 an expectation failed, 3 liveness failure; for a partial run
  // 130 (interrupted, as a shell reports SIGINT) or 5 (a budget stopped it).
  int exit_code() const;
  nlohmann::ordered_json to_json() const;
};

struct RunSettings {
  bool capture_trace = false;
  bool run_reference = true;
  RunLimits limits{};  // none by default: the run goes to its end
};

// Exit codes of a partial run (docs/scenarios.md, "Exit codes").
inline constexpr int kExitInterrupted = 130;
inline constexpr int kExitBudgetExhausted = 5;

// "0.8 s", "60.001 s", "80.0 s": seconds to the millisecond, at least one decimal.
std::string seconds_text(sim::Duration duration);
std::string seconds_text(sim::Instant instant);
// "kill taskmanager-0", "partition jobmanager-0 <-> taskmanager-1", "fail-task source:0".
std::string fault_text(const model::Fault& fault);

RunOutcome run_once(const ScenarioSpec& spec, bool with_faults, bool capture_trace);
// The same under a watch that may stop it (then the outcome covers the part that ran).
RunOutcome run_once(const ScenarioSpec& spec, bool with_faults, bool capture_trace, RunWatch& watch,
                    RunProgress phase);
RunResult run_scenario(const ScenarioSpec& spec, const RunSettings& settings = {});

}  // namespace flinksim::scenarios
