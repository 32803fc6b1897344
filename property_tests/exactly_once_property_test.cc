// Goal: with EXACTLY_ONCE checkpoints and exactly-once sinks, no fault schedule after which the
// cluster heals changes what the sinks commit. Method: RapidCheck generates the job, cluster,
// configuration (full or region failover, aligned or unaligned checkpoints) and a fault schedule;
// each case runs with its faults and without; the job must finish and the committed outputs must
// be equal, nothing lost, nothing duplicated. Beyond the first shape: every restart strategy with
// tolerable checkpoint failures and heartbeat settings; batch jobs (BLOCKING results, no
// checkpoints: a restarted stage reads its inputs again); and ZooKeeper high availability with
// leader kills, JobManager restarts, ZooKeeper outages and JobManager-ZooKeeper partitions.
#include <gtest/gtest.h>

#include "property_tests/property_check.h"
#include "property_tests/source_log_oracle.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

Violation exactly_once_holds(const GeneratedScenario& scenario) {
  const scenarios::RunResult result = scenarios::run_scenario(load_generated(scenario));
  if (Violation violation = expect_finished(result.reference, "failure-free reference")) {
    return violation;
  }
  if (Violation violation = expect_finished(result.run, "faulty run")) return violation;
  // The absolute oracle first: a bug that hits the failure-free run too is named by it, where
  // the comparison with the reference would call it a difference of the faulty run.
  const auto& reference = result.reference.metrics.committed_output;
  if (Violation violation = check_against_source_log(scenario.job, reference)) {
    return "failure-free reference against the source log: " + *violation;
  }
  if (Violation violation = check_against_source_log(scenario.job, result.run.metrics.committed_output)) {
    return "faulty run against the source log: " + *violation;
  }
  return expect_exactly_once(result);
}

TEST(ExactlyOnceProperty, AnyHealingFaultScheduleCommitsTheFailureFreeOutput) {
  ScenarioShape shape;
  shape.name = "exactly-once";
  shape.jitter = true;
  shape.delivery = graph::SinkDelivery::exactly_once;
  shape.modes = {CheckpointingMode::exactly_once};
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 400}, generate_scenario(shape), exactly_once_holds);
}

// Faults at protocol moments as well as at times (issue 22): a sink failing between its
// pre-commit and the commit notification, a task or TaskManager lost while a barrier is on its
// way to an aligning consumer or right after a checkpoint completed.
TEST(ExactlyOnceProperty, FaultsAtProtocolMomentsCommitTheFailureFreeOutput) {
  ScenarioShape shape;
  shape.name = "exactly-once-moments";
  shape.jitter = true;
  shape.moment_faults = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape), exactly_once_holds);
}

// With the code-level fault sites the seed enables (sim/buggify.h: lost checkpoint
// notifications, duplicated heartbeats), in both runs: what Flink tolerates must not change
// the output.
TEST(ExactlyOnceProperty, BuggifiedRunsCommitTheFailureFreeOutput) {
  ScenarioShape shape;
  shape.name = "exactly-once-buggify";
  shape.jitter = true;
  shape.moment_faults = true;
  shape.buggify = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape), exactly_once_holds);
}

TEST(ExactlyOnceProperty, AnyRestartStrategyAndHeartbeatSettingCommitTheFailureFreeOutput) {
  ScenarioShape shape;
  shape.name = "exactly-once-varied-configuration";
  shape.jitter = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape), exactly_once_holds);
}

TEST(ExactlyOnceProperty, LargeJobsCommitTheFailureFreeOutput) {
  // Streaming jobs of up to 8 vertices of parallelism up to 8, varied configurations, jitter:
  // fewer cases, as each simulates up to twice the tasks of the smaller shapes.
  ScenarioShape shape;
  shape.name = "exactly-once-large-jobs";
  shape.jitter = true;
  shape.large_jobs = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 150}, generate_scenario(shape), exactly_once_holds);
}

TEST(ExactlyOnceProperty, BatchJobsWithLeaderChangesCommitTheFailureFreeOutput) {
  // Batch jobs with ZooKeeper HA, leader changes and FLIP-383 job recovery, the faults while the
  // sources read (AtLeastOnceProperty.BatchJobsRecoveredByANewLeaderLoseNoRecord strikes later).
  ScenarioShape shape;
  shape.name = "exactly-once-batch-high-availability";
  shape.batch = true;
  shape.high_availability = true;
  shape.leader_change = true;
  shape.batch_job_recovery = true;
  shape.jitter = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 150}, generate_scenario(shape), exactly_once_holds);
}

TEST(ExactlyOnceProperty, BatchJobsCommitTheFailureFreeOutput) {
  ScenarioShape shape;
  shape.name = "exactly-once-batch";
  shape.batch = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape), exactly_once_holds);
}

TEST(ExactlyOnceProperty, JobManagerLeaderChangesCommitTheFailureFreeOutput) {
  ScenarioShape shape;
  shape.name = "exactly-once-high-availability";
  shape.jitter = true;
  shape.high_availability = true;
  shape.leader_change = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), exactly_once_holds);
}

}  // namespace
}  // namespace flinksim::property_tests
