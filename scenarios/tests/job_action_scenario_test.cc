// Goal: operator actions among the faults (docs/savepoints.md) follow Flink's protocol and their
// timelines: a stop-with-savepoint ends the sources' data before its barrier and the job
// FINISHES on its completion, a resubmission from the savepoint continues exactly once; a
// savepoint followed by a cancel and a resubmission duplicates what an at-least-once sink wrote
// after the savepoint; an intermediate savepoint commits nothing; a missing savepoint-dir fails
// the request and the job runs on; bad action input is a loader error at file:line:col.
// Method: one source (2,000 records at 200/s) and one sink on one TaskManager, checkpoints every
// second from 0.596 s (ids 1..5 before 5 s); each test derives its timeline by hand and runs the
// scenario twice (trace hashes must agree).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;

std::string job_with(const std::string& delivery, const std::string& faults,
                     const std::string& extra_config = "  execution.checkpointing.savepoint-dir: /sp\n") {
  return "name: job-actions\nduration: 2 min\ncluster: {taskmanagers: 1}\nconfig:\n"
         "  taskmanager.numberOfTaskSlots: 1\n  execution.checkpointing.interval: 1 s\n" +
         extra_config +
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, records: 2000, rate: 200/s}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: " + delivery + "}\n"
         "  edges:\n    - {from: source, to: sink, partitioning: forward}\n"
         "faults:\n" + faults;
}

TEST(JobActionScenario, StopWithSavepointThenResubmitIsExactlyOnce) {
  // 5.000 s stop: savepoint id 6; 5.001 s the trigger reaches the source, which ends its data
  // (EndOfData NO_DRAIN) and sends barrier 6; 5.004 s completed (upload + ack); the tasks
  // finish after the notification and the job is FINISHED at 5.008 s. The resubmission 5 s
  // later (10.008 s) deploys at 10.013 s, INITIALIZING +50 ms, RUNNING +100 ms (restoring 1 kB),
  // reported at 10.166 s: upgrade downtime 5,166 ms.
  const RunResult result = run_scenario_twice(
      load(job_with("exactly-once", "  - {at: 5 s, stop-with-savepoint: job}\n"
                                    "  - {after: \"job FINISHED + 5 s\", start-from-savepoint: latest}\n")),
      {.capture_trace = true});
  const model::RunMetrics& m = result.run.metrics;
  ASSERT_TRUE(result.exactly_once.has_value());
  // The source and the sink are one chained task; the resubmitted job ends its input again later.
  ASSERT_FALSE(testing::times_ms_of(result.run, "Source: source -> Sink: sink (1/1)", "end-of-data").empty());
  EXPECT_EQ(testing::times_ms_of(result.run, "Source: source -> Sink: sink (1/1)", "end-of-data").front(), 5'001);
  EXPECT_EQ(testing::times_ms_of(result.run, "checkpoint-coordinator", "savepoint-completed"), std::vector<int64_t>{5'004});
  ASSERT_EQ(m.savepoints.size(), 1u);
  EXPECT_EQ(m.savepoints[0].id, 6);
  EXPECT_EQ(m.savepoints[0].duration->count_milliseconds(), 4);
  ASSERT_EQ(m.submissions.size(), 2u);
  EXPECT_EQ(m.submissions[0].status, model::JobStatus::finished);
  EXPECT_EQ(m.submissions[0].ended_at->milliseconds_since_start(), 5'008);
  EXPECT_EQ(m.submissions[1].submitted.milliseconds_since_start(), 10'008);
  EXPECT_EQ(m.submissions[1].restored_from, 6);
  EXPECT_EQ(m.submissions[1].downtime->count_milliseconds(), 5'166);
  EXPECT_EQ(m.final_status, model::JobStatus::finished);
  EXPECT_TRUE(result.exactly_once->exactly_once());
  EXPECT_EQ(result.exactly_once->records_duplicated, 0);
  EXPECT_EQ(result.exactly_once->records_lost, 0);
}

TEST(JobActionScenario, StopWithSavepointUnderUnalignedCheckpointsIsAligned) {
  // Savepoints are always aligned (CheckpointOptions#forConfig): over a rebalance exchange,
  // where unaligned barriers would overtake the data, savepoint 6's barrier queues behind the
  // source's EndOfData like an aligned one, so the timeline is the one the forward job above had
  // before chaining (two tasks, a local channel): the source ends its data at 5.001 s, the
  // savepoint completes at 5.004 s, FINISHED at 5.008 s,
  // and the resubmission continues exactly once. (Before, the barrier overtook the EndOfData
  // and the sink never finished.)
  std::string text = job_with("exactly-once", "  - {at: 5 s, stop-with-savepoint: job}\n"
                                              "  - {after: \"job FINISHED + 5 s\", start-from-savepoint: latest}\n",
                              "  execution.checkpointing.savepoint-dir: /sp\n"
                              "  execution.checkpointing.unaligned.enabled: true\n");
  text.replace(text.find("partitioning: forward"), 21, "partitioning: rebalance");
  const RunResult result = run_scenario_twice(load(text), {.capture_trace = true});
  const model::RunMetrics& m = result.run.metrics;
  ASSERT_FALSE(testing::times_ms_of(result.run, "Source: source (1/1)", "end-of-data").empty());
  EXPECT_EQ(testing::times_ms_of(result.run, "Source: source (1/1)", "end-of-data").front(), 5'001);
  EXPECT_EQ(testing::times_ms_of(result.run, "checkpoint-coordinator", "savepoint-completed"), std::vector<int64_t>{5'004});
  ASSERT_EQ(m.submissions.size(), 2u);
  EXPECT_EQ(m.submissions[0].status, model::JobStatus::finished);
  EXPECT_EQ(m.submissions[0].ended_at->milliseconds_since_start(), 5'008);
  EXPECT_EQ(m.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once());
}

TEST(JobActionScenario, SavepointCancelResubmitDuplicatesWithAnAtLeastOnceSink) {
  // Between the savepoint's barrier (5.001 s) and the cancel reaching the tasks (7.001 s) the
  // source emitted 2 s x 200/s = 400 records; the sink wrote all of them but what sat in the
  // output buffer (flushed every 100 ms: at most 20): 380..400 are written again after the
  // resubmission, nothing is lost.
  const RunResult result = run_scenario_twice(
      load(job_with("at-least-once", "  - {at: 5 s, savepoint: job}\n  - {at: 7 s, cancel: job}\n"
                                     "  - {after: \"job CANCELED + 1 s\", start-from-savepoint: latest}\n")),
      {.capture_trace = true});
  const model::RunMetrics& m = result.run.metrics;
  ASSERT_TRUE(result.exactly_once.has_value());
  ASSERT_EQ(m.submissions.size(), 2u);
  EXPECT_EQ(m.submissions[0].status, model::JobStatus::canceled);
  EXPECT_EQ(m.submissions[1].restored_from, 6);
  EXPECT_EQ(m.final_status, model::JobStatus::finished);
  EXPECT_EQ(result.exactly_once->records_lost, 0);
  EXPECT_GE(result.exactly_once->records_duplicated, 380);
  EXPECT_LE(result.exactly_once->records_duplicated, 400);
}

TEST(JobActionScenario, AnIntermediateSavepointIsNotNotifiedAndNotRestoredByAFailover) {
  // The savepoint (id 6, 5.000 s) sends no notifyCheckpointComplete and stays out of the
  // CompletedCheckpointStore: a task failure at 5.100 s restores checkpoint 5, not 6.
  const RunResult result = run_scenario_twice(
      load(job_with("exactly-once", "  - {at: 5 s, savepoint: job}\n  - {at: 5100 ms, fail-task: \"source:0\"}\n")),
      {.capture_trace = true});
  ASSERT_TRUE(result.run.metrics.checkpoints.has_value());
  EXPECT_EQ(result.run.metrics.checkpoints->restored_from.front(), 5);
  EXPECT_EQ(result.run.metrics.savepoints.at(0).id, 6);
  EXPECT_TRUE(result.exactly_once->exactly_once());
}

TEST(JobActionScenario, WithoutASavepointDirectoryTheRequestFailsAndTheJobRunsOn) {
  const RunResult result = run_scenario_twice(
      load(job_with("exactly-once", "  - {at: 5 s, stop-with-savepoint: job}\n", "")), {.capture_trace = true});
  ASSERT_EQ(result.run.metrics.savepoints.size(), 1u);
  EXPECT_NE(result.run.metrics.savepoints[0].failure.find("execution.checkpointing.savepoint-dir"), std::string::npos);
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  EXPECT_TRUE(result.exactly_once->exactly_once());
}

TEST(JobActionScenario, ABatchJobRefusesASavepointAsNotAStreamingJob) {
  // StopWithSavepointTerminationManager#checkSavepointActionPreconditions: no
  // CheckpointCoordinator, "Job ... is not a streaming job."; the job runs on and finishes.
  std::string text = job_with("exactly-once", "  - {at: 5 s, stop-with-savepoint: job}\n");
  text.replace(text.find("job:\n"), 5, "job:\n  mode: batch\n");
  const RunResult result = run_scenario_twice(load(text), {});
  ASSERT_EQ(result.run.metrics.savepoints.size(), 1u);
  // The job has no `name:`, so it is called "job" (the loader's default).
  EXPECT_EQ(result.run.metrics.savepoints[0].failure, "Job job is not a streaming job.");
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
}

TEST(JobActionScenario, BadActionInputIsALoaderErrorAtItsPosition) {
  Diagnostics diagnostics;
  const std::string text = job_with("exactly-once", "  - {at: 5 s, stop-with-savepoint: job, drian: true}\n");
  EXPECT_FALSE(load_scenario_text(text, "bad.yaml", diagnostics).has_value());
  EXPECT_NE(diagnostics.format().find("bad.yaml:15:"), std::string::npos) << diagnostics.format();
  EXPECT_NE(diagnostics.format().find("drian"), std::string::npos);
  Diagnostics rescale;
  EXPECT_FALSE(load_scenario_text(job_with("exactly-once", "  - {at: 5 s, start-from-savepoint: latest, parallelism: 2}\n"),
                                  "r.yaml", rescale).has_value());
  EXPECT_NE(rescale.format().find("not simulated yet"), std::string::npos);
}

}  // namespace
}  // namespace flinksim::scenarios
