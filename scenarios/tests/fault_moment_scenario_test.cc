// Goal: a scenario fault may wait for a protocol moment (`after:`) instead of a time, strikes
// exactly when the moment's trace event happens (plus its delay), is reported as not applied
// when the moment never comes, and a bad moment is a loader error at the `after:` value's
// file:line:col. Method: one source and one exactly-once sink on one TaskManager
// (testing::one_slot_job); each test derives its timeline by hand and checks it on the trace.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/fault_moment.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::expect_finished_exactly_once;
using testing::load;
using testing::one_slot_job;
using testing::run_scenario_twice;

// The instants, in whole milliseconds, of every traced event of `component` and `kind` (and `detail`, if given).
// one_slot_job's forward source -> sink, chained into one task (docs/scenarios.md, "Operator
// chaining"): moments and fail-task name either operator, the trace names the task.
const std::string kChain = "Source: source -> Sink: sink (1/1)";

RunResult run_with(const std::string& faults) {
  return run_scenario_twice(load(one_slot_job("fault-moment", faults)), {.capture_trace = true});
}

TEST(FaultMomentScenario, ASinkFailingBetweenPreCommitAndCommitAbortsThatCheckpoint) {
  // Checkpoint 2 is triggered at 1.596 s (every second from 0.596 s); its barrier reaches the
  // source 1 ms later, and the source's task snapshots its chained sink with it: the sink
  // pre-commits at 1.597 s and its task fails there. Its FAILED report reaches the JobMaster 1 ms later,
  // before the acknowledgement (which first uploads the state), so checkpoint 2 is aborted when
  // the job leaves RUNNING (CHECKPOINT_COORDINATOR_SUSPEND, CheckpointCoordinatorDeActivator)
  // and the restart restores checkpoint 1; the pre-committed transaction
  // of checkpoint 2 is aborted as lingering, and nothing is committed twice.
  const RunResult result =
      run_with("  - {after: \"sink:0 pre-committed checkpoint 2\", fail-task: \"sink:0\"}\n");
  EXPECT_EQ(testing::times_ms_of(result.run, kChain, "barrier", "id=2"), std::vector<int64_t>{1'597});
  EXPECT_EQ(testing::times_ms_of(result.run, "faults", "inject"), std::vector<int64_t>{1'597});
  EXPECT_EQ(testing::times_ms_of(result.run, "checkpoint-coordinator", "checkpoint-failed",
                     "id=2 CHECKPOINT_COORDINATOR_SUSPEND"),
            std::vector<int64_t>{1'598});
  ASSERT_EQ(result.run.metrics.failovers, 1);
  ASSERT_TRUE(result.run.metrics.checkpoints.has_value());
  EXPECT_EQ(result.run.metrics.checkpoints->restored_from, std::vector<int64_t>{1});
  expect_finished_exactly_once(result);
  EXPECT_TRUE(result.faults_not_applied.empty());
}

TEST(FaultMomentScenario, AMomentNamingAnUnchainedSinkWaitsForItsOwnTask) {
  // Chaining off: the sink is the task "Sink: sink (1/1)" on the same TaskManager as the source,
  // and the barrier crosses the local channel at once (sim::Network adds no latency within a
  // host): the same 1.597 s as chained, the same abort of checkpoint 2 at 1.598 s.
  std::string yaml = one_slot_job("fault-moment",
                                  "  - {after: \"sink:0 pre-committed checkpoint 2\", fail-task: \"sink:0\"}\n");
  yaml.replace(yaml.find("  restart-strategy.type"), 0, "  pipeline.operator-chaining.enabled: false\n");
  const RunResult result = run_scenario_twice(load(yaml), {.capture_trace = true});
  EXPECT_EQ(testing::times_ms_of(result.run, "Sink: sink (1/1)", "barrier", "id=2"), std::vector<int64_t>{1'597});
  EXPECT_EQ(testing::times_ms_of(result.run, "faults", "inject"), std::vector<int64_t>{1'597});
  EXPECT_EQ(testing::times_ms_of(result.run, "checkpoint-coordinator", "checkpoint-failed",
                     "id=2 CHECKPOINT_COORDINATOR_SUSPEND"),
            std::vector<int64_t>{1'598});
  ASSERT_EQ(result.run.metrics.failovers, 1);
  EXPECT_EQ(result.run.metrics.failover_log[0].failed_task, "Sink: sink (1/1)");
  expect_finished_exactly_once(result);
}

TEST(FaultMomentScenario, AFaultAfterACompletedCheckpointStrikesThenPlusItsDelay) {
  // Checkpoint 3 completes at 2.600 s (triggered at 2.596 s, the state uploaded within 4 ms);
  // the source fails 5 ms later, at 2.605 s, and the JobMaster hears of it at 2.606 s. Nothing
  // completes in between (checkpoint 4 is triggered at 3.596 s), so the restart restores 3.
  const RunResult result =
      run_with("  - {after: \"checkpoint 3 completed + 5 ms\", fail-task: \"source:0\"}\n");
  EXPECT_EQ(testing::times_ms_of(result.run, "checkpoint-coordinator", "checkpoint-completed", "id=3"),
            std::vector<int64_t>{2'600});
  EXPECT_EQ(testing::times_ms_of(result.run, "faults", "inject"), std::vector<int64_t>{2'605});
  ASSERT_EQ(result.run.metrics.failovers, 1);
  EXPECT_EQ(result.run.metrics.failover_log[0].time.milliseconds_since_start(), 2'606);
  EXPECT_EQ(result.run.metrics.checkpoints->restored_from, std::vector<int64_t>{3});
  expect_finished_exactly_once(result);
}

TEST(FaultMomentScenario, AKillAfterTheSourceFinishedLosesTheJobWithoutHighAvailability) {
  // 2,000 records at 200/s: the source's input ends at 10 s and it stays RUNNING until the
  // final checkpoint after that completes (FLIP-147), then FINISHED; the only JobManager is
  // killed that instant, and without high availability nobody knows the job any more: LOST.
  const RunResult result =
      run_with("  - {after: \"source:0 finished\", kill: jobmanager-0}\n");
  const std::vector<int64_t> finished = testing::times_ms_of(result.run, kChain, "FINISHED");
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_GT(finished[0], 10'000);
  EXPECT_EQ(testing::times_ms_of(result.run, "faults", "inject"), finished);
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::lost);
}

TEST(FaultMomentScenario, AFaultWhoseMomentNeverComesIsReportedAsNotApplied) {
  // Ten seconds of input and a checkpoint a second: the job FINISHES long before checkpoint 99.
  const RunResult result =
      run_with("  - {after: \"checkpoint 99 completed\", kill: taskmanager-0}\n");
  EXPECT_EQ(result.run.metrics.failovers, 0);
  ASSERT_EQ(result.faults_not_applied.size(), 1u);
  EXPECT_EQ(result.faults_not_applied[0].fault,
            "kill taskmanager-0 after 'checkpoint 99 completed'");
  EXPECT_EQ(result.faults_not_applied[0].reason.rfind("'checkpoint 99 completed' never happened; "
                                                      "job FINISHED at ",
                                                      0),
            0u)
      << result.faults_not_applied[0].reason;
  expect_finished_exactly_once(result);
}

std::string load_error(const std::string& faults) {
  Diagnostics diagnostics;
  EXPECT_FALSE(load_scenario_text(one_slot_job("fault-moment", faults), "moment.yaml", diagnostics)
                   .has_value());
  return diagnostics.format();
}

TEST(FaultMomentLoader, BadMomentsAreErrorsAtTheAfterValue) {
  // The faults of one_slot_job's text start on its line 19; the value of `after:` (its opening
  // quote) is at column 13 of the entry "  - {after: ...".
  const std::string unknown_event = load_error("  - {after: \"checkpoint 3 done\", kill: taskmanager-0}\n");
  EXPECT_NE(unknown_event.find("moment.yaml:19:13"), std::string::npos) << unknown_event;
  EXPECT_NE(unknown_event.find("a checkpoint moment is 'checkpoint N triggered|completed|failed'"),
            std::string::npos)
      << unknown_event;
  const std::string both = load_error("  - {at: 1 s, after: \"source:0 running\", kill: taskmanager-0}\n");
  EXPECT_NE(both.find("either at a time ('at') or after a moment ('after'), not both"), std::string::npos)
      << both;
  const std::string no_task = load_error("  - {after: \"window:0 finished\", kill: taskmanager-0}\n");
  EXPECT_NE(no_task.find("unknown vertex 'window'"), std::string::npos) << no_task;
  const std::string subtask = load_error("  - {after: \"sink:1 running\", kill: taskmanager-0}\n");
  EXPECT_NE(subtask.find("task 'sink:1' does not exist"), std::string::npos) << subtask;
  const std::string jobmanager =
      load_error("  - {after: \"jobmanager-1 granted leadership\", kill: taskmanager-0}\n");
  EXPECT_NE(jobmanager.find("the cluster has 1 JobManager(s)"), std::string::npos) << jobmanager;
  const std::string delay = load_error("  - {after: \"source:0 running + soon\", kill: taskmanager-0}\n");
  EXPECT_NE(delay.find("the delay after '+'"), std::string::npos) << delay;
}

TEST(FaultMoment, EachFormMapsToItsTraceEvent) {
  const auto moment = [](const std::string& text) { return parse_fault_moment(text).value().moment; };
  const model::FaultMoment completed = moment("checkpoint 3 completed");
  EXPECT_EQ(completed.component, "checkpoint-coordinator");
  EXPECT_EQ(completed.kind, "checkpoint-completed");
  EXPECT_EQ(completed.detail, "id=3");
  EXPECT_EQ(completed.delay, sim::Duration::zero());
  const model::FaultMoment pre_commit = moment("sink:0 pre-committed checkpoint 2 + 5 ms");
  EXPECT_EQ(pre_commit.component, "sink:0");
  EXPECT_EQ(pre_commit.kind, "barrier");
  EXPECT_EQ(pre_commit.detail, "id=2");
  EXPECT_EQ(pre_commit.delay, sim::Duration::milliseconds(5));
  EXPECT_EQ(pre_commit.text, "sink:0 pre-committed checkpoint 2 + 5 ms");
  EXPECT_EQ(moment("source:1 finished").kind, "FINISHED");
  EXPECT_EQ(moment("jobmanager-1 granted leadership").kind, "granted leadership");
  // A failed checkpoint's detail goes on with its reason; the moment matches it as a prefix.
  const model::FaultMoment failed = moment("checkpoint 2 failed");
  EXPECT_TRUE(failed.matches({sim::Instant::zero(), "checkpoint-coordinator", "checkpoint-failed",
                              "id=2 JOB_FAILOVER_REGION"}));
  EXPECT_FALSE(failed.matches({sim::Instant::zero(), "checkpoint-coordinator", "checkpoint-failed",
                               "id=21 JOB_FAILOVER_REGION"}));
  EXPECT_FALSE(parse_fault_moment("source finished").ok());
  EXPECT_FALSE(parse_fault_moment("checkpoint 0 completed").ok());
}

}  // namespace
}  // namespace flinksim::scenarios
