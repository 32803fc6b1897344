// Goal: recovery is prompt, not only eventual. After the last fault of a schedule has healed,
// the job is back to making progress within a bound derived from its configuration: it has
// finished, or it completed a checkpoint after its last failover (every task acknowledged, so
// every task runs again). Method: RapidCheck generates scenarios with every fault kind the model
// recovers from (kills anywhere, JobManager-TaskManager partitions, checkpoint-storage outages,
// task failures); each runs with its trace captured; the bound is checked against the
// coordinator's `checkpoint-completed` events and the failover log.
//
// The bound, from the moment H the last fault healed (a partition or outage ended, a killed
// TaskManager restarted; a kill on Kubernetes left to the ResourceManager heals at the kill):
//   heartbeat.timeout              a dead or cut-off TaskManager is noticed
// + 2 x pekko.ask.timeout          a cancel call and a submission lost in a partition are noticed
//                                  only by their ask timeouts (10 s each, Flink's default)
// + restart delay                  the fixed-delay backoff
// + taskmanager start-up           a Kubernetes replacement registers
// + deploy and initialize          150 ms per task attempt
// + 2 x checkpoint interval        the first checkpoint after all tasks run is triggered and
//                                  completes
// + 1 s                            message latencies and slot round trips
#include <gtest/gtest.h>

#include <algorithm>
#include <variant>

#include "property_tests/property_check.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

const sim::Duration kAskTimeout = sim::Duration::seconds(10);  // pekko.ask.timeout

sim::Duration recovery_bound(const GeneratedScenario& scenario) {
  const GeneratedConfiguration& config = scenario.configuration;
  return config.heartbeat_timeout + kAskTimeout * 2 + config.restart_delay_longest() +
         scenario.cluster.taskmanager_startup + sim::Duration::milliseconds(150) +
         config.checkpoint_interval * 2 + sim::Duration::seconds(1);
}

Violation recovers_within_bound(const GeneratedScenario& scenario) {
  const scenarios::RunOutcome outcome = scenarios::run_once(load_generated(scenario), true, true);
  if (Violation violation = expect_finished(outcome, "faulty run")) return violation;
  sim::Duration healed = sim::Duration::zero();
  for (const FaultCommand& command : scenario.faults) healed = std::max(healed, heals_at(command));
  const sim::Instant deadline = sim::Instant::zero() + healed + recovery_bound(scenario);
  if (*outcome.metrics.finished_at <= deadline) return std::nullopt;
  // Still running at the deadline: it must have completed a checkpoint after its last
  // failover by then.
  sim::Instant last_failover = sim::Instant::zero();
  for (const model::FailoverRecord& failover : outcome.metrics.failover_log) {
    last_failover = std::max(last_failover, failover.time);
  }
  for (const CompletedCheckpoint& completed : completed_checkpoints(outcome)) {
    if (completed.time > last_failover && completed.time <= deadline) return std::nullopt;
  }
  return "no checkpoint completed between the last failover at " +
         sim::format_seconds(last_failover) + " and the recovery deadline " +
         sim::format_seconds(deadline) + " (last fault healed at " +
         sim::format_seconds(sim::Instant::zero() + healed) + ", " +
         std::to_string(outcome.metrics.failovers) + " failovers)";
}

TEST(RecoveryBoundProperty, AfterTheLastFaultHealsTheJobCheckpointsAgainWithinTheBound) {
  ScenarioShape shape;
  shape.name = "recovery-bound";
  shape.partitions = true;
  shape.kills_anywhere = true;
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape),
                 recovers_within_bound);
}

}  // namespace
}  // namespace flinksim::property_tests
