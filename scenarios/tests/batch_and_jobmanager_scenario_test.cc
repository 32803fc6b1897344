// Goal: batch jobs are scheduled region by region as in Flink's PipelinedRegionSchedulingStrategy
// (a consumer of blocking partitions deploys only once its producers finished), a lost blocking
// partition re-runs exactly its producer (region failover's producer rule), and a JobManager
// without high availability takes its job with it. Method: small scenarios run end to end twice;
// the captured trace gives each task's state changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_twice;
using testing::run_scenario_twice;

// Every time a task entered `state`, in trace order.
std::set<std::string> restarted_tasks(const RunOutcome& outcome) {
  std::set<std::string> tasks;
  for (const auto& record : outcome.metrics.failover_log) {
    tasks.insert(record.restarted_tasks.begin(), record.restarted_tasks.end());
  }
  return tasks;
}

// source (p=2, 10 s of records each) -hash-> count (p=2) -hash-> sink (p=2), all edges blocking.
std::string batch_job(const std::string& cluster, const std::string& faults) {
  return "name: batch\nduration: 5 min\n"
         "cluster: {" + cluster + "}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 10\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n"
         "  heartbeat.interval: 1 s\n  heartbeat.timeout: 3 s\n"
         "job:\n  mode: batch\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, records: 2000, rate: 100/s}\n"
         "    - {name: count, operator: aggregate, parallelism: 2}\n"
         "    - {name: sink, operator: sink, parallelism: 2}\n"
         "  edges:\n"
         "    - {from: source, to: count, partitioning: hash}\n"
         "    - {from: count, to: sink, partitioning: hash}\n"
         "faults:\n" + faults;
}

TEST(BatchScenario, ConsumersOfBlockingPartitionsDeployOnlyAfterAllProducersFinished) {
  const RunOutcome outcome = run_twice(load(batch_job("taskmanagers: 2", "  []\n")), true);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::finished);
  int64_t sources_finished = 0;
  for (const std::string task : {"Source: source (1/2)", "Source: source (2/2)"}) {
    ASSERT_EQ(testing::times_ns_of(outcome, task, "FINISHED").size(), 1u) << task;
    sources_finished = std::max(sources_finished, testing::times_ns_of(outcome, task, "FINISHED")[0]);
  }
  // Both sources run at once (10 s of records after 150 ms of deployment); the consumers start
  // only once the JobMaster learnt that both finished (one network hop later).
  EXPECT_EQ(testing::times_ns_of(outcome, "Source: source (1/2)", "DEPLOYING")[0], testing::times_ns_of(outcome, "Source: source (2/2)", "DEPLOYING")[0]);
  for (const std::string task : {"count (1/2)", "count (2/2)"}) {
    const auto deploying = testing::times_ns_of(outcome, task, "DEPLOYING");
    ASSERT_EQ(deploying.size(), 1u) << task;
    EXPECT_GT(deploying[0], sources_finished) << task;
  }
  int64_t counts_finished = 0;
  for (const std::string task : {"count (1/2)", "count (2/2)"}) {
    counts_finished = std::max(counts_finished, testing::times_ns_of(outcome, task, "FINISHED").at(0));
  }
  for (const std::string task : {"Sink: sink (1/2)", "Sink: sink (2/2)"}) {
    EXPECT_GT(testing::times_ns_of(outcome, task, "DEPLOYING").at(0), counts_finished) << task;
  }
}

TEST(BatchScenario, LostBlockingPartitionReRunsOnlyItsProducer) {
  // Sources finish at about 10.15 s, each on its own TaskManager (one slot each); the counts
  // deploy at about 10.15 s. Killing taskmanager-1 at 10.2 s takes source:1's finished partition
  // and the deploying count:1 with it. count:0 cannot fetch source:1's partition
  // (PartitionConnectionException), so the producer rule re-runs source:1; source:0's partition
  // on taskmanager-0 survives, so source:0 never runs again. The JobMaster still pools
  // taskmanager-1's slot until two heartbeat requests (every second) are refused, about 12 s:
  // the restart of 11.3 s sends source:1 there, is refused, and fails over once more
  // (FLINK-24706); the next lands on the standby. (With the default 10 s heartbeats, restarts
  // every second would use up the 10 attempts before the loss is noticed.)
  const RunOutcome outcome = run_twice(load(batch_job(
      "taskmanagers: 2, standby-taskmanagers: 1", "  - {at: 10200 ms, kill: taskmanager-1}\n")), true);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::finished);
  const std::set<std::string> restarted = restarted_tasks(outcome);
  EXPECT_TRUE(restarted.count("Source: source (2/2)")) << "the lost partition's producer must re-run";
  EXPECT_FALSE(restarted.count("Source: source (1/2)")) << "a producer whose partition survived re-ran";
  EXPECT_EQ(testing::times_ns_of(outcome, "Source: source (1/2)", "DEPLOYING").size(), 1u);
  EXPECT_EQ(testing::times_ns_of(outcome, "Source: source (2/2)", "DEPLOYING").size(), 2u);
  bool partition_error = false;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.component == "count (1/2)" && event.kind == "FAILED") {
      partition_error = event.detail.find("Partition") != std::string::npos;
    }
  }
  EXPECT_TRUE(partition_error) << "count:0 should fail on the missing partition";
}

TEST(BatchScenario, ConsumersWaitingForTheirInputsNeverHitTheSlotRequestTimeout) {
  // The source runs 400 s, longer than slot.request.timeout (5 min); the sink has not asked for
  // a slot while its blocking input is unfinished, so nothing may time out.
  const RunOutcome outcome = run_twice(load(
      "name: long-stage\nduration: 30 min\ncluster: {taskmanagers: 1}\n"
      "config: {taskmanager.numberOfTaskSlots: 1}\n"
      "job:\n  mode: batch\n  vertices:\n"
      "    - {name: source, operator: source, parallelism: 1, records: 1000, cost-per-record: 400 ms}\n"
      "    - {name: sink, operator: sink, parallelism: 1}\n"
      "  edges:\n    - {from: source, to: sink, partitioning: forward}\n"), true);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::finished);
  EXPECT_EQ(outcome.metrics.failovers, 0);
}

TEST(BatchScenario, AFailingProducerDoesNotRestartItsRunningSiblings) {
  // Flink tracks blocking partitions from deployment (Execution.registerProducedPartitions), so
  // source:0's unfinished partition counts as available: only source:1 and the two sinks (not
  // deployed yet) restart.
  const RunOutcome outcome = run_twice(load(
      "name: sibling\nduration: 2 min\ncluster: {taskmanagers: 2}\n"
      "config:\n  taskmanager.numberOfTaskSlots: 2\n  restart-strategy.type: fixed-delay\n"
      "job:\n  mode: batch\n  vertices:\n"
      "    - {name: source, operator: source, parallelism: 2, records: 20000, rate: 1000/s}\n"
      "    - {name: sink, operator: sink, parallelism: 2}\n"
      "  edges:\n    - {from: source, to: sink, partitioning: rebalance}\n"
      "faults:\n  - {at: 5 s, fail-task: source:1}\n"), true);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::finished);
  ASSERT_EQ(outcome.metrics.failovers, 1);
  EXPECT_EQ(outcome.metrics.failover_log[0].restarted_tasks,
            (std::vector<std::string>{"Sink: sink (1/2)", "Sink: sink (2/2)", "Source: source (2/2)"}));
}

// A streaming job on one JobManager; restart-strategy attempts are plenty.
std::string streaming_job(const std::string& faults) {
  return "name: jm\nduration: 3 min\n"
         "cluster: {taskmanagers: 2}\n"
         "config: {taskmanager.numberOfTaskSlots: 2, high-availability.type: none}\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 4}\n"
         "    - {name: sink, operator: sink, parallelism: 4}\n"
         "  edges:\n    - {from: source, to: sink, partitioning: rebalance}\n"
         "faults:\n" + faults;
}

TEST(JobManagerScenario, KilledJobManagerWithoutHighAvailabilityLosesTheJob) {
  const RunOutcome outcome = run_twice(load(streaming_job("  - {at: 30 s, kill: jobmanager-0}\n")), true);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::lost);
}

TEST(JobManagerScenario, RestartedJobManagerWithoutHighAvailabilityDoesNotKnowTheJob) {
  // The seeds' "Job ... not found": the new incarnation has no job graph store to recover from.
  const RunOutcome outcome = run_twice(load(streaming_job(
      "  - {at: 30 s, kill: jobmanager-0}\n  - {at: 40 s, restart: jobmanager-0}\n")), true);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::lost);
  // The TaskManagers notice the lost JobManager and fail its tasks: nothing runs at the end.
  for (const std::string task : {"Source: source (1/4)", "Sink: sink (4/4)"}) {
    const auto failed = testing::times_ns_of(outcome, task, "FAILED");
    ASSERT_FALSE(failed.empty()) << task;
    EXPECT_GT(failed.back(), 30'000'000'000);
  }
}

// 2 sources x 10000 records at 500/s, hash to an exactly-once sink, checkpoints every 2 s;
// jobmanager-0 dies at 9 s and restarts at 19 s. `mode`: the cluster's deployment-mode.
std::string restarted_jobmanager_job(const std::string& mode) {
  return "name: restarted-jobmanager\nseed: 3\nduration: 2 min\n"
         "cluster: {taskmanagers: 2, deployment-mode: " + mode + "}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n"
         "  execution.checkpointing.interval: 2 s\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, records: 20000, rate: 500/s, keys: 20}\n"
         "    - {name: sink, operator: sink, delivery: exactly-once, parallelism: 2}\n"
         "  edges:\n    - {from: source, to: sink, partitioning: hash}\n"
         "faults:\n  - {at: 9 s, kill: jobmanager-0}\n  - {at: 19 s, restart: jobmanager-0}\n";
}

TEST(JobManagerScenario, ARestartedSessionClusterHasLostTheJob) {
  RunSettings settings;
  settings.capture_trace = true;
  const RunResult result = run_scenario_twice(load(restarted_jobmanager_job("session")), settings);
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::lost);
  EXPECT_EQ(result.run.metrics.failovers, 0);
  EXPECT_TRUE(testing::times_ns_of(result.run, "jobmanager-0", "job submitted again").empty());
}

TEST(JobManagerScenario, ARestartedApplicationClusterRunsTheJobAgainFromNoState) {
  // Hand timeline (also in library jobmanager-restart-application-mode-without-ha.yaml): the
  // first job commits 2 x (7.950 - 0.158) x 500 = 7792 records with checkpoint 4 (7.950 s) and
  // none after the kill at 9 s. At 19 s the restarted JobManager submits the job again, a new
  // job. The TaskManagers time out the old JobManager 50 s after its last heartbeat request
  // (0.006 s), fail the old tasks at 50.006 s (fenced: the new JobMaster ignores them, so no
  // failover of its own), keep the slots for the old job for taskmanager.slot.timeout (10 s) and
  // then give them to the new one: RUNNING at 60.162 s. The new job reads all 10000 records per
  // source again (20 s) and commits them: the 7792 are duplicated, nothing is lost.
  RunSettings settings;
  settings.capture_trace = true;
  const RunResult result =
      run_scenario_twice(load(restarted_jobmanager_job("application")), settings);
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  EXPECT_EQ(testing::times_ns_of(result.run, "jobmanager-0", "job submitted again"),
            std::vector<int64_t>{19'000'000'000});
  const auto source_running = testing::times_ns_of(result.run, "Source: source (1/2)", "RUNNING");
  ASSERT_EQ(source_running.size(), 2u);
  EXPECT_EQ(source_running[1] / 1'000'000, 60'162);
  EXPECT_EQ(testing::times_ns_of(result.run, "Source: source (1/2)", "FAILED").front() / 1'000'000, 50'006);
  EXPECT_EQ(result.run.metrics.failovers, 1);  // the resubmission only
  EXPECT_EQ(result.run.metrics.downtime.count_milliseconds(), 60'163 - 9'000);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->records_lost, 0);
  EXPECT_EQ(result.exactly_once->records_duplicated, 7792);
  // The new job's checkpoint ids start over (the invariant monitor must not object): 4 of the
  // first job, then the new job's from 1 (first at 60.955 s).
  std::vector<std::string> completed;
  for (const sim::TraceEvent& event : result.run.trace) {
    if (event.kind == "checkpoint-completed") completed.push_back(event.detail);
  }
  ASSERT_GE(completed.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(completed.begin(), completed.begin() + 5),
            (std::vector<std::string>{"id=1", "id=2", "id=3", "id=4", "id=1"}));
}

TEST(JobManagerScenario, AJobWhoseTaskManagersAllTimeOutEndsFailedNotFailing) {
  // heartbeat.timeout equal to heartbeat.interval (allowed by Flink) makes healthy TaskManagers
  // time out: every 30 s both are disconnected. The second round exhausts fixed-delay's 2
  // attempts at 50.002 s; the cancellations of the tasks on the second TaskManager are settled by
  // its disconnection in the same instant, and the job must then reach FAILED.
  const std::string yaml =
      "name: flapping\nduration: 5 min\ncluster: {taskmanagers: 2}\n"
      "config:\n  taskmanager.numberOfTaskSlots: 1\n  heartbeat.rpc-failure-threshold: -1\n"
      "  heartbeat.timeout: 10 s\n  restart-strategy.type: fixed-delay\n"
      "  restart-strategy.fixed-delay.attempts: 2\n  restart-strategy.fixed-delay.delay: 10 s\n"
      "job:\n  vertices:\n    - {name: source, operator: source, parallelism: 2}\n"
      "    - {name: sink, operator: sink, parallelism: 2}\n"
      "  edges:\n    - {from: source, to: sink, partitioning: forward}\n";
  const RunOutcome outcome = run_twice(load(yaml), true);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::failed);
}

}  // namespace
}  // namespace flinksim::scenarios
