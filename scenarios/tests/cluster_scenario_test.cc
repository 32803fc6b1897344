// Goal: the simulated cluster reproduces Flink's recovery behaviour through its protocols —
// heartbeats, slot allocation, failover and restart strategies — with timelines worked out by
// hand from Flink's defaults. Method: small scenarios run end to end; each is run twice and must
// give the same trace hash.
//
// Timeline arithmetic used below (all runs: 1 ms network latency between hosts, 0 within the
// JobManager process, heartbeat.interval 10 s unless set):
// - the JobMaster asks TaskManagers for heartbeats at 10 s, 20 s, 30 s, ...;
// - a TaskManager killed at 30 s refuses the requests of 30 s and 40 s; each refusal comes back
//   after 2 ms; the second one reaches heartbeat.rpc-failure-threshold = 2 at 40.002 s;
// - without RPC-failure detection the last heartbeat answer arrives at 20.002 s, so a
//   heartbeat.timeout of T fires at 20.002 s + T.
#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_twice;
using testing::run_scenario_twice;

// A forward (embarrassingly parallel) job with p=4 on two TaskManagers with two slots each.
std::string forward_job(const std::string& config, const std::string& cluster,
                        const std::string& faults, const std::string& partitioning = "forward") {
  return "name: t\nduration: 2 min\n"
         "cluster: {" + cluster + "}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 2\n"
         "  resourcemanager.standalone.start-up-time: 20 s\n" + config +
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 4}\n"
         "    - {name: sink, operator: sink, parallelism: 4}\n"
         "  edges:\n    - {from: source, to: sink, partitioning: " + partitioning + "}\n"
         "faults:\n" + faults;
}

const std::string kFixedDelay3 =
    "  restart-strategy.type: fixed-delay\n"
    "  restart-strategy.fixed-delay.attempts: 3\n"
    "  restart-strategy.fixed-delay.delay: 10 s\n";

int64_t first_failover_us(const RunOutcome& outcome) {
  return outcome.metrics.failover_log.empty()
             ? -1
             : outcome.metrics.failover_log.front().time.nanoseconds_since_start() / 1000;
}

TEST(ClusterScenario, KilledTaskManagerWithoutSpareSlotsExhaustsFixedDelayAttempts) {
  const RunOutcome outcome =
      run_twice(load(forward_job(kFixedDelay3, "taskmanagers: 2", "  - {at: 30 s, kill: taskmanager-1}\n")));
  // Detection by two refused heartbeats at 40.002 s. taskmanager-1 ran two forward pipelines
  // (two regions), so two failures count against the 3 attempts; the restart at 50.002 s finds
  // no slots (NoResourceAvailableException) for each region: the 3rd failure restarts, the 4th
  // fails the job.
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::failed);
  EXPECT_EQ(first_failover_us(outcome), 40'002'000);
  EXPECT_EQ(outcome.metrics.failovers, 3);
  EXPECT_EQ(outcome.metrics.failover_log[2].time.nanoseconds_since_start() / 1000, 50'002'000);
}

TEST(ClusterScenario, HeartbeatTimeoutDecidesDetectionWhenRpcFailureDetectionIsOff) {
  const auto detection_us = [](const std::string& timeout) {
    const std::string config = kFixedDelay3 + "  heartbeat.rpc-failure-threshold: -1\n" +
                               "  heartbeat.timeout: " + timeout + "\n";
    return first_failover_us(
        run_twice(load(forward_job(config, "taskmanagers: 2", "  - {at: 30 s, kill: taskmanager-1}\n"))));
  };
  EXPECT_EQ(detection_us("15 s"), 35'002'000);  // 20.002 s + 15 s
  EXPECT_EQ(detection_us("50 s"), 70'002'000);  // Flink's default timeout
}

TEST(ClusterScenario, StandbyTaskManagerTakesOverTheLostTasks) {
  const RunOutcome outcome = run_twice(load(forward_job(
      kFixedDelay3, "taskmanagers: 2, standby-taskmanagers: 1", "  - {at: 30 s, kill: taskmanager-1}\n")));
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::running);
  EXPECT_EQ(outcome.metrics.failovers, 2);  // one per forward region on the lost TaskManager
  // Each forward region is one chained task (Source: source -> Sink: sink), not two: 2 tasks.
  EXPECT_EQ(outcome.metrics.tasks_restarted, 2);
  // From the kill at 30 s: detection 40.002, backoff 10 s, deploy 1 ms + 50 ms + 100 ms.
  ASSERT_TRUE(outcome.metrics.recovery_time_max.has_value());
  EXPECT_EQ(outcome.metrics.recovery_time_max->count_milliseconds(), 20'154);
  // The lost tasks stopped with their TaskManager, not at the detection 10 s later: the
  // downtime runs from the kill as well.
  EXPECT_EQ(outcome.metrics.downtime.count_milliseconds(), 20'154);
}

TEST(ClusterScenario, KubernetesStartsAReplacementTaskManager) {
  const RunOutcome outcome = run_twice(load(forward_job(
      kFixedDelay3, "taskmanagers: 2, deployment: kubernetes, taskmanager-startup: 25 s",
      "  - {at: 30 s, kill: taskmanager-1}\n")));
  // Forward edges inside each slot: no data connection crosses TaskManagers, so no RST tells.
  // The pod watch reports the dead pod at 31 s (pod-watch-delay 1 s): the ResourceManager asks
  // for a worker that registers 25 s later (56 s + 2 ms) and tells the JobMaster to disconnect
  // taskmanager-1, which fails its two regions (2 failovers). The restart at 41 s finds no slot
  // until then: with Kubernetes the ResourceManager does not report a shortage, it waits for the
  // new worker. RUNNING about 56.16 s: recovery about 26.16 s.
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::running);
  EXPECT_EQ(outcome.metrics.failovers, 2);
  EXPECT_EQ(first_failover_us(outcome), 31'000'000);
  ASSERT_TRUE(outcome.metrics.recovery_time_max.has_value());
  EXPECT_GT(outcome.metrics.recovery_time_max->count_milliseconds(), 26'000);
  EXPECT_LT(outcome.metrics.recovery_time_max->count_milliseconds(), 27'000);
}

TEST(ClusterScenario, EachRestartedRegionWaitsItsOwnSlotRequestTimeout) {
  // PhysicalSlotRequestBulkCheckerImpl: a region's slot requests time out slot.request.timeout
  // (5 min) after that region was scheduled, not after the job's first scheduling. The pod
  // watch reports taskmanager-1 dead at 281 s; its two regions fail (2 of 2 fixed-delay
  // attempts) and are scheduled again at 291 s (delay 10 s); the replacement pod needs 10 min,
  // and a streaming job's other slots never free up, so both bulks are unfulfillable at their
  // check at 591 s: the third failure fails the job at 591 s, FAILED when taskmanager-0's four
  // tasks have cancelled (1 ms there, 10 ms cancellation, 1 ms back: 591.012 s). (A timer shared
  // from the first scheduling at 0 s failed it at 300 s.)
  std::string scenario = forward_job(
      "  restart-strategy.type: fixed-delay\n  restart-strategy.fixed-delay.attempts: 2\n"
      "  restart-strategy.fixed-delay.delay: 10 s\n",
      "taskmanagers: 2, deployment: kubernetes, taskmanager-startup: 10 min",
      "  - {at: 280 s, kill: taskmanager-1}\n");
  scenario.replace(scenario.find("duration: 2 min"), 15, "duration: 12 min");
  const RunOutcome outcome = run_twice(load(scenario));
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::failed);
  EXPECT_EQ(outcome.metrics.failovers, 2);
  EXPECT_EQ(first_failover_us(outcome), 281'000'000);
  ASSERT_TRUE(outcome.metrics.ended_at.has_value());
  EXPECT_EQ(outcome.metrics.ended_at->nanoseconds_since_start() / 1'000'000, 591'012);
}

TEST(ClusterScenario, RegionFailoverRestartsOnlyTheFailedPipelineOfAForwardJob) {
  const std::string fault = "  - {at: 30 s, fail-task: source:1}\n";
  const RunOutcome region = run_twice(load(forward_job(kFixedDelay3, "taskmanagers: 2", fault)));
  EXPECT_EQ(region.metrics.failovers, 1);
  EXPECT_EQ(region.metrics.failover_log[0].restarted_tasks,
            (std::vector<std::string>{"Source: source -> Sink: sink (2/4)"}));
  const RunOutcome full = run_twice(load(forward_job(
      kFixedDelay3 + "  jobmanager.execution.failover-strategy: full\n", "taskmanagers: 2", fault)));
  EXPECT_EQ(full.metrics.tasks_restarted, 4);  // 4 chained source -> sink tasks
  const RunOutcome keyed = run_twice(load(forward_job(kFixedDelay3, "taskmanagers: 2", fault, "hash")));
  EXPECT_EQ(keyed.metrics.tasks_restarted, 8);  // all-to-all pipelined: one region, hash does not chain
  EXPECT_EQ(keyed.metrics.final_status, model::JobStatus::running);
}

TEST(ClusterScenario, NoRestartStrategyFailsTheJobAtTheFirstFailure) {
  const RunOutcome outcome = run_twice(load(forward_job(
      "  restart-strategy.type: none\n", "taskmanagers: 2", "  - {at: 30 s, fail-task: source:1}\n")));
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::failed);
  EXPECT_EQ(outcome.metrics.failovers, 0);
}

TEST(ClusterScenario, AJobThatFailsForGoodIsDownUntilItsReferenceEnds) {
  // No restart strategy: source:1 fails at 30 s and fails the job. It never recovers, and it
  // commits nothing from the failure on, while its failure-free reference runs on to the end of
  // the 2 min scenario: downtime 120 s - 30 s, one unrecovered episode, no recovery time. (Before,
  // a job failed without a restart had no episode at all and reported no downtime.)
  const RunResult result = run_scenario_twice(load(forward_job(
      "  restart-strategy.type: none\n", "taskmanagers: 2", "  - {at: 30 s, fail-task: source:1}\n")));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::failed);
  EXPECT_EQ(result.run.metrics.unrecovered_episodes, 1);
  EXPECT_FALSE(result.run.metrics.recovery_time_max.has_value());
  EXPECT_EQ(result.run.metrics.downtime.count_milliseconds(), 90'000);
}

TEST(ClusterScenario, CheckpointingMakesExponentialDelayTheDefault) {
  const RunOutcome outcome = run_twice(load(forward_job(
      "  execution.checkpointing.interval: 10 s\n", "taskmanagers: 2",
      "  - {at: 30 s, fail-task: source:1}\n")));
  ASSERT_EQ(outcome.metrics.failovers, 1);
  // initial-backoff 1 s with jitter-factor 0.1, clamped below at the initial backoff.
  const int64_t delay = outcome.metrics.failover_log[0].delay.count_milliseconds();
  EXPECT_GE(delay, 1000);
  EXPECT_LE(delay, 1100);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::running);
}

TEST(ClusterScenario, PartitionLongerThanTheHeartbeatTimeoutFailsTasksOver) {
  const std::string config =
      "  restart-strategy.type: fixed-delay\n  restart-strategy.fixed-delay.attempts: 100\n"
      "  restart-strategy.fixed-delay.delay: 10 s\n";
  const RunOutcome long_partition = run_twice(load(forward_job(
      config, "taskmanagers: 2", "  - {at: 30 s, partition: [jobmanager-0, taskmanager-1], for: 60 s}\n")));
  // Dropped messages are not refusals: only the 50 s timeout detects it, at 20.002 s + 50 s.
  EXPECT_EQ(first_failover_us(long_partition), 70'002'000);
  EXPECT_EQ(long_partition.metrics.final_status, model::JobStatus::running);
  // Restarts at 80.002, 90.002 and 100.002 s fail or wait (the partition heals at 90 s); the
  // last one deploys at 110.002 s and its tasks run at 110.154 s. The episode starts with the
  // partition at 30 s, but the cut-off tasks ran on until the failover at 70.002 s: downtime
  // counts from there.
  ASSERT_TRUE(long_partition.metrics.recovery_time_max.has_value());
  EXPECT_EQ(long_partition.metrics.recovery_time_max->count_milliseconds(), 80'154);
  EXPECT_EQ(long_partition.metrics.downtime.count_milliseconds(), 40'152);
  const RunOutcome short_partition = run_twice(load(forward_job(
      config, "taskmanagers: 2", "  - {at: 30 s, partition: [jobmanager-0, taskmanager-1], for: 20 s}\n")));
  EXPECT_EQ(short_partition.metrics.failovers, 0);
}

TEST(ClusterScenario, BoundedJobFinishesAndDifferentSeedsStayDeterministic) {
  const std::string yaml =
      "name: bounded\nduration: 10 min\ncluster: {taskmanagers: 1}\n"
      "config: {taskmanager.numberOfTaskSlots: 2}\n"
      "job:\n  vertices:\n"
      "    - {name: source, operator: source, parallelism: 2, records: 2000, rate: 100/s}\n"
      "    - {name: sink, operator: sink, parallelism: 2}\n"
      "  edges:\n    - {from: source, to: sink, partitioning: rebalance}\n";
  const RunOutcome outcome = run_twice(load(yaml));
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::finished);
  // 1000 records per subtask at 100/s: 10 s of RUNNING after 0.153 s of start-up.
  ASSERT_TRUE(outcome.metrics.finished_at.has_value());
  EXPECT_NEAR(static_cast<double>(outcome.metrics.finished_at->milliseconds_since_start()), 10'160, 10);
}

}  // namespace
}  // namespace flinksim::scenarios
