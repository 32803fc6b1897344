// Goal: what the JobMaster and a TaskExecutor lose between them during a short partition is
// found again, as Flink finds it: a task's final state through the execution deployment report
// in the TaskExecutor's heartbeats (FLINK-17075), a deployment through the submission's ask
// timeout (pekko.ask.timeout, 10 s), and slots the two sides disagree on through the answers to
// slot offers and the JobMaster's allocated slot report. Each scenario was a run that never
// recovered before these mechanisms (docs/property-testing.md, "Liveness").
//
// Timeline arithmetic (1 ms network latency between hosts; heartbeat.interval 1 s, so the
// JobMaster asks its TaskManagers for heartbeats at 1 s, 2 s, 3 s, ...; a partition from 1.5 s
// to 2.5 s drops the request of 2 s, and the one of 3 s is answered at 3.001 s, arriving at
// 3.002 s; heartbeat.timeout 3 s is never reached).
#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::expect_finished_exactly_once;
using testing::load;
using testing::one_slot_job;
using testing::run_scenario_twice;

int64_t failover_us(const RunOutcome& outcome, size_t index) {
  if (outcome.metrics.failover_log.size() <= index) return -1;
  return outcome.metrics.failover_log[index].time.nanoseconds_since_start() / 1000;
}

TEST(ReconciliationScenario, FinalStateLostInAPartitionIsFoundByTheDeploymentReport) {
  // sink:0 fails at 1.6 s while the partition drops its FAILED update. The TaskExecutor no
  // longer lists it in its deployment report, which first reaches the JobMaster at 3.002 s.
  const RunResult result = run_scenario_twice(
      load(one_slot_job("reconciliation",
                        "  - {at: 1500 ms, partition: [jobmanager-0, taskmanager-0], for: 1 s}\n"
                        "  - {at: 1600 ms, fail-task: \"sink:0\"}\n")));
  ASSERT_EQ(result.run.metrics.failovers, 1);
  EXPECT_EQ(failover_us(result.run, 0), 3'002'000);
  // fail-task names the sink; the task that fails is its chain with the source.
  EXPECT_EQ(result.run.metrics.failover_log[0].failed_task, "Source: source -> Sink: sink (1/1)");
  expect_finished_exactly_once(result);
}

TEST(ReconciliationScenario, DeploymentLostInAPartitionFailsAfterTheAskTimeout) {
  // sink:0 fails at 1 s (reported at 1.001 s); after the 1 s delay the restart deploys at
  // 2.001 s, inside the partition, so both submissions are dropped. Nothing answers them: the
  // ask timeout of 10 s fails the deployment at 12.001 s, and the next restart succeeds.
  const RunResult result = run_scenario_twice(load(
      one_slot_job("reconciliation",
                   "  - {at: 1 s, fail-task: \"sink:0\"}\n"
                   "  - {at: 1500 ms, partition: [jobmanager-0, taskmanager-0], for: 1 s}\n")));
  ASSERT_EQ(result.run.metrics.failovers, 2);
  EXPECT_EQ(failover_us(result.run, 0), 1'001'000);
  EXPECT_EQ(failover_us(result.run, 1), 12'001'000);
  expect_finished_exactly_once(result);
}

TEST(ReconciliationScenario, KubernetesReplacementAfterLosingAMultiSlotTaskManager) {
  // Two TaskManagers of three slots; the job needs four. Losing taskmanager-0 leaves the
  // JobMaster three slots on taskmanager-1 (two new offers answered out of order must not free
  // one of them) and one on the replacement. The RST of taskmanager-0's connection fails sink:3
  // at 1.001 s (failover at 1.002 s); the restart of 1.502 s sends source:0 back to
  // taskmanager-0's pooled slot, refused at 1.504 s: a second failover (FLINK-24706). The pod
  // watch reports the dead pod at 2 s, the JobMaster drops the slots and the replacement
  // registers at 3.002 s. Two failovers, then the job finishes.
  const RunResult result = run_scenario_twice(
      load("name: k8s\nduration: 3 min\n"
           "cluster: {deployment: kubernetes, taskmanagers: 2, taskmanager-startup: 1 s}\n"
           "config:\n"
           "  taskmanager.numberOfTaskSlots: 3\n"
           "  execution.checkpointing.interval: 1 s\n"
           "  restart-strategy.type: fixed-delay\n"
           "  restart-strategy.fixed-delay.attempts: 1000\n"
           "  restart-strategy.fixed-delay.delay: 500 ms\n"
           "  heartbeat.interval: 1 s\n"
           "  heartbeat.timeout: 3 s\n"
           "job:\n  vertices:\n"
           "    - {name: source, operator: source, parallelism: 1, records: 2000, rate: 200/s}\n"
           "    - {name: sink, operator: sink, parallelism: 4, delivery: exactly-once}\n"
           "  edges:\n    - {from: source, to: sink, partitioning: rebalance}\n"
           "faults:\n  - {at: 1 s, kill: taskmanager-0}\n"));
  EXPECT_EQ(result.run.metrics.failovers, 2);
  expect_finished_exactly_once(result);
}

}  // namespace
}  // namespace flinksim::scenarios
