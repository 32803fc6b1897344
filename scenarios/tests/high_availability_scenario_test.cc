// Goal: JobManager high availability behaves as Flink's ZooKeeper HA services do (FLINK_FACTS §8):
// a standby takes over only after the dead leader's ZooKeeper session expired, recovers the job
// from the HA stores (execution plan, latest completed checkpoint, checkpoint id counter), and
// the committed output stays exactly-once; a leader cut off from ZooKeeper steps down before the
// standby wins; a ZooKeeper outage longer than the session timeout suspends the job until
// ZooKeeper is back and the old sessions are gone; without HA the job is LOST.
// Method: one streaming job under each fault, run end to end twice (same trace hash), with its
// failure-free reference and the exactly-once oracle. Expected instants are derived by hand from
// Flink's defaults: ZooKeeper session timeout 60 s (read timeout 2/3 of it, pings every third),
// heartbeat.interval 10 s / timeout 50 s, 1 ms links.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kMillisecond = 1'000'000;

// The whole `flinksim run` (faulty run, reference, oracle) twice, keeping the faulty run's trace.
RunResult run_twice_with_trace(const ScenarioSpec& spec) {
  return testing::run_scenario_twice(spec, {.capture_trace = true});
}

// The ids of the checkpoint events of `kind` ("checkpoint-triggered", "checkpoint-completed"),
// with their times.
std::vector<std::pair<int64_t, int64_t>> checkpoints(const RunOutcome& outcome,
                                                     const std::string& kind) {
  std::vector<std::pair<int64_t, int64_t>> found;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.component == "checkpoint-coordinator" && event.kind == kind) {
      found.emplace_back(event.time.nanoseconds_since_start(), std::stoll(event.detail.substr(3)));
    }
  }
  return found;
}

int64_t latest_completed_before(const RunOutcome& outcome, int64_t time) {
  int64_t latest = 0;
  for (const auto& [at, id] : checkpoints(outcome, "checkpoint-completed")) {
    if (at < time) latest = std::max(latest, id);
  }
  return latest;
}

void expect_exactly_once(const RunResult& result) {
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->output_matches_reference);
  EXPECT_EQ(result.exactly_once->records_lost, 0);
  EXPECT_EQ(result.exactly_once->records_duplicated, 0);
}

// Checkpoint ids strictly increase over the whole run, across leaders (CheckpointIDCounter).
void expect_checkpoint_ids_increase(const RunOutcome& outcome) {
  const auto triggered = checkpoints(outcome, "checkpoint-triggered");
  for (size_t i = 1; i < triggered.size(); ++i) {
    EXPECT_GT(triggered[i].second, triggered[i - 1].second) << "at " << triggered[i].first << " ns";
  }
}

// 2 sources x 45000 records at 500/s (90 s of input), keyed 1 s windows summed, a two-phase-commit
// sink, checkpoints every 2 s; one slot per TaskManager, two TaskManagers. The input outlasts the
// ~60 s the TaskManagers need to notice a dead JobMaster (see docs/high-availability.md: a bounded
// input ending under a dead leader commits without a final checkpoint in this model).
std::string ha_job(const std::string& name, const std::string& cluster, const std::string& config,
                   const std::string& faults, const std::string& records = "90000") {
  return "name: " + name +
         "\nduration: 5 min\n"
         "cluster: {taskmanagers: 2, " +
         cluster +
         "}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n"
         "  execution.checkpointing.interval: 2 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 3\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n" +
         config +
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, records: " +
         records +
         ", rate: 500/s, keys: 20}\n"
         "    - {name: window, operator: window, size: 1 s, function: sum, parallelism: 2}\n"
         "    - {name: sink, operator: sink, delivery: exactly-once, parallelism: 2}\n"
         "  edges:\n"
         "    - {from: source, to: window, partitioning: hash}\n"
         "    - {from: window, to: sink, partitioning: rebalance}\n"
         "faults:\n" +
         faults;
}

const std::string kZooKeeper = "  high-availability.type: zookeeper\n";

TEST(HighAvailabilityScenario,
     StandbyTakesOverAfterTheSessionExpiresAndRestoresTheLatestCheckpoint) {
  const RunResult result = run_twice_with_trace(load(ha_job(
      "leader-kill", "jobmanagers: 2", kZooKeeper, "  - {at: 20 s, kill: jobmanager-leader}\n")));
  const RunOutcome& run = result.run;
  expect_exactly_once(result);
  // jobmanager-0 leads from 6 ms (connect 2 ms, latch node 4 ms, children 6 ms).
  ASSERT_EQ(testing::times_ns_of(run, "jobmanager-0", "granted leadership").size(), 1u);
  EXPECT_NEAR(testing::times_ns_of(run, "jobmanager-0", "granted leadership")[0], 6 * kMillisecond,
              kMillisecond);
  // Its session was last touched by the checkpoint pointer written within 2 s (one interval)
  // before the kill; the server expires it 60 s later, and jobmanager-1 wins the latch three
  // message hops (3 ms) after that.
  const auto expired = testing::times_ns_of(run, "zookeeper", "session expired");
  const auto granted = testing::times_ns_of(run, "jobmanager-1", "granted leadership");
  ASSERT_EQ(expired.size(), 1u);
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_GE(expired[0], 78 * kSecond);
  EXPECT_LE(expired[0], 80 * kSecond);
  EXPECT_NEAR(granted[0] - expired[0], 3 * kMillisecond, kMillisecond);
  // The TaskManagers noticed the dead JobMaster earlier, by heartbeat: its last request (every
  // 10 s) came at most 10 s before the kill, the timeout is 50 s: failures in (60 s, 70 s].
  const auto failed = testing::times_ns_of(run, "Source: source (1/2)", "FAILED");
  ASSERT_FALSE(failed.empty());
  EXPECT_GT(failed[0], 60 * kSecond);
  EXPECT_LE(failed[0], 70 * kSecond);
  // One failover (the new leader's), which redeploys all 6 tasks from the latest checkpoint
  // completed before the kill; checkpoint ids continue above it.
  EXPECT_EQ(run.metrics.failovers, 1);
  EXPECT_EQ(run.metrics.tasks_restarted, 6);
  ASSERT_TRUE(run.metrics.checkpoints.has_value());
  const int64_t restored = latest_completed_before(run, 20 * kSecond);
  EXPECT_GE(restored, 9);  // a checkpoint every 2 s from the first, within 2 s of the start
  EXPECT_EQ(run.metrics.checkpoints->restored_from, (std::vector<int64_t>{restored}));
  expect_checkpoint_ids_increase(run);
  // Recovery and downtime run from the kill to all tasks RUNNING again (150 ms after the grant).
  ASSERT_TRUE(run.metrics.recovery_time_max.has_value());
  EXPECT_NEAR(run.metrics.recovery_time_max->count_nanoseconds(),
              granted[0] - 20 * kSecond + 165 * kMillisecond, 5 * kMillisecond);
}

TEST(HighAvailabilityScenario, LeaderPartitionedFromZooKeeperStepsDownBeforeTheStandbyWins) {
  const RunResult result = run_twice_with_trace(
      load(ha_job("leader-partition", "jobmanagers: 2", kZooKeeper,
                  "  - {at: 20 s, partition: [jobmanager-0, zookeeper], for: 2 min}\n")));
  const RunOutcome& run = result.run;
  expect_exactly_once(result);
  // jobmanager-0 last heard ZooKeeper within 2 s before the partition (the answer to a checkpoint
  // pointer write); the read timeout (40 s) runs out in (58 s, 60 s]: SUSPENDED, and Flink's
  // default gives up leadership at once. The server counts the session from the same moment and
  // expires it 60 s later: jobmanager-1 leads 20 s after jobmanager-0 stopped. Never two leaders.
  const auto revoked = testing::times_ns_of(run, "jobmanager-0", "revoked leadership");
  const auto granted = testing::times_ns_of(run, "jobmanager-1", "granted leadership");
  ASSERT_EQ(revoked.size(), 1u);
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_GT(revoked[0], 58 * kSecond);
  EXPECT_LE(revoked[0], 60 * kSecond);
  EXPECT_NEAR(granted[0] - revoked[0], 20 * kSecond, 5 * kMillisecond);
  // The cut-off leader's checkpoints cannot reach the completed checkpoint store: none completes
  // (and nothing commits) between the partition and the new leader.
  for (const auto& [at, id] : checkpoints(run, "checkpoint-completed")) {
    EXPECT_FALSE(at > 20 * kSecond && at < granted[0])
        << "checkpoint " << id << " completed at " << at;
  }
  // The stepping-down JobMaster told the TaskManagers at once (they are reachable): its tasks fail
  // when it revokes, not at a heartbeat timeout.
  ASSERT_FALSE(testing::times_ns_of(run, "Sink: sink (1/2)", "FAILED").empty());
  EXPECT_NEAR(testing::times_ns_of(run, "Sink: sink (1/2)", "FAILED")[0], revoked[0], 2 * kMillisecond);
  EXPECT_EQ(run.metrics.failovers, 1);
  EXPECT_EQ(run.metrics.checkpoints->restored_from,
            (std::vector<int64_t>{latest_completed_before(run, 20 * kSecond)}));
  expect_checkpoint_ids_increase(run);
}

TEST(HighAvailabilityScenario,
     ToleratedSuspensionLeavesTwoLeadersForAWhileAndFencingKeepsOutputExactlyOnce) {
  // high-availability.zookeeper.client.tolerate-suspended-connections: true keeps the cut-off
  // leader leading until Curator declares the session LOST, suspended + 60 s (about 119 s), while
  // the standby already leads from about 79 s. The TaskManagers follow leader retrieval and fence
  // out the old leader's messages by leader session id; it cannot complete checkpoints (it cannot
  // advance the checkpoint id counter), so its sinks never commit. The input lasts 200 s, so the
  // old leader cannot reach the end of it while it hangs on (see docs/high-availability.md on
  // bounded jobs).
  const RunResult result = run_twice_with_trace(load(ha_job(
      "split-brain", "jobmanagers: 2",
      kZooKeeper + "  high-availability.zookeeper.client.tolerate-suspended-connections: true\n",
      "  - {at: 20 s, partition: [jobmanager-0, zookeeper], for: 2 min}\n", "200000")));
  const RunOutcome& run = result.run;
  expect_exactly_once(result);
  const auto revoked = testing::times_ns_of(run, "jobmanager-0", "revoked leadership");
  const auto granted = testing::times_ns_of(run, "jobmanager-1", "granted leadership");
  ASSERT_EQ(revoked.size(), 1u);
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_GT(revoked[0], granted[0]) << "with tolerated suspension the old leader hangs on";
  EXPECT_NEAR(revoked[0] - granted[0], 40 * kSecond, 5 * kMillisecond);
  // Four failovers: the old leader, still believing it leads, handles its tasks' failures (the
  // TaskManagers dropped it for the new leader) and restarts them in vain three times (fixed-delay,
  // 3 attempts, 1 s): the TaskManagers reject its deployments by leader session. At the fourth
  // failure it fails the job, but cannot record that in the job result store, so the end is not
  // final and the run goes on. The new leader's recovery is the fourth failover. Every restore
  // uses the latest checkpoint completed before the partition.
  EXPECT_EQ(run.metrics.failovers, 4);
  const int64_t restored = latest_completed_before(run, 20 * kSecond);
  EXPECT_EQ(run.metrics.checkpoints->restored_from,
            (std::vector<int64_t>{restored, restored, restored, restored}));
  EXPECT_EQ(testing::times_ns_of(run, "jobmanager-0", "job FAILED").size(), 1u);
  // No task ran under the old leader after the new one took over.
  for (const std::string task : {"Source: source (1/2)", "Sink: sink (2/2)"}) {
    const auto running = testing::times_ns_of(run, task, "RUNNING");
    ASSERT_EQ(running.size(), 2u) << task;
    EXPECT_GT(running[1], granted[0]) << task;
  }
  // The episode runs from the partition (20 s) until the new leader's tasks all run, a deployment
  // and restore (well under a second) after it was granted leadership; the old leader's restarts
  // in vain after that neither prolong it nor count as downtime. The job stood still only from
  // the TaskManagers' switch to the new leader (its grant) until then.
  ASSERT_TRUE(run.metrics.recovery_time_max.has_value());
  const int64_t recovery = run.metrics.recovery_time_max->count_nanoseconds();
  EXPECT_GT(recovery, granted[0] - 20 * kSecond);
  EXPECT_LT(recovery, granted[0] - 20 * kSecond + kSecond);
  EXPECT_LT(run.metrics.downtime.count_nanoseconds(), kSecond);
  EXPECT_EQ(run.metrics.unrecovered_episodes, 0);
  expect_checkpoint_ids_increase(run);
}

TEST(HighAvailabilityScenario,
     ZooKeeperDownLongerThanTheSessionTimeoutSuspendsTheJobUntilItReturns) {
  const RunResult result =
      run_twice_with_trace(load(ha_job("zookeeper-outage", "jobmanagers: 2", kZooKeeper,
                                       "  - {at: 25 s, outage: zookeeper, for: 90 s}\n")));
  const RunOutcome& run = result.run;
  expect_exactly_once(result);
  // The leader's next ZooKeeper request after 25 s (the pointer of the next checkpoint, within
  // 2 s) is refused: SUSPENDED, leadership revoked, the job SUSPENDED and its tasks failed.
  const auto revoked = testing::times_ns_of(run, "jobmanager-0", "revoked leadership");
  ASSERT_FALSE(revoked.empty());
  EXPECT_GT(revoked[0], 25 * kSecond);
  EXPECT_LE(revoked[0], 27 * kSecond + 10 * kMillisecond);
  EXPECT_EQ(testing::times_ns_of(run, "jobmanager-0", "job SUSPENDED").size(), 1u);
  // ZooKeeper returns at 115 s and gives every old session a fresh 60 s; the clients, LOST since
  // (suspended + 60 s), open new sessions whose latch nodes queue behind the old ones. The old
  // sessions expire at 175 s; a JobManager leads three hops later and recovers the job.
  std::vector<int64_t> grants = testing::times_ns_of(run, "jobmanager-0", "granted leadership");
  const auto grants_1 = testing::times_ns_of(run, "jobmanager-1", "granted leadership");
  grants.insert(grants.end(), grants_1.begin(), grants_1.end());
  std::sort(grants.begin(), grants.end());
  ASSERT_EQ(grants.size(), 2u);
  EXPECT_NEAR(grants[1], 175 * kSecond + 3 * kMillisecond, kMillisecond);
  EXPECT_EQ(run.metrics.failovers, 1);
  EXPECT_EQ(run.metrics.checkpoints->restored_from,
            (std::vector<int64_t>{latest_completed_before(run, 25 * kSecond)}));
  expect_checkpoint_ids_increase(run);
}

// Issue 19 item 6. With tolerate-suspended-connections the leader keeps leading while its
// ZooKeeper connection is SUSPENDED, and its coordinator keeps triggering; the checkpoint id
// counter refuses every trigger (ZooKeeperCheckpointIDCounter.checkConnectionState), which fails
// with TRIGGER_CHECKPOINT_FAILURE: a failed checkpoint in the statistics
// (reportFailedCheckpointsWithoutInProgress), never counted against
// tolerable-failed-checkpoints (CheckpointFailureManager ignores that reason), and no id used up.
// Timeline: ticks every 2 s from the seeded 1.205 s, each id acquired in a 2 ms round trip to
// ZooKeeper; checkpoint 12 triggered at 23.207 s. ZooKeeper is down 25 s - 45 s. The 25.205 s
// tick's counter write is refused at 25.207 s: SUSPENDED, that trigger fails. The ticks 27.205 s
// to 45.205 s (10) fail at once. The JobManager's client retries every 1 s plus the 2 ms refused
// round trip: RECONNECTED at 45.249 s (the session is still valid). The 47.205 s tick gets id 13.
// 11 failed checkpoints, tolerance 0, no failover, exactly-once.
TEST(HighAvailabilityScenario, CheckpointsTriggeredWhileZooKeeperIsSuspendedFailAndAreCounted) {
  const RunResult result = run_twice_with_trace(load(ha_job(
      "suspended-counter", "jobmanagers: 1",
      kZooKeeper + "  high-availability.zookeeper.client.tolerate-suspended-connections: true\n",
      "  - {at: 25 s, outage: zookeeper, for: 20 s}\n")));
  const RunOutcome& run = result.run;
  expect_exactly_once(result);
  EXPECT_EQ(run.metrics.failovers, 0);
  // In whole milliseconds (the seeded initial delay and the links' jitter add microseconds).
  const auto in_ms = [](std::vector<int64_t> times) {
    for (int64_t& time : times) time /= kMillisecond;
    return times;
  };
  std::vector<int64_t> expected{25207};
  for (int64_t tick = 27205; tick <= 45205; tick += 2000) expected.push_back(tick);
  EXPECT_EQ(in_ms(testing::times_ns_of(run, "checkpoint-coordinator", "checkpoint-trigger-failed")), expected);
  EXPECT_EQ(in_ms(testing::times_ns_of(run, "jobmanager-0", "zookeeper RECONNECTED")),
            std::vector<int64_t>{45249});
  ASSERT_TRUE(run.metrics.checkpoints.has_value());
  EXPECT_EQ(run.metrics.checkpoints->failed, 11);
  // No id was used up by the failed triggers: 12 before the outage, 13 after it.
  const auto triggered = checkpoints(run, "checkpoint-triggered");
  for (size_t i = 1; i < triggered.size(); ++i)
    EXPECT_EQ(triggered[i].second, triggered[i - 1].second + 1);
  const auto after = std::find_if(triggered.begin(), triggered.end(),
                                  [](const auto& t) { return t.first > 25 * kSecond; });
  ASSERT_NE(after, triggered.end());
  EXPECT_EQ(after->first / kMillisecond, 47207);
  EXPECT_EQ(after->second, 13);
}

TEST(HighAvailabilityScenario, ZooKeeperThatDoesNotReturnLeavesTheJobSuspended) {
  // ZooKeeper is down from 25 s to the end (5 min): the leader revokes at its next request, no
  // JobManager can lead again, and the run ends with the job SUSPENDED (an expectation the
  // scenario format accepts).
  const RunResult result =
      run_twice_with_trace(load(ha_job("zookeeper-gone", "jobmanagers: 2", kZooKeeper,
                                       "  - {at: 25 s, outage: zookeeper, for: 10 min}\n") +
                                "expect:\n  final-status: SUSPENDED\n"));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::suspended);
  EXPECT_TRUE(result.failed_expectations.empty());
  EXPECT_EQ(result.run.metrics.failovers, 0);
}

TEST(HighAvailabilityScenario, SingleJobManagerRestartedByItsEnvironmentRecoversTheJob) {
  // Kubernetes-style: jobmanager-0 dies at 20 s and a new incarnation starts at 30 s. Its new
  // latch node queues behind the dead incarnation's, whose session expires 60 s after its last
  // checkpoint pointer (78 .. 80 s): then it leads and recovers the job from the stores.
  const RunResult with_ha = run_twice_with_trace(
      load(ha_job("single-jm-ha", "jobmanagers: 1", kZooKeeper,
                  "  - {at: 20 s, kill: jobmanager-0}\n  - {at: 30 s, restart: jobmanager-0}\n")));
  expect_exactly_once(with_ha);
  const auto granted = testing::times_ns_of(with_ha.run, "jobmanager-0", "granted leadership");
  ASSERT_EQ(granted.size(), 2u);
  EXPECT_GE(granted[1], 78 * kSecond);
  EXPECT_LE(granted[1], 80 * kSecond + 10 * kMillisecond);
  EXPECT_EQ(with_ha.run.metrics.checkpoints->restored_from,
            (std::vector<int64_t>{latest_completed_before(with_ha.run, 20 * kSecond)}));
  // The same without high availability: the restarted Dispatcher knows nothing of the job.
  const RunResult without = run_twice_with_trace(
      load(ha_job("single-jm-none", "jobmanagers: 1", "  high-availability.type: none\n",
                  "  - {at: 20 s, kill: jobmanager-0}\n  - {at: 30 s, restart: jobmanager-0}\n")));
  EXPECT_EQ(without.run.metrics.final_status, model::JobStatus::lost);
  EXPECT_EQ(without.run.metrics.failovers, 0);
}

// A batch job: 4 sources x 1000 records at 100/s (10 s), a keyed count (5 ms a record, about 5 s)
// and a slow exactly-once sink (80 ms a record, about 80 s), blocking edges, one slot per
// TaskManager. Sources finish at 10.17 s, counts by about 15.7 s; the sinks run until ~95 s.
std::string batch_job(const std::string& cluster, const std::string& recovery,
                      const std::string& faults) {
  return "name: batch-ha\nduration: 10 min\n"
         "cluster: {" +
         cluster +
         ", jobmanagers: 2}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n" +
         kZooKeeper + "  execution.batch.job-recovery.enabled: " + recovery +
         "\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 10\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n"
         "job:\n  mode: batch\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 4, records: 4000, rate: 100/s}\n"
         "    - {name: count, operator: aggregate, parallelism: 4, cost-per-record: 5 ms}\n"
         "    - {name: sink, operator: sink, delivery: exactly-once, parallelism: 4, "
         "cost-per-record: 80 ms}\n"
         "  edges:\n"
         "    - {from: source, to: count, partitioning: hash}\n"
         "    - {from: count, to: sink, partitioning: hash}\n"
         "faults:\n" +
         faults;
}

// Found by the HA property tests (docs/property-testing.md, "Model bugs the new generators
// found"). A ZooKeeper outage from 1.5 s to 2.7 s costs the only JobManager its leadership; its
// client reconnects with the same session at 3.78 s and the latch queues up again (deleting its
// old node, creating a new one), but with 50 ms of jitter those requests meet a partition of
// the JobManager from ZooKeeper (3.8 s to 4.8 s). Over TCP they would arrive once the network
// heals; the simulated network drops them, and the client sends a request again when it has been
// unanswered for the connection timeout (15 s); ZooKeeper answers a repeat from its memory. So
// the old node goes, the new one is first in the queue, and leadership comes back shortly after
// 3.78 s + 15 s. Before, the requests were lost for good and nobody led again: SUSPENDED at
// 300 s.
TEST(HighAvailabilityScenario, LatchRequestsLostInAPartitionAreSentAgainAndTheJobManagerLeadsAgain) {
  const RunResult result = run_twice_with_trace(load(
      "name: property-checkpoint-lineage-high-availability-3\n"
      "seed: 3\n"
      "duration: 300000 ms\n"
      "cluster: {deployment: standalone, taskmanagers: 1, standby-taskmanagers: 1, jobmanagers: 1, taskmanager-startup: 1000 ms}\n"
      "network: {jitter: 50 ms}\n"
      "config:\n"
      "  taskmanager.numberOfTaskSlots: 1\n"
      "  jobmanager.execution.failover-strategy: region\n"
      "  execution.checkpointing.interval: 1000 ms\n"
      "  execution.checkpointing.mode: EXACTLY_ONCE\n"
      "  execution.checkpointing.unaligned.enabled: false\n"
      "  execution.checkpointing.num-retained: 1\n"
      "  high-availability.type: zookeeper\n"
      "  high-availability.zookeeper.client.session-timeout: 10000 ms\n"
      "  high-availability.zookeeper.client.tolerate-suspended-connections: false\n"
      "  restart-strategy.type: fixed-delay\n"
      "  restart-strategy.fixed-delay.attempts: 1000\n"
      "  restart-strategy.fixed-delay.delay: 500 ms\n"
      "  heartbeat.interval: 1000 ms\n"
      "  heartbeat.timeout: 2000 ms\n"
      "job:\n"
      "  mode: streaming\n"
      "  vertices:\n"
      "    - {name: source1, operator: source, parallelism: 1, records: 2900, rate: 100/s, keys: 1, out-of-orderness: 50 ms}\n"
      "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
      "  edges:\n"
      "    - {from: source1, to: sink, partitioning: forward}\n"
      "faults:\n"
      "  - {at: 1500 ms, outage: zookeeper, for: 1200 ms}\n"
      "  - {at: 3800 ms, partition: [jobmanager-0, zookeeper], for: 1000 ms}\n"));
  const RunOutcome& run = result.run;
  expect_exactly_once(result);
  const auto granted = testing::times_ns_of(run, "jobmanager-0", "granted leadership");
  ASSERT_EQ(granted.size(), 2u);
  EXPECT_GT(granted[1], 18'780 * kMillisecond);
  EXPECT_LT(granted[1], 20 * kSecond);
}

// Found by the HA property tests: taskmanager-0 restarts at 3.8 s while ZooKeeper is down
// (3.6 s to 4.6 s), so leader retrieval has not named a ResourceManager yet, and the
// ResourceManager's disconnect of its old incarnation reaches it. It must wait for the leader's
// address (Flink's tryConnectToResourceManager) instead of registering with nobody: before,
// the model sent to an unset endpoint and aborted.
TEST(HighAvailabilityScenario, ATaskManagerRestartedWithoutALeaderWaitsForLeaderRetrieval) {
  const RunResult result = run_twice_with_trace(load(
      "name: property-checkpoint-lineage-high-availability-148072\n"
      "seed: 148072\n"
      "duration: 300000 ms\n"
      "cluster: {deployment: standalone, taskmanagers: 2, standby-taskmanagers: 0, jobmanagers: 1, taskmanager-startup: 3000 ms}\n"
      "config:\n"
      "  taskmanager.numberOfTaskSlots: 1\n"
      "  jobmanager.execution.failover-strategy: region\n"
      "  execution.checkpointing.interval: 1000 ms\n"
      "  execution.checkpointing.mode: EXACTLY_ONCE\n"
      "  execution.checkpointing.unaligned.enabled: false\n"
      "  execution.checkpointing.num-retained: 1\n"
      "  high-availability.type: zookeeper\n"
      "  high-availability.zookeeper.client.session-timeout: 10000 ms\n"
      "  high-availability.zookeeper.client.tolerate-suspended-connections: false\n"
      "  restart-strategy.type: fixed-delay\n"
      "  restart-strategy.fixed-delay.attempts: 1000\n"
      "  restart-strategy.fixed-delay.delay: 1000 ms\n"
      "  heartbeat.interval: 1000 ms\n"
      "  heartbeat.timeout: 2000 ms\n"
      "job:\n"
      "  mode: streaming\n"
      "  vertices:\n"
      "    - {name: source1, operator: source, parallelism: 2, records: 5800, rate: 100/s, keys: 16}\n"
      "    - {name: sink, operator: sink, parallelism: 2, delivery: exactly-once}\n"
      "  edges:\n"
      "    - {from: source1, to: sink, partitioning: hash}\n"
      "faults:\n"
      "  - {at: 2700 ms, kill: taskmanager-0}\n"
      "  - {at: 3800 ms, restart: taskmanager-0}\n"
      "  - {at: 3600 ms, outage: zookeeper, for: 1000 ms}\n"));
  expect_exactly_once(result);
  const auto registered = testing::times_ns_of(result.run, "taskmanager-0", "registered at resourcemanager");
  ASSERT_GE(registered.size(), 2u);
  EXPECT_GT(registered.back(), 4'600 * kMillisecond) << "after ZooKeeper is back";
}

// Found by the HA exactly-once property: the leader, cut off from ZooKeeper from 5.9 s to 7.4 s
// while tolerating suspension, completes a checkpoint whose pointer write is lost in the
// partition and sent again after the connect timeout. Until ZooKeeper takes it the checkpoint
// still counts as pending (max-concurrent-checkpoints 1), as in Flink; before, the next
// checkpoint was triggered and finalized first, and the late one then broke the store's order
// (a model assertion aborted the run).
TEST(HighAvailabilityScenario, ACheckpointAwaitingItsPointerInZooKeeperIsStillPending) {
  const RunResult result = run_twice_with_trace(load(
      "name: property-exactly-once-high-availability-668507\n"
      "seed: 668507\n"
      "duration: 300000 ms\n"
      "cluster: {deployment: kubernetes, taskmanagers: 3, standby-taskmanagers: 2, jobmanagers: 2, taskmanager-startup: 3000 ms}\n"
      "network: {jitter: 50 ms}\n"
      "config:\n"
      "  taskmanager.numberOfTaskSlots: 2\n"
      "  jobmanager.execution.failover-strategy: full\n"
      "  execution.checkpointing.interval: 1000 ms\n"
      "  execution.checkpointing.mode: EXACTLY_ONCE\n"
      "  execution.checkpointing.unaligned.enabled: false\n"
      "  execution.checkpointing.num-retained: 3\n"
      "  high-availability.type: zookeeper\n"
      "  high-availability.zookeeper.client.session-timeout: 10000 ms\n"
      "  high-availability.zookeeper.client.tolerate-suspended-connections: true\n"
      "  restart-strategy.type: exponential-delay\n"
      "  restart-strategy.exponential-delay.initial-backoff: 200 ms\n"
      "  restart-strategy.exponential-delay.max-backoff: 1000 ms\n"
      "  restart-strategy.exponential-delay.backoff-multiplier: 1.5\n"
      "  restart-strategy.exponential-delay.jitter-factor: 0.0\n"
      "  heartbeat.interval: 1000 ms\n"
      "  heartbeat.timeout: 4000 ms\n"
      "job:\n"
      "  mode: streaming\n"
      "  vertices:\n"
      "    - {name: source1, operator: source, parallelism: 3, records: 18600, rate: 200/s, keys: 5, out-of-orderness: 50 ms}\n"
      "    - {name: source2, operator: source, parallelism: 4, records: 12400, rate: 100/s, keys: 16, out-of-orderness: 50 ms}\n"
      "    - {name: aggregate1, operator: aggregate, parallelism: 4, function: count}\n"
      "    - {name: sink, operator: sink, parallelism: 2, delivery: exactly-once}\n"
      "  edges:\n"
      "    - {from: source1, to: aggregate1, partitioning: hash}\n"
      "    - {from: source2, to: aggregate1, partitioning: hash}\n"
      "    - {from: aggregate1, to: sink, partitioning: rebalance}\n"
      "faults:\n"
      "  - {at: 5900 ms, partition: [jobmanager-0, zookeeper], for: 1500 ms}\n"
      "  - {at: 6300 ms, fail-task: \"source2:2\"}\n"));
  expect_exactly_once(result);
  expect_checkpoint_ids_increase(result.run);
}

// Found by the HA exactly-once property: a 1 s partition of the leader from ZooKeeper (shorter
// than the 13.3 s read timeout, so the client never notices) drops ZooKeeper's answer to a
// checkpoint pointer write. The client sends a request again when it stays unanswered for the
// connection timeout (15 s), as TCP would have delivered the answer after the heal; before,
// the checkpoint waited for its pointer forever, no later one was triggered, and with FLIP-147
// the bounded job could never finish (RUNNING at 300 s).
TEST(HighAvailabilityScenario, AnAnswerLostInAPartitionIsAskedForAgain) {
  const RunResult result = run_twice_with_trace(load(
      "name: property-exactly-once-high-availability-1711\n"
      "seed: 1711\n"
      "duration: 300000 ms\n"
      "cluster: {deployment: standalone, taskmanagers: 1, standby-taskmanagers: 0, jobmanagers: 1, taskmanager-startup: 1000 ms}\n"
      "network: {jitter: 20 ms}\n"
      "config:\n"
      "  taskmanager.numberOfTaskSlots: 1\n"
      "  jobmanager.execution.failover-strategy: region\n"
      "  execution.checkpointing.interval: 1000 ms\n"
      "  execution.checkpointing.mode: EXACTLY_ONCE\n"
      "  execution.checkpointing.unaligned.enabled: false\n"
      "  execution.checkpointing.num-retained: 1\n"
      "  high-availability.type: zookeeper\n"
      "  high-availability.zookeeper.client.session-timeout: 20000 ms\n"
      "  high-availability.zookeeper.client.tolerate-suspended-connections: false\n"
      "  restart-strategy.type: exponential-delay\n"
      "  restart-strategy.exponential-delay.initial-backoff: 100 ms\n"
      "  restart-strategy.exponential-delay.max-backoff: 2000 ms\n"
      "  restart-strategy.exponential-delay.backoff-multiplier: 1.5\n"
      "  restart-strategy.exponential-delay.jitter-factor: 0.1\n"
      "  heartbeat.interval: 500 ms\n"
      "  heartbeat.timeout: 3000 ms\n"
      "job:\n"
      "  mode: streaming\n"
      "  vertices:\n"
      "    - {name: source1, operator: source, parallelism: 1, records: 4300, rate: 100/s, keys: 1, out-of-orderness: 50 ms}\n"
      "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
      "  edges:\n"
      "    - {from: source1, to: sink, partitioning: rebalance}\n"
      "faults:\n"
      "  - {at: 2000 ms, partition: [jobmanager-0, zookeeper], for: 1000 ms}\n"));
  expect_exactly_once(result);
  expect_checkpoint_ids_increase(result.run);
}

// Found by the HA exactly-once property (518 records lost): `source1:1` fails the instant the
// only JobManager is cut off from ZooKeeper for 10 s, while ZooKeeper has just taken the pointer
// of checkpoint 5 and its answer is on the way back (without faults checkpoint 5 completes at
// 5.651326 s, so at 5.651 s ZooKeeper, at least 1 ms away, already holds it). The answer is
// lost, so checkpoint 5 is still finalizing when the failover wants to restore. Flink's restore
// waits for the coordinator's lock, which the finalization holds; before, the model restored
// checkpoint 4, the new sink attempt aborted checkpoint 5's pre-committed transaction, and the
// leader that came back recovered checkpoint 5 from ZooKeeper: the records between checkpoints 4
// and 5 were never committed.
// Timeline (10 s sessions: read timeout 6.67 s, a SUSPENDED session is LOST after another 10 s):
// the client last heard ZooKeeper at 5.360 s, so it is SUSPENDED at 12.027 s and the waiting
// restart is dropped with the leadership; LOST at 22.027 s, leading again at 23.186 s, and the
// only restore of the run is the new leader's, from checkpoint 5.
// (The fault was at 5.7 s until the data plane sent a producer's buffers for one TaskExecutor as
// one message: with 50 ms of jitter drawn per message, every instant after that moved.)
TEST(HighAvailabilityScenario, ARestoreWaitsForACheckpointZooKeeperMayAlreadyHold) {
  const RunResult result = run_twice_with_trace(load(
      "name: property-exactly-once-high-availability-317577\n"
      "seed: 317577\n"
      "duration: 300000 ms\n"
      "cluster: {deployment: kubernetes, taskmanagers: 2, standby-taskmanagers: 1, jobmanagers: 1, taskmanager-startup: 1000 ms}\n"
      "network: {jitter: 50 ms}\n"
      "config:\n"
      "  taskmanager.numberOfTaskSlots: 2\n"
      "  jobmanager.execution.failover-strategy: region\n"
      "  execution.checkpointing.interval: 1000 ms\n"
      "  execution.checkpointing.mode: EXACTLY_ONCE\n"
      "  execution.checkpointing.unaligned.enabled: false\n"
      "  execution.checkpointing.num-retained: 1\n"
      "  high-availability.type: zookeeper\n"
      "  high-availability.zookeeper.client.session-timeout: 10000 ms\n"
      "  high-availability.zookeeper.client.tolerate-suspended-connections: false\n"
      "  restart-strategy.type: exponential-delay\n"
      "  restart-strategy.exponential-delay.initial-backoff: 500 ms\n"
      "  restart-strategy.exponential-delay.max-backoff: 2000 ms\n"
      "  restart-strategy.exponential-delay.backoff-multiplier: 2.0\n"
      "  restart-strategy.exponential-delay.jitter-factor: 0.1\n"
      "  heartbeat.interval: 500 ms\n"
      "  heartbeat.timeout: 2000 ms\n"
      "job:\n"
      "  mode: streaming\n"
      "  vertices:\n"
      "    - {name: source1, operator: source, parallelism: 2, records: 5800, rate: 100/s, keys: 1, out-of-orderness: 0 ms}\n"
      "    - {name: source2, operator: source, parallelism: 3, records: 8700, rate: 100/s, keys: 1, out-of-orderness: 100 ms}\n"
      "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
      "  edges:\n"
      "    - {from: source1, to: sink, partitioning: hash}\n"
      "    - {from: source2, to: sink, partitioning: hash}\n"
      "faults:\n"
      "  - {at: 5651 ms, fail-task: \"source1:1\"}\n"
      "  - {at: 5651 ms, partition: [jobmanager-0, zookeeper], for: 10000 ms}\n"));
  expect_exactly_once(result);
  const RunOutcome& run = result.run;
  EXPECT_EQ(latest_completed_before(run, 5'651 * kMillisecond), 4) << "5 never completes here";
  const auto waits = testing::times_ns_of(run, "jobmanager-0", "restore waits");
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_GT(waits[0], 5'651 * kMillisecond);
  EXPECT_LT(waits[0], 6'300 * kMillisecond);
  const auto suspended = testing::times_ns_of(run, "jobmanager-0", "zookeeper SUSPENDED");
  ASSERT_EQ(suspended.size(), 1u);
  EXPECT_NEAR(suspended[0], 12'027 * kMillisecond, 1 * kMillisecond);
  // No task of the first leadership is deployed again after the failure.
  for (const std::string task : {"source1:0", "source1:1", "sink:0"}) {
    for (int64_t at : testing::times_ns_of(run, task, "DEPLOYING")) {
      EXPECT_TRUE(at < 5'651 * kMillisecond || at > 23'000 * kMillisecond) << task << " at " << at;
    }
  }
  ASSERT_TRUE(run.metrics.checkpoints.has_value());
  EXPECT_EQ(run.metrics.checkpoints->restored_from, std::vector<int64_t>{5});
}

// Found by the HA lineage property once two ZooKeeper faults could meet: ZooKeeper is down from
// 3.2 s to 4.7 s, which suspends the leader jobmanager-1 (it gives up the leadership); the standby
// jobmanager-0 sent nothing in that time and never noticed. jobmanager-1 RECONNECTS at 5.658 s and
// resets its latch: it deletes its node, so jobmanager-0's node is the first in the queue. The
// watch event that says so goes out while jobmanager-0 is cut off from ZooKeeper (5.1 s to 5.7 s,
// far shorter than its 13.3 s read timeout) and is lost; TCP would have delivered it after the
// heal. Before, nobody led again (SUSPENDED at 300 s). Now the answer to jobmanager-0's next ping
// (every 20 s / 3 from its connection at 0.008 s: 6.675 s) shows that the server sent watch
// events the client never got, and the latch reads the queue again and leads.
TEST(HighAvailabilityScenario, WatchEventsLostInAPartitionAreNoticedAtTheNextPing) {
  const RunResult result = run_twice_with_trace(load(
      "name: property-checkpoint-lineage-high-availability-1\n"
      "seed: 1\n"
      "duration: 300000 ms\n"
      "cluster: {deployment: standalone, taskmanagers: 1, standby-taskmanagers: 0, jobmanagers: 2, taskmanager-startup: 1000 ms}\n"
      "network: {jitter: 5 ms}\n"
      "config:\n"
      "  taskmanager.numberOfTaskSlots: 1\n"
      "  jobmanager.execution.failover-strategy: region\n"
      "  execution.checkpointing.interval: 1000 ms\n"
      "  execution.checkpointing.mode: EXACTLY_ONCE\n"
      "  execution.checkpointing.unaligned.enabled: false\n"
      "  execution.checkpointing.num-retained: 1\n"
      "  execution.checkpointing.tolerable-failed-checkpoints: 1\n"
      "  high-availability.type: zookeeper\n"
      "  high-availability.zookeeper.client.session-timeout: 20000 ms\n"
      "  high-availability.zookeeper.client.tolerate-suspended-connections: false\n"
      "  restart-strategy.type: exponential-delay\n"
      "  restart-strategy.exponential-delay.initial-backoff: 100 ms\n"
      "  restart-strategy.exponential-delay.max-backoff: 1000 ms\n"
      "  restart-strategy.exponential-delay.backoff-multiplier: 1.5\n"
      "  restart-strategy.exponential-delay.jitter-factor: 0.0\n"
      "  heartbeat.interval: 500 ms\n"
      "  heartbeat.timeout: 3000 ms\n"
      "job:\n"
      "  mode: streaming\n"
      "  vertices:\n"
      "    - {name: source1, operator: source, parallelism: 1, records: 4500, rate: 100/s, keys: 1, out-of-orderness: 50 ms}\n"
      "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
      "  edges:\n"
      "    - {from: source1, to: sink, partitioning: hash}\n"
      "faults:\n"
      "  - {at: 3200 ms, outage: zookeeper, for: 1500 ms}\n"
      "  - {at: 5100 ms, partition: [jobmanager-0, zookeeper], for: 600 ms}\n"));
  expect_exactly_once(result);
  const RunOutcome& run = result.run;
  const auto lost = testing::times_ns_of(run, "jobmanager-0", "zookeeper watch events lost");
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_GT(lost[0], 6'675 * kMillisecond);
  EXPECT_LT(lost[0], 6'675 * kMillisecond + 60 * kMillisecond) << "one round trip with jitter";
  const auto granted = testing::times_ns_of(run, "jobmanager-0", "granted leadership");
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_GT(granted[0], lost[0]);
  EXPECT_LT(granted[0], lost[0] + 100 * kMillisecond);
  expect_checkpoint_ids_increase(run);
}

// Found by the property of committed output once a ZooKeeper fault could meet a JobManager
// restart: the only JobManager, killed at 1.6 s and restarted at 2.6 s, opens a new session at
// 2.665 s and registers its watch on the latch; ZooKeeper crashes at 2.7 s before the request
// arrives (50 ms jitter). The client RECONNECTS to the same session at 3.769 s. ZooKeeper's client
// sends all its watches again on every connection (SetWatches), not only for a new session, so
// the registration is made then; before, the server never told the latch that the old
// incarnation's node was gone, and the job stayed SUSPENDED. That node goes when the old session
// expires: the restarted server gives every session a fresh timeout, 3.7 s + 10 s = 13.7 s.
TEST(HighAvailabilityScenario, WatchesAreRegisteredAgainOnEveryReconnection) {
  const RunResult result = run_twice_with_trace(load(
      "name: property-output-never-retracted-1886\n"
      "seed: 1886\n"
      "duration: 300000 ms\n"
      "cluster: {deployment: kubernetes, taskmanagers: 2, standby-taskmanagers: 1, jobmanagers: 1, taskmanager-startup: 1000 ms}\n"
      "network: {jitter: 50 ms}\n"
      "config:\n"
      "  taskmanager.numberOfTaskSlots: 1\n"
      "  jobmanager.execution.failover-strategy: region\n"
      "  execution.checkpointing.interval: 1000 ms\n"
      "  execution.checkpointing.mode: EXACTLY_ONCE\n"
      "  execution.checkpointing.unaligned.enabled: false\n"
      "  execution.checkpointing.num-retained: 1\n"
      "  execution.checkpointing.tolerable-failed-checkpoints: 3\n"
      "  high-availability.type: zookeeper\n"
      "  high-availability.zookeeper.client.session-timeout: 10000 ms\n"
      "  high-availability.zookeeper.client.tolerate-suspended-connections: false\n"
      "  restart-strategy.type: failure-rate\n"
      "  restart-strategy.failure-rate.max-failures-per-interval: 100\n"
      "  restart-strategy.failure-rate.failure-rate-interval: 60000 ms\n"
      "  restart-strategy.failure-rate.delay: 500 ms\n"
      "  heartbeat.interval: 1000 ms\n"
      "  heartbeat.timeout: 4000 ms\n"
      "job:\n"
      "  mode: streaming\n"
      "  vertices:\n"
      "    - {name: source1, operator: source, parallelism: 2, records: 5200, rate: 100/s, keys: 1, out-of-orderness: 100 ms}\n"
      "    - {name: aggregate1, operator: aggregate, parallelism: 2, function: count}\n"
      "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
      "  edges:\n"
      "    - {from: source1, to: aggregate1, partitioning: hash}\n"
      "    - {from: aggregate1, to: sink, partitioning: hash}\n"
      "faults:\n"
      "  - {at: 1600 ms, kill: jobmanager-0}\n"
      "  - {at: 2600 ms, restart: jobmanager-0}\n"
      "  - {at: 2700 ms, outage: zookeeper, for: 1000 ms}\n"));
  expect_exactly_once(result);
  const RunOutcome& run = result.run;
  const auto expired = testing::times_ns_of(run, "zookeeper", "session expired");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0], 13'700 * kMillisecond);
  const auto granted = testing::times_ns_of(run, "jobmanager-0", "granted leadership");
  ASSERT_EQ(granted.size(), 2u);
  EXPECT_GT(granted[1], expired[0]);
  EXPECT_LT(granted[1], expired[0] + 150 * kMillisecond) << "a watch event and a children read";
}

// Found by the batch HA property: the only JobManager, killed at 13.4 s and restarted at
// 14.4 s, opens session 3 at 14.449 s and queues behind its predecessor's latch node, which goes
// when session 1 expires at 23.375 s (last heard at 13.375 s, 10 s sessions). The watch event
// saying so is lost: jobmanager-0 is cut off from ZooKeeper from 22.5 s to 23.4 s. Its pings
// (every 10 s / 3 from 14.449 s) should have shown the gap at 24.45 s, but the restarted client
// had also counted the events ZooKeeper still sent to its predecessor's session on the same
// endpoint, and saw none; the job stayed SUSPENDED. Events now name their session, and a
// client takes only its own.
TEST(HighAvailabilityScenario, ARestartedJobManagerCountsOnlyItsOwnSessionsWatchEvents) {
  const RunResult result = run_twice_with_trace(load(
      "name: property-exactly-once-batch-high-availability-41234\n"
      "seed: 41234\n"
      "duration: 300000 ms\n"
      "cluster: {deployment: standalone, taskmanagers: 1, standby-taskmanagers: 0, jobmanagers: 1, taskmanager-startup: 1000 ms}\n"
      "network: {jitter: 50 ms}\n"
      "config:\n"
      "  taskmanager.numberOfTaskSlots: 1\n"
      "  jobmanager.execution.failover-strategy: region\n"
      "  execution.checkpointing.interval: 1000 ms\n"
      "  execution.checkpointing.mode: EXACTLY_ONCE\n"
      "  execution.checkpointing.unaligned.enabled: false\n"
      "  execution.checkpointing.num-retained: 1\n"
      "  execution.batch.job-recovery.enabled: true\n"
      "  execution.checkpointing.tolerable-failed-checkpoints: 10\n"
      "  high-availability.type: zookeeper\n"
      "  high-availability.zookeeper.client.session-timeout: 10000 ms\n"
      "  high-availability.zookeeper.client.tolerate-suspended-connections: false\n"
      "  restart-strategy.type: exponential-delay\n"
      "  restart-strategy.exponential-delay.initial-backoff: 200 ms\n"
      "  restart-strategy.exponential-delay.max-backoff: 2000 ms\n"
      "  restart-strategy.exponential-delay.backoff-multiplier: 1.5\n"
      "  restart-strategy.exponential-delay.jitter-factor: 0.1\n"
      "  heartbeat.interval: 500 ms\n"
      "  heartbeat.timeout: 2000 ms\n"
      "job:\n"
      "  mode: batch\n"
      "  vertices:\n"
      "    - {name: source1, operator: source, parallelism: 1, records: 2600, rate: 100/s, keys: 1, out-of-orderness: 50 ms}\n"
      "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
      "  edges:\n"
      "    - {from: source1, to: sink, partitioning: broadcast}\n"
      "faults:\n"
      "  - {at: 13400 ms, kill: jobmanager-0}\n"
      "  - {at: 14400 ms, restart: jobmanager-0}\n"
      "  - {at: 22500 ms, partition: [jobmanager-0, zookeeper], for: 900 ms}\n"));
  expect_exactly_once(result);
  const RunOutcome& run = result.run;
  const auto lost = testing::times_ns_of(run, "jobmanager-0", "zookeeper watch events lost");
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_GT(lost[0], (14'449 + 3 * 3'333) * kMillisecond);
  EXPECT_LT(lost[0], (14'449 + 3 * 3'334) * kMillisecond + 60 * kMillisecond);
  const auto granted = testing::times_ns_of(run, "jobmanager-0", "granted leadership");
  ASSERT_EQ(granted.size(), 2u);
  EXPECT_GT(granted[1], lost[0]);
  EXPECT_LT(granted[1], lost[0] + 100 * kMillisecond);
}

// Found by the HA exactly-once property: with tolerated suspension the leader cut off from
// ZooKeeper restarts its tasks in vain until its session is LOST, and its JobMaster is closed
// while a restart's backoff timer is still set. That timer, like the JobMaster's other timers
// and delivery callbacks, now runs only while the JobMaster lives; before, it ran into the
// closed one (a segmentation fault).
TEST(HighAvailabilityScenario, ADeposedLeadersTimersDieWithItsJobMaster) {
  const RunResult result = run_twice_with_trace(load(
      "name: property-exactly-once-high-availability-106890\n"
      "seed: 106890\n"
      "duration: 300000 ms\n"
      "cluster: {deployment: kubernetes, taskmanagers: 3, standby-taskmanagers: 1, jobmanagers: 2, taskmanager-startup: 2000 ms}\n"
      "network: {jitter: 20 ms}\n"
      "config:\n"
      "  taskmanager.numberOfTaskSlots: 2\n"
      "  jobmanager.execution.failover-strategy: full\n"
      "  execution.checkpointing.interval: 1000 ms\n"
      "  execution.checkpointing.mode: EXACTLY_ONCE\n"
      "  execution.checkpointing.unaligned.enabled: true\n"
      "  execution.checkpointing.num-retained: 1\n"
      "  high-availability.type: zookeeper\n"
      "  high-availability.zookeeper.client.session-timeout: 20000 ms\n"
      "  high-availability.zookeeper.client.tolerate-suspended-connections: true\n"
      "  restart-strategy.type: exponential-delay\n"
      "  restart-strategy.exponential-delay.initial-backoff: 100 ms\n"
      "  restart-strategy.exponential-delay.max-backoff: 2000 ms\n"
      "  restart-strategy.exponential-delay.backoff-multiplier: 2.0\n"
      "  restart-strategy.exponential-delay.jitter-factor: 0.0\n"
      "  heartbeat.interval: 1000 ms\n"
      "  heartbeat.timeout: 4000 ms\n"
      "job:\n"
      "  mode: streaming\n"
      "  vertices:\n"
      "    - {name: source1, operator: source, parallelism: 3, records: 13800, rate: 100/s, keys: 18, out-of-orderness: 0 ms}\n"
      "    - {name: window1, operator: window, parallelism: 1, function: count, size: 2000 ms}\n"
      "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
      "  edges:\n"
      "    - {from: source1, to: window1, partitioning: hash}\n"
      "    - {from: window1, to: sink, partitioning: forward}\n"
      "faults:\n"
      "  - {at: 6000 ms, partition: [jobmanager-0, zookeeper], for: 20100 ms}\n"));
  expect_exactly_once(result);
  expect_checkpoint_ids_increase(result.run);
}

TEST(BatchJobRecoveryScenario,
     NewLeaderKeepsFinishedStagesWithJobRecoveryAndRestartsEverythingWithout) {
  // The leader dies at 20 s, after the sources and counts finished, while the sinks run. The
  // TaskManagers fail the sinks at the heartbeat timeout (about 60 s).
  const std::string kill = "  - {at: 20 s, kill: jobmanager-leader}\n";
  const RunResult on = run_twice_with_trace(load(batch_job("taskmanagers: 4", "true", kill)));
  const RunResult off = run_twice_with_trace(load(batch_job("taskmanagers: 4", "false", kill)));
  expect_exactly_once(on);
  expect_exactly_once(off);
  // With job recovery the new leader replays 8 finished events (4 sources, 4 counts), all four
  // TaskManagers report their partitions on registering (within the first registration retries,
  // far below the 30 s previous-worker timeout), and only the 4 sinks run again.
  EXPECT_EQ(on.run.metrics.failovers, 1);
  EXPECT_EQ(on.run.metrics.tasks_restarted, 4);
  const auto reconciling = testing::times_ns_of(on.run, "jobmanager-1", "job reconciling");
  const auto reconciled = testing::times_ns_of(on.run, "jobmanager-1", "job reconciled");
  ASSERT_EQ(reconciling.size(), 1u);
  ASSERT_EQ(reconciled.size(), 1u);
  EXPECT_LT(reconciled[0] - reconciling[0], kSecond);
  for (const std::string task : {"Source: source (1/4)", "count (4/4)"}) {
    EXPECT_EQ(testing::times_ns_of(on.run, task, "DEPLOYING").size(), 1u) << task;
  }
  EXPECT_EQ(testing::times_ns_of(on.run, "Sink: sink (3/4)", "DEPLOYING").size(), 2u);
  // Without it the batch job starts from scratch on the new leader: all 12 tasks run again.
  EXPECT_EQ(off.run.metrics.failovers, 1);
  EXPECT_EQ(off.run.metrics.tasks_restarted, 12);
  EXPECT_EQ(testing::times_ns_of(off.run, "Source: source (1/4)", "DEPLOYING").size(), 2u);
  // The new leader comes when the old session expires, 60 s after it was last touched: with job
  // recovery the last touch is the last job event (the last count finishing, about 15.7 s);
  // without, nothing writes to ZooKeeper after the submission, and the pings (every 20 s from
  // 2 ms) did not reach 20.002 s before the kill: the session expires at about 60 s.
  const auto on_granted = testing::times_ns_of(on.run, "jobmanager-1", "granted leadership");
  const auto off_granted = testing::times_ns_of(off.run, "jobmanager-1", "granted leadership");
  ASSERT_EQ(on_granted.size(), 1u);
  ASSERT_EQ(off_granted.size(), 1u);
  EXPECT_NEAR(on_granted[0], testing::times_ns_of(on.run, "count (1/4)", "FINISHED").at(0) + 60 * kSecond, kSecond);
  EXPECT_NEAR(off_granted[0], 60 * kSecond, 50 * kMillisecond);
}

// Issue 19 item 7: DefaultBatchJobRecoveryHandler keeps only the finished subtasks covered by a
// snapshot, and the job event store loses what it had not flushed. The same batch job, the
// leader killed at 15.3 s. Timeline (the JobMaster starts at 0.012 s; its event store flushes
// at 0.012 + k x flush-interval): the sources finish at 10.167 s (the first event takes a
// snapshot, the last finishes the job vertex: a snapshot, written at once); count:2 finishes at
// 14.999 s (4.8 s after the last snapshot: none with the default 3 min min-pause; buffered,
// flushed at 15.012 s), count:1 at 15.224 s (buffered, next flush 16.012 s: lost at 15.3 s);
// count:3 (15.359 s) and count:0 (15.694 s) never finish under this leader. The old session
// expires 60 s after the 15.012 s flush. The new leader replays sources and count:2, drops the
// trailing count:2 (no snapshot): 4 kept, 8 run (all counts and sinks). With min-pause 1 s,
// count:2's event has a snapshot: 5 kept, 7 run. With min-pause 100 ms and flush-interval 50 ms,
// count:1's event (0.225 s after count:2's snapshot: one too) is flushed at 15.262 s: 6 kept,
// 6 run, as the model did before it knew of either.
TEST(BatchJobRecoveryScenario, OnlyFlushedFinishesCoveredByASnapshotAreKept) {
  const std::string kill = "  - {at: 15300 ms, kill: jobmanager-leader}\n";
  const auto run = [&kill](const std::string& config) {
    std::string yaml = batch_job("taskmanagers: 4", "true", kill);
    yaml.replace(yaml.find("  restart-strategy.type"), 0, config);
    return run_twice_with_trace(load(yaml));
  };
  const RunResult defaults = run("");
  const RunResult min_pause = run("  execution.batch.job-recovery.snapshot.min-pause: 1 s\n");
  const RunResult both =
      run("  execution.batch.job-recovery.snapshot.min-pause: 100 ms\n"
          "  job-event.store.write-buffer.flush-interval: 50 ms\n");
  for (const RunResult* result : {&defaults, &min_pause, &both}) {
    expect_exactly_once(*result);
    EXPECT_EQ(result->run.metrics.failovers, 1);
  }
  EXPECT_EQ(defaults.run.metrics.tasks_restarted, 8);
  EXPECT_EQ(min_pause.run.metrics.tasks_restarted, 7);
  EXPECT_EQ(both.run.metrics.tasks_restarted, 6);
  EXPECT_EQ(testing::times_ns_of(defaults.run, "count (3/4)", "DEPLOYING").size(), 2u) << "dropped: no snapshot";
  EXPECT_EQ(testing::times_ns_of(min_pause.run, "count (3/4)", "DEPLOYING").size(), 1u);
  EXPECT_EQ(testing::times_ns_of(min_pause.run, "count (2/4)", "DEPLOYING").size(), 2u) << "lost in the buffer";
  EXPECT_EQ(testing::times_ns_of(both.run, "count (2/4)", "DEPLOYING").size(), 1u);
  // The session expires 60 s after the leader's last write: the flush at 15.012 s (15.262 s).
  EXPECT_EQ(testing::times_ns_of(defaults.run, "zookeeper", "session expired").at(0) / kMillisecond, 75013);
  EXPECT_EQ(testing::times_ns_of(both.run, "zookeeper", "session expired").at(0) / kMillisecond, 75263);
}

// Found by AtLeastOnceProperty.BatchJobsRecoveredByANewLeaderLoseNoRecord (shrunk). source1
// (4300 records at 100/s) finishes at 43.355 s; sink:1 fails at 43.4 s while ZooKeeper is down
// (43.4 s - 44.4 s); the full failover redeploys source1 on taskmanager-0 at 43.617 s under the
// same partition id. The reset event waits in the job event store's buffer; its flush at
// 44.172 s is refused: SUSPENDED, leadership revoked, source1 FAILED at 44.185 s, and the event
// is lost. Leader again at 45.243 s, the replay still has source1 finished: taskmanager-0 must
// not report the failed attempt's partial partition as that finished one. It does not (a failed
// producer's blocking partitions are released): 0 kept, 3 to run, source1 runs again from
// 45.613 s (done 88.763 s), FINISHED at 90.312 s, exactly-once.
TEST(BatchJobRecoveryScenario, AFailedRerunLeavesNoPartialPartitionPassingForTheFinishedOne) {
  const RunResult result = run_twice_with_trace(load(R"(name: partial-partition
seed: 1
duration: 300000 ms
cluster: {taskmanagers: 2, jobmanagers: 1}
network: {jitter: 20 ms}
config:
  taskmanager.numberOfTaskSlots: 1
  jobmanager.execution.failover-strategy: full
  execution.batch.job-recovery.enabled: true
  high-availability.type: zookeeper
  high-availability.zookeeper.client.session-timeout: 20000 ms
  restart-strategy.type: fixed-delay
  restart-strategy.fixed-delay.attempts: 1000
  restart-strategy.fixed-delay.delay: 200 ms
  heartbeat.interval: 500 ms
  heartbeat.timeout: 3000 ms
job:
  mode: batch
  vertices:
    - {name: source1, operator: source, parallelism: 1, records: 4300, rate: 100/s, keys: 1}
    - {name: sink, operator: sink, parallelism: 2, delivery: exactly-once}
  edges:
    - {from: source1, to: sink, partitioning: rescale}
faults:
  - {at: 43400 ms, fail-task: "sink:1"}
  - {at: 43400 ms, outage: zookeeper, for: 1000 ms}
)"));
  expect_exactly_once(result);
  EXPECT_EQ(testing::times_ns_of(result.run, "Source: source1 (1/1)", "FAILED").at(0) / kMillisecond, 44185);
  EXPECT_EQ(testing::times_ns_of(result.run, "Source: source1 (1/1)", "DEPLOYING").size(), 3u);
  EXPECT_EQ(result.run.metrics.finished_at->milliseconds_since_start(), 90312);
}

TEST(BatchJobRecoveryScenario, LostTaskManagerPartitionsReRunOnlyTheProducersStillNeeded) {
  // The leader and taskmanager-1 die together at 20 s; a standby TaskManager is there. The new
  // leader waits the whole previous-worker recovery timeout (30 s) for taskmanager-1, which never
  // reports. Its finished partitions are gone: the count that ran there must run again (its
  // consumers, the sinks, are unfinished), and with it the source that ran there (the count reads
  // every source's partition). Every other source and count stays finished.
  const RunResult result = run_twice_with_trace(load(
      batch_job("taskmanagers: 4, standby-taskmanagers: 1", "true",
                "  - {at: 20 s, kill: jobmanager-leader}\n  - {at: 20 s, kill: taskmanager-1}\n")));
  expect_exactly_once(result);
  const RunOutcome& run = result.run;
  const auto reconciling = testing::times_ns_of(run, "jobmanager-1", "job reconciling");
  const auto reconciled = testing::times_ns_of(run, "jobmanager-1", "job reconciled");
  ASSERT_EQ(reconciling.size(), 1u);
  ASSERT_EQ(reconciled.size(), 1u);
  EXPECT_NEAR(reconciled[0] - reconciling[0], 30 * kSecond, kMillisecond);
  // Which subtasks ran on taskmanager-1 (slot sharing puts one subtask of each vertex there).
  std::vector<std::string> on_lost;
  for (const sim::TraceEvent& event : run.trace) {
    if (event.kind == "DEPLOYING" && event.detail == "taskmanager-1" &&
        event.time.nanoseconds_since_start() < 20 * kSecond) {
      on_lost.push_back(event.component);
    }
  }
  ASSERT_EQ(on_lost.size(), 3u);  // a source, a count and a sink, same subtask index
  const std::string subtask = on_lost[0].substr(on_lost[0].rfind(' '));  // " (2/4)"
  EXPECT_EQ(run.metrics.tasks_restarted, 6);  // source, count of that subtask, and the 4 sinks
  ASSERT_EQ(run.metrics.failover_log.size(), 1u);
  EXPECT_EQ(run.metrics.failover_log[0].restarted_tasks,
            (std::vector<std::string>{"Sink: sink (1/4)", "Sink: sink (2/4)", "Sink: sink (3/4)",
                                      "Sink: sink (4/4)", "Source: source" + subtask, "count" + subtask}));
}

}  // namespace
}  // namespace flinksim::scenarios
