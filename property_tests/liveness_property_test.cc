// Goal: faults the other properties keep away from are survived too: a healed
// JobManager-TaskManager partition, and TaskManager kills on TaskManagers with several slots or
// beyond what the cluster can spare. Method: as the exactly-once property, with those faults
// allowed.
//
// These are the properties that found the liveness bugs fixed by the heartbeat payloads (the
// execution deployment report and the allocated slot report), by answering only the latest slot
// offer, by the submission's ask timeout and by aborting a checkpoint whose trigger could not be
// delivered (docs/property-testing.md, "Liveness").
//
// After a partition, exactly-once too: a cancel call lost in the partition reaches its
// TaskManager only after the ask timeout, and a bounded exactly-once sink that runs out of input
// meanwhile must not commit its last transaction. As in Flink (1.15+, FLIP-147) the task stays
// running until a final checkpoint completes, which cannot happen during the restart.
#include <gtest/gtest.h>

#include "property_tests/property_check.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

Violation finishes_exactly_once(const GeneratedScenario& scenario) {
  const scenarios::RunResult result = scenarios::run_scenario(load_generated(scenario));
  if (Violation violation = expect_finished(result.run, "faulty run")) return violation;
  return expect_exactly_once(result);
}

Violation finishes_without_loss(const GeneratedScenario& scenario) {
  const scenarios::RunResult result = scenarios::run_scenario(load_generated(scenario));
  if (Violation violation = expect_finished(result.run, "faulty run")) return violation;
  return expect_no_record_lost(result);
}

ScenarioShape liveness_shape(const std::string& name) {
  ScenarioShape shape;
  shape.name = name;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  return shape;
}

TEST(LivenessProperty, HealedPartitionsLeaveTheJobFinishedWithoutLoss) {
  ScenarioShape shape = liveness_shape("partition-liveness");
  shape.partitions = true;
  shape.expect = ExpectedOutcome{.finished = true, .no_records_lost = true};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape),
                 finishes_without_loss);
}

TEST(LivenessProperty, HealedPartitionsLeaveTheJobFinishedExactlyOnce) {
  ScenarioShape shape = liveness_shape("partition-exactly-once");
  shape.partitions = true;
  check_property({.name = shape.name, .cases = 150}, generate_scenario(shape),
                 finishes_exactly_once);
}

TEST(LivenessProperty, TaskManagerKillsAnywhereLeaveTheJobFinishedExactlyOnce) {
  ScenarioShape shape = liveness_shape("kill-liveness");
  shape.kills_anywhere = true;
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape),
                 finishes_exactly_once);
}

// Every fault kind with every job mode (issue 22): batch jobs get JobManager-TaskManager
// partitions, slow links and kills anywhere too, until after their sources are done and at
// protocol moments, so that zombie attempts of batch tasks (cut off from the JobMaster, which
// runs a new attempt meanwhile) are reached. Without loss, not exactly-once: a batch sink that
// reached its end of input commits, and a failover that restarts it runs it again
// (AtLeastOnceProperty.BatchFaultsAtProtocolMomentsLoseNoRecord).
TEST(LivenessProperty, BatchJobsWithPartitionsSlowLinksAndKillsAnywhereFinishWithoutLoss) {
  ScenarioShape shape = liveness_shape("partition-liveness-batch");
  shape.batch = true;
  shape.partitions = true;
  shape.kills_anywhere = true;
  shape.moment_faults = true;
  shape.faults_while_consumers_read = true;
  shape.expect = ExpectedOutcome{.finished = true, .no_records_lost = true};
  check_property({.name = shape.name, .cases = 150}, generate_scenario(shape),
                 finishes_without_loss);
}

}  // namespace
}  // namespace flinksim::property_tests
