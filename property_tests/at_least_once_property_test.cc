// Goal: at-least-once sinks may duplicate after a recovery but never lose a record. Method:
// RapidCheck generates jobs whose sinks deliver at least once, with EXACTLY_ONCE or
// AT_LEAST_ONCE checkpoints and a healing fault schedule; each case runs with its faults and
// without, and the oracle must count no record of the reference missing from the faulty run.
#include <gtest/gtest.h>

#include "property_tests/property_check.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

Violation no_record_lost(const GeneratedScenario& scenario) {
  const scenarios::RunResult result = scenarios::run_scenario(load_generated(scenario));
  if (Violation violation = expect_finished(result.reference, "failure-free reference")) {
    return violation;
  }
  if (Violation violation = expect_finished(result.run, "faulty run")) return violation;
  return expect_no_record_lost(result);
}

TEST(AtLeastOnceProperty, AnyHealingFaultScheduleLosesNoRecord) {
  ScenarioShape shape;
  shape.name = "at-least-once";
  shape.jitter = true;
  shape.delivery = graph::SinkDelivery::at_least_once;
  shape.modes = {CheckpointingMode::exactly_once, CheckpointingMode::at_least_once};
  shape.expect = ExpectedOutcome{.finished = true, .no_records_lost = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), no_record_lost);
}

TEST(AtLeastOnceProperty, BatchJobsRecoveredByANewLeaderLoseNoRecord) {
  // Batch jobs with ZooKeeper HA, leader changes and FLIP-383 job recovery, the faults striking
  // from 3 s before to 2 s after the sources are done, so that a new leader finds finished stages to keep
  // (RECONCILING) and re-runs the rest. Exactly-once sinks, yet only no loss is required: a sink
  // that reaches its end of input while no JobManager hears of it (its state update fails) has
  // committed, and the new leader runs it again — Flink's batch sinks commit at their end of
  // input, and a JobManager failover in between duplicates their output there too.
  ScenarioShape shape;
  shape.name = "no-loss-batch-high-availability";
  shape.batch = true;
  shape.high_availability = true;
  shape.leader_change = true;
  shape.batch_job_recovery = true;
  shape.faults_around_sources_end = true;
  shape.jitter = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .no_records_lost = true};
  check_property({.name = shape.name, .cases = 150}, generate_scenario(shape), no_record_lost);
}

// Batch jobs with faults at protocol moments: when a source finishes and when a consumer starts
// reading the finished blocking partitions. Not exactly-once: a failover that restarts a sink
// which already reached its end of input (full failover, or a producer restarted for a lost
// partition drags in all its consumers) runs it again, and an exactly-once batch sink commits at
// its end of input (shrunk at seed 1: source (1) -> sink (2), full failover, `sink:1` failing as
// it starts running while `sink:0` finishes and commits: 1,000 records twice).
TEST(AtLeastOnceProperty, BatchFaultsAtProtocolMomentsLoseNoRecord) {
  ScenarioShape shape;
  shape.name = "no-loss-batch-moments";
  shape.batch = true;
  shape.moment_faults = true;
  shape.faults_while_consumers_read = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .no_records_lost = true};
  check_property({.name = shape.name, .cases = 150}, generate_scenario(shape), no_record_lost);
}

}  // namespace
}  // namespace flinksim::property_tests
