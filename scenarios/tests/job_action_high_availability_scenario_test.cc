// Goal: savepoint, stop-with-savepoint and cancel under JobManager high availability (issue 20)
// follow Flink: a stop-with-savepoint ends the job as without HA, later only by the checkpoint id
// counter's round trip; the job's end is written to the job result store, so a new leader after a
// failover does not run the stopped job again; a cancel ends CANCELED as without HA; a
// cancel after a JobManager failover reaches the new leader; a resubmission under HA stays a
// loader error at its position.
// Method: the one-source, one-sink job of job_action_scenario_test.cc (2,000 records at 200/s,
// checkpoints every second, ids 1..5 before 5 s), two JobManagers, 1 ms links; every run twice
// (trace hashes must agree); instants derived by hand in each test.
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
using testing::times_ms_of;

const std::string kTask = "Source: source -> Sink: sink (1/1)";

std::string job_with(const std::string& ha_type, const std::string& faults) {
  return "name: job-actions\nduration: 2 min\ncluster: {taskmanagers: 1, jobmanagers: 2}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n  execution.checkpointing.interval: 1 s\n"
         "  execution.checkpointing.savepoint-dir: /sp\n  high-availability.type: " + ha_type + "\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, records: 2000, rate: 200/s}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
         "  edges:\n    - {from: source, to: sink, partitioning: forward}\n"
         "faults:\n" + faults;
}

const std::string kStop = "  - {at: 5 s, stop-with-savepoint: job}\n";

TEST(JobActionHighAvailabilityScenario, StopWithSavepointUnderZooKeeperFinishesAsWithoutHaPlusTheCounter) {
  // Without HA (job_action_scenario_test.cc): trigger 5.000 s, source 5.001, savepoint completed
  // 5.004 s (4 ms), job FINISHED 5.008 s. Under ZooKeeper the coordinator first records the id
  // in the CheckpointIDCounter, for savepoints too (CheckpointCoordinator#startTriggeringCheckpoint
  // takes every id from it): JM -> zookeeper 1 ms, answer 1 ms, so savepoint 6 is triggered at
  // 5.002 s and every later instant moves by 2 ms: end-of-data 5.003, completed 5.006 s (6 ms),
  // FINISHED 5.010 s. A savepoint is not added to the CompletedCheckpointStore (no pointer write
  // before its completion), so nothing else differs.
  const RunResult result = run_scenario_twice(load(job_with("zookeeper", kStop)), {.capture_trace = true});
  const model::RunMetrics& m = result.run.metrics;
  EXPECT_EQ(times_ms_of(result.run, "checkpoint-coordinator", "savepoint-triggered"), std::vector<int64_t>{5'002});
  EXPECT_EQ(times_ms_of(result.run, kTask, "end-of-data"), std::vector<int64_t>{5'003});
  EXPECT_EQ(times_ms_of(result.run, "checkpoint-coordinator", "savepoint-completed"), std::vector<int64_t>{5'006});
  EXPECT_EQ(times_ms_of(result.run, "jobmanager-0", "job FINISHED"), std::vector<int64_t>{5'010});
  ASSERT_EQ(m.savepoints.size(), 1u);
  EXPECT_EQ(m.savepoints[0].id, 6);
  EXPECT_EQ(m.savepoints[0].duration->count_milliseconds(), 6);
  EXPECT_EQ(m.final_status, model::JobStatus::finished);
  EXPECT_EQ(m.failovers, 0);
}

TEST(JobActionHighAvailabilityScenario, StopWithSavepointUnderKubernetesWaitsForTheCounterConfigMap) {
  // Kubernetes' counter is a check-and-update of the job's ConfigMap (get, then replace): two
  // round trips to the API server, 4 ms: triggered 5.004 s, completed 5.008 s (8 ms), FINISHED
  // 5.012 s.
  const RunResult result = run_scenario_twice(load(job_with("kubernetes", kStop)), {.capture_trace = true});
  EXPECT_EQ(times_ms_of(result.run, "checkpoint-coordinator", "savepoint-triggered"), std::vector<int64_t>{5'004});
  EXPECT_EQ(times_ms_of(result.run, "checkpoint-coordinator", "savepoint-completed"), std::vector<int64_t>{5'008});
  ASSERT_EQ(result.run.metrics.savepoints.size(), 1u);
  EXPECT_EQ(result.run.metrics.savepoints[0].duration->count_milliseconds(), 8);
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
}

TEST(JobActionHighAvailabilityScenario, AFailoverAfterTheStopDoesNotRunTheJobAgain) {
  // The leader writes FINISHED to the job result store at 5.010 s (reaching ZooKeeper at
  // 5.011 s) and is killed at 5.011 s, before the answer: it cleans nothing up, the execution
  // plan and checkpoint 5's pointer stay. Its session expires 60 s after its last request,
  // 65.011 s; jobmanager-1 is granted leadership three hops later (65.014 s), reads the job
  // result store (65.016 s) and finds the job FINISHED (Dispatcher: a job with a result is only
  // cleaned up, never recovered): no task is deployed again, no failover.
  const RunResult result = run_scenario_twice(
      load(job_with("zookeeper", kStop + "  - {after: \"job FINISHED + 1 ms\", kill: jobmanager-leader}\n")),
      {.capture_trace = true});
  const model::RunMetrics& m = result.run.metrics;
  EXPECT_EQ(times_ms_of(result.run, "jobmanager-0", "crashed"), std::vector<int64_t>{5'011});
  EXPECT_EQ(times_ms_of(result.run, "jobmanager-1", "granted leadership"), std::vector<int64_t>{65'014});
  EXPECT_EQ(times_ms_of(result.run, "jobmanager-1", "job already terminated", "FINISHED"),
            std::vector<int64_t>{65'016});
  EXPECT_TRUE(times_ms_of(result.run, "jobmanager-1", "job RUNNING").empty());
  EXPECT_EQ(times_ms_of(result.run, kTask, "DEPLOYING").size(), 1u) << "deployed once, at the start";
  EXPECT_EQ(m.failovers, 0);
  EXPECT_EQ(m.final_status, model::JobStatus::finished);
}

TEST(JobActionHighAvailabilityScenario, CancelUnderZooKeeperEndsCanceledAsWithoutHa) {
  // Cancel touches no HA store before the end, so the figures are those without HA: CANCELLING
  // at 5.000 s, the task CANCELED at 5.011 s, the job CANCELED at 5.012 s; both runs agree.
  const std::string cancel = "  - {at: 5 s, cancel: job}\n";
  const RunResult ha = run_scenario_twice(load(job_with("zookeeper", cancel)), {.capture_trace = true});
  std::string without = job_with("none", cancel);
  without.replace(without.find(", jobmanagers: 2"), std::string(", jobmanagers: 2").size(), "");
  const RunResult none = run_scenario_twice(load(without), {.capture_trace = true});
  EXPECT_EQ(times_ms_of(ha.run, "jobmanager-0", "job CANCELLING"), std::vector<int64_t>{5'000});
  EXPECT_EQ(times_ms_of(ha.run, kTask, "CANCELED"), std::vector<int64_t>{5'011});
  EXPECT_EQ(times_ms_of(ha.run, "jobmanager-0", "job CANCELED"), std::vector<int64_t>{5'012});
  EXPECT_EQ(times_ms_of(none.run, "jobmanager-0", "job CANCELED"), std::vector<int64_t>{5'012});
  EXPECT_EQ(ha.run.metrics.final_status, model::JobStatus::canceled);
}

TEST(JobActionHighAvailabilityScenario, AnActionAfterAFailoverGoesToTheNewLeader) {
  // jobmanager-0 is killed at 2 s; its session (last request: checkpoint 2's pointer, ~1.6 s)
  // expires about 60 s later and jobmanager-1 recovers the job from the latest checkpoint
  // (~62 s). The cancel at 64 s goes to the leader's Dispatcher: jobmanager-1 is CANCELLING at
  // 64.000 s exactly, and the job ends CANCELED (asking the dead first JobManager would refuse).
  const RunResult result = run_scenario_twice(
      load(job_with("zookeeper", "  - {at: 2 s, kill: jobmanager-leader}\n  - {at: 64 s, cancel: job}\n")),
      {.capture_trace = true});
  EXPECT_EQ(times_ms_of(result.run, "jobmanager-1", "job CANCELLING"), std::vector<int64_t>{64'000});
  EXPECT_TRUE(result.run.metrics.actions_refused.empty());
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::canceled);
}

TEST(JobActionHighAvailabilityScenario, AResubmissionUnderHaIsALoaderErrorAtItsPosition) {
  Diagnostics diagnostics;
  const std::string text =
      job_with("zookeeper", kStop + "  - {after: \"job FINISHED + 5 s\", start-from-savepoint: latest}\n");
  EXPECT_FALSE(load_scenario_text(text, "ha.yaml", diagnostics).has_value());
  // The resubmission is the second entry under faults (line 17); the stop (line 16) is allowed.
  EXPECT_NE(diagnostics.format().find("ha.yaml:17:"), std::string::npos) << diagnostics.format();
  EXPECT_NE(diagnostics.format().find("not simulated yet"), std::string::npos);
  EXPECT_EQ(diagnostics.format().find("ha.yaml:16:"), std::string::npos) << "the stop is allowed";
}

}  // namespace
}  // namespace flinksim::scenarios
