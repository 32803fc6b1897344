// Goal: JobManager high availability on Kubernetes behaves as Flink's Kubernetes HA services do
// (KubernetesLeaderElectionHaServices: fabric8's LeaderElector on the cluster ConfigMap, the
// execution plan, checkpoint pointers and counter in ConfigMaps): a JobManager pod restarted by
// Kubernetes (a new lock identity) waits out its own old lease, then recovers the job from the
// ConfigMap checkpoint pointer, exactly once; a standby takes over once the dead leader's lease
// ran out; an API-server outage longer than the renew deadline revokes leadership, suspends the
// job, and the job is recovered when the server is back.
// Method: one streaming job under each fault, `flinksim run` end to end twice (same trace hash),
// with the failure-free reference and the exactly-once oracle. Expected instants are derived by
// hand from Flink's defaults (lease-duration 15 s, renew-deadline 15 s, retry-period 5 s, acquire
// retries jittered to between 1 and 2.2 retry periods) and 1 ms links:
// - jobmanager-0's first acquire (due 0) reads the lock at 2 ms (not found) and creates it at
//   4 ms: it leads from 4 ms. Its renew loop starts at once and renews every 5 s; a renew due at
//   t reads at t + 2 ms and writes that instant as renew time, done at t + 4 ms. Nothing else
//   writes the cluster ConfigMap after the first second (checkpoint pointers and the counter live
//   in the job's ConfigMap), so the renews due 5.004, 10.004 and 15.004 s succeed.
#include <gtest/gtest.h>

#include <algorithm>
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

// The latest checkpoint completed before `time` (ns).
int64_t latest_completed_before(const RunOutcome& outcome, int64_t time) {
  int64_t latest = 0;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.component == "checkpoint-coordinator" && event.kind == "checkpoint-completed" &&
        event.time.nanoseconds_since_start() < time) {
      latest = std::max<int64_t>(latest, std::stoll(event.detail.substr(3)));
    }
  }
  return latest;
}

// 2 sources x 45000 records at 500/s, keyed 1 s windows, a two-phase-commit sink, checkpoints
// every 2 s, two one-slot TaskManagers, Kubernetes HA.
std::string kubernetes_job(const std::string& name, const std::string& cluster,
                           const std::string& faults) {
  return "name: " + name +
         "\nduration: 4 min\n"
         "cluster: {taskmanagers: 2, deployment: kubernetes" + cluster + "}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n"
         "  high-availability.type: kubernetes\n"
         "  execution.checkpointing.interval: 2 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 3\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, records: 90000, rate: 500/s, "
         "keys: 20}\n"
         "    - {name: window, operator: window, size: 1 s, function: sum, parallelism: 2}\n"
         "    - {name: sink, operator: sink, delivery: exactly-once, parallelism: 2}\n"
         "  edges:\n"
         "    - {from: source, to: window, partitioning: hash}\n"
         "    - {from: window, to: sink, partitioning: rebalance}\n"
         "faults:\n" +
         faults;
}

void expect_recovered_latest_checkpoint(const RunResult& result, int64_t fault) {
  testing::expect_finished_exactly_once(result);
  ASSERT_TRUE(result.run.metrics.checkpoints.has_value());
  const auto& restored = result.run.metrics.checkpoints->restored_from;
  ASSERT_EQ(restored.size(), 1u);
  EXPECT_EQ(restored[0], latest_completed_before(result.run, fault));
  EXPECT_GT(restored[0], 0);
}

// jobmanager-0 dies at 20 s: its last renew time is 15.006 s, its lease ends at 30.006 s.
// Kubernetes restarts the pod at 30 s with a new identity: its first attempt (due 30 s) reads
// the lock at 30.002 s, still its dead incarnation's; the next is due between 35 s and 41 s and
// takes the expired lock: leadership within (35.004 s, 41.004 s].
TEST(KubernetesHighAvailabilityScenario, RestartedJobManagerWaitsOutItsOldLeaseAndRecovers) {
  const RunResult result = testing::run_scenario_twice(
      load(kubernetes_job("pod-restart", "",
                          "  - {at: 20 s, kill: jobmanager-0}\n"
                          "  - {at: 30 s, restart: jobmanager-0}\n")),
      {.capture_trace = true});
  const RunOutcome& run = result.run;
  const auto granted = testing::times_ns_of(run, "jobmanager-0", "granted leadership");
  ASSERT_EQ(granted.size(), 2u);
  EXPECT_NEAR(granted[0], 4 * kMillisecond, 10'000);
  EXPECT_GT(granted[1], 35 * kSecond + 4 * kMillisecond);
  EXPECT_LE(granted[1], 41 * kSecond + 4 * kMillisecond);
  const auto held = testing::times_ns_of(run, "jobmanager-0", "kubernetes leader lease held");
  ASSERT_FALSE(held.empty());
  EXPECT_NEAR(held[0], 30 * kSecond + 2 * kMillisecond, 10'000);
  expect_recovered_latest_checkpoint(result, 20 * kSecond);
  EXPECT_EQ(run.metrics.failovers, 1);
}

// Two JobManagers; the leader is killed at 20 s: its lease (renew time 15.006 s) ends at
// 30.006 s. The standby's attempts read the lock 2 ms after they are due and are at most 11 s
// apart: it leads at its first attempt due after 30.004 s, within (30.008 s, 41.008 s].
TEST(KubernetesHighAvailabilityScenario, StandbyLeadsAfterTheDeadLeadersLeaseExpired) {
  const RunResult result = testing::run_scenario_twice(
      load(kubernetes_job("standby", ", jobmanagers: 2",
                          "  - {at: 20 s, kill: jobmanager-leader}\n")),
      {.capture_trace = true});
  const RunOutcome& run = result.run;
  const auto first = testing::times_ns_of(run, "jobmanager-0", "granted leadership");
  const auto second = testing::times_ns_of(run, "jobmanager-1", "granted leadership");
  ASSERT_EQ(first.size() + second.size(), 2u);
  const bool zero_led_first = !first.empty() && first[0] < 1 * kSecond;
  const int64_t takeover = zero_led_first ? second.at(0) : first.at(0);
  EXPECT_GT(takeover, 30 * kSecond + 8 * kMillisecond);
  EXPECT_LE(takeover, 41 * kSecond + 8 * kMillisecond);
  expect_recovered_latest_checkpoint(result, 20 * kSecond);
}

// The API server is down from 20 s to 50 s. jobmanager-0's renew due 15.004 s completed at
// 15.008 s: renew deadline 30.008 s. The renews due 20.004, 25.004 and 30.004 s are refused
// (2 ms round trip); the one due 35.004 s finds the deadline passed, its release is refused at
// 35.006 s: leadership revoked and the job SUSPENDED then. Checkpoints triggered in the outage
// fail (the counter cannot be written). After 50 s its next acquire attempt (at most 11 s apart)
// finds its old lease expired: leadership again within (50.004 s, 61.004 s], the job recovered
// from the latest checkpoint completed before the outage.
TEST(KubernetesHighAvailabilityScenario, ApiServerOutageLongerThanRenewDeadlineSuspendsTheJob) {
  const RunResult result = testing::run_scenario_twice(
      load(kubernetes_job("api-outage", "",
                          "  - {at: 20 s, outage: kubernetes-api-server, for: 30 s}\n")),
      {.capture_trace = true});
  const RunOutcome& run = result.run;
  const auto revoked = testing::times_ns_of(run, "jobmanager-0", "revoked leadership");
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_NEAR(revoked[0], 35 * kSecond + 6 * kMillisecond, 10'000);
  const auto suspended = testing::times_ns_of(run, "jobmanager-0", "job SUSPENDED");
  ASSERT_EQ(suspended.size(), 1u);
  EXPECT_EQ(suspended[0], revoked[0]);
  for (const int64_t failed : testing::times_ns_of(run, "checkpoint-coordinator", "checkpoint-trigger-failed")) {
    EXPECT_GE(failed, 20 * kSecond);
    EXPECT_LT(failed, revoked[0]);
  }
  const auto granted = testing::times_ns_of(run, "jobmanager-0", "granted leadership");
  ASSERT_EQ(granted.size(), 2u);
  EXPECT_GT(granted[1], 50 * kSecond + 4 * kMillisecond);
  EXPECT_LE(granted[1], 61 * kSecond + 4 * kMillisecond);
  expect_recovered_latest_checkpoint(result, 20 * kSecond);
}

// Two JobManagers; jobmanager-0 (the leader) is cut off from the API server from 20 s to 60 s;
// each of its requests waits the 10 s request timeout. Its lease (renew time 15.006 s) ends at
// 30.006 s: jobmanager-1 leads within (30.008 s, 41.008 s]. jobmanager-0's renew due 20.004 s
// times out at 30.004 s; the one due 25.004 s runs at once, 30.004 s not being past its deadline
// (15.008 + 15 = 30.008 s), and times out at 40.004 s; the next runs at once, finds the deadline
// passed and releases, and the release's read times out at 50.004 s: only then does it stop
// leading. In between both believe they lead: the TaskManagers follow jobmanager-1 (the
// ConfigMap they watch) and refuse jobmanager-0's deployments, whose restarts run out; its job
// FAILED is never recorded (it cannot reach the store), and the output stays exactly once.
TEST(KubernetesHighAvailabilityScenario, LeaderCutOffFromTheApiServerIsDeposedAndFencedOut) {
  const RunResult result = testing::run_scenario_twice(
      load(kubernetes_job(
          "split", ", jobmanagers: 2",
          "  - {at: 20 s, partition: [jobmanager-0, kubernetes-api-server], for: 40 s}\n")),
      {.capture_trace = true});
  const RunOutcome& run = result.run;
  const auto old_granted = testing::times_ns_of(run, "jobmanager-0", "granted leadership");
  ASSERT_EQ(old_granted.size(), 1u);
  EXPECT_NEAR(old_granted[0], 4 * kMillisecond, 10'000);
  const auto new_granted = testing::times_ns_of(run, "jobmanager-1", "granted leadership");
  ASSERT_EQ(new_granted.size(), 1u);
  EXPECT_GT(new_granted[0], 30 * kSecond + 8 * kMillisecond);
  EXPECT_LE(new_granted[0], 41 * kSecond + 8 * kMillisecond);
  const auto revoked = testing::times_ns_of(run, "jobmanager-0", "revoked leadership");
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_NEAR(revoked[0], 50 * kSecond + 4 * kMillisecond, 10'000);
  testing::expect_finished_exactly_once(result);
}

}  // namespace
}  // namespace flinksim::scenarios
