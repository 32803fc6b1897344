// Goal: the number of failovers and the job's final status are what the restart strategy's
// definition gives for the failures that happened: with fixed-delay, exactly `attempts`
// restarts and then FAILED once more failures come, FINISHED otherwise; with failure-rate, FAILED
// on the first failure whose window of max-failures-per-interval failures spans no more than
// the interval. Method: RapidCheck generates small budgets (fixed-delay 1-5 attempts,
// failure-rate 1-5 per 5-60 s) and fault schedules that may exhaust them; from the captured
// trace the failures the JobMaster handled (each `failover`, and a `job failing` "Recovery is
// suppressed by ..."), in order with their instants, go through restart_budget.h, written from
// Flink's strategy classes, not by calling strategies/.
#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <vector>

#include "property_tests/property_check.h"
#include "property_tests/restart_budget.h"
#include "property_tests/scenario_loading.h"
#include "scenarios/runner.h"

namespace flinksim::property_tests {
namespace {

// A failure the JobMaster handled: restarted (a `failover` event) or not (`job failing`).
struct HandledFailure {
  int64_t time_ms = 0;
  bool restarted = false;
  std::string reason;
};

std::vector<HandledFailure> handled_failures(const scenarios::RunOutcome& run) {
  std::vector<HandledFailure> failures;
  for (const sim::TraceEvent& event : run.trace) {
    if (!event.component.starts_with("jobmanager-")) continue;
    if (event.kind == "failover") failures.push_back({event.time.milliseconds_since_start(), true, ""});
    if (event.kind == "job failing") {
      failures.push_back({event.time.milliseconds_since_start(), false, event.detail});
    }
  }
  return failures;
}

std::vector<bool> flink_decisions(const GeneratedConfiguration& configuration,
                                  const std::vector<HandledFailure>& failures) {
  if (configuration.restart_strategy == RestartStrategy::fixed_delay) {
    return fixed_delay_decisions(failures.size(), configuration.restart_attempts);
  }
  std::vector<int64_t> times;
  for (const HandledFailure& failure : failures) times.push_back(failure.time_ms);
  return failure_rate_decisions(times, configuration.restart_attempts,
                                configuration.failure_rate_interval.count_milliseconds());
}

std::string decision_text(bool restart) { return restart ? "restart" : "fail the job"; }

Violation compare_decisions(const std::vector<HandledFailure>& failures,
                            const std::vector<bool>& expected) {
  for (size_t i = 0; i < failures.size(); ++i) {
    const std::string which = "failure " + std::to_string(i + 1) + " of " +
                              std::to_string(failures.size()) + " at " +
                              std::to_string(failures[i].time_ms) + " ms";
    if (i >= expected.size()) return which + " was handled after the job should have failed";
    if (failures[i].restarted != expected[i]) {
      return which + ": the strategy's definition says " + decision_text(expected[i]) +
             ", the job did " + decision_text(failures[i].restarted) +
             (failures[i].reason.empty() ? "" : " (" + failures[i].reason + ")");
    }
  }
  return std::nullopt;
}

// How many cases ended with the budget exhausted and how many restarted at least once, printed
// at the end so that generators that stop reaching either show.
struct Exercised {
  int64_t cases = 0;
  int64_t failed = 0;
  int64_t restarted = 0;
};
Exercised exercised;

void count(const std::vector<HandledFailure>& failures) {
  ++exercised.cases;
  if (!failures.empty() && !failures.back().restarted) ++exercised.failed;
  if (!failures.empty() && failures.front().restarted) ++exercised.restarted;
}

void print_exercised(const std::string& name) {
  std::cout << name << " exercised: " << exercised.cases << " cases, " << exercised.failed
            << " exhausted their budget (FAILED), " << exercised.restarted
            << " restarted at least once" << std::endl;
  exercised = {};
}

Violation budget_followed(const GeneratedScenario& scenario) {
  const scenarios::RunOutcome run = scenarios::run_once(load_generated(scenario), true, true);
  if (run.metrics.invariant_violation) return "broke an invariant: " + *run.metrics.invariant_violation;
  const std::vector<HandledFailure> failures = handled_failures(run);
  count(failures);
  if (Violation violation = compare_decisions(failures, flink_decisions(scenario.configuration, failures))) {
    return violation;
  }
  const bool failed = !failures.empty() && !failures.back().restarted;
  if (failures.size() != static_cast<size_t>(run.metrics.failovers) + (failed ? 1 : 0)) {
    return std::to_string(run.metrics.failovers) + " failovers counted, " +
           std::to_string(failures.size()) + " failures handled in the trace";
  }
  const model::JobStatus expected = failed ? model::JobStatus::failed : model::JobStatus::finished;
  if (run.metrics.final_status != expected) {
    return std::string("final status ") + std::string(model::to_string(run.metrics.final_status)) +
           ", the strategy's decisions give " + std::string(model::to_string(expected));
  }
  return std::nullopt;
}

TEST(RestartBudgetProperty, FailoversAndFinalStatusFollowTheRestartStrategysDefinition) {
  ScenarioShape shape;
  shape.name = "restart-budget";
  shape.small_restart_budgets = true;
  shape.moment_faults = true;
  shape.expect = ExpectedOutcome{.finished = false};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), budget_followed);
  print_exercised(shape.name);
}

TEST(RestartBudgetProperty, BatchFailoversAndFinalStatusFollowTheRestartStrategysDefinition) {
  ScenarioShape shape;
  shape.name = "restart-budget-batch";
  shape.batch = true;
  shape.small_restart_budgets = true;
  shape.faults_while_consumers_read = true;
  shape.moment_faults = true;
  shape.expect = ExpectedOutcome{.finished = false};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape), budget_followed);
  print_exercised(shape.name);
}

}  // namespace
}  // namespace flinksim::property_tests
