// Goal: a restore costs what reading the state costs (issue 18). In Flink a restarted task reads
// its state handles in INITIALIZING (StreamTaskStateInitializerImpl); a task with gigabytes of
// state behind a 100 MB/s connection to the checkpoint storage is down for as long as that read.
// Method: the same job with and without `state-size`, a task failure, and the recovery times
// compared with the read time computed by hand; local recovery on the same TaskManager; and a
// storage that is down, so that every restore fails and the restart strategy runs out.
//
// Timeline of the job below (1 ms between hosts): the task of `count` fails at 10 s; every task
// of its region (all three: hash and forward edges make one region) restarts after fixed-delay's
// 1 s. A restored task deploys for 50 ms, then in INITIALIZING asks the checkpoint storage for
// its state (1 ms there), which reads it at 100 MB/s and answers (1 ms back), then opens for
// 100 ms. Without `state-size` the snapshots are a few kilobytes, read in microseconds.

#include <gtest/gtest.h>

#include <string>

#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;

std::string stateful_job(const std::string& state, const std::string& config, const std::string& faults) {
  return "name: restore\n"
         "duration: 2 min\n"
         "cluster: {taskmanagers: 1, standby-taskmanagers: 1}\n"
         "config:\n"
         "  taskmanager.numberOfTaskSlots: 1\n"
         "  execution.checkpointing.interval: 2 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 3\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n"
         "  heartbeat.interval: 1 s\n"
         "  heartbeat.timeout: 3 s\n" + config +
         "job:\n"
         "  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, rate: 100/s, keys: 10}\n"
         "    - {name: count, operator: aggregate, function: count, parallelism: 1" + state + "}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: at-least-once}\n"
         "  edges:\n"
         "    - {from: source, to: count, partitioning: hash}\n"
         "    - {from: count, to: sink, partitioning: forward}\n"
         "faults:\n" + faults;
}

const std::string kFailCount = "  - {at: 60 s, fail-task: count:0}\n";
constexpr int64_t kGiB = 1024LL * 1024 * 1024;

int64_t recovery_ns(const RunResult& result) {
  EXPECT_TRUE(result.run.metrics.recovery_time_max.has_value());
  return result.run.metrics.recovery_time_max.value_or(sim::Duration::zero()).count_nanoseconds();
}

TEST(RestoreScenario, TwoGigabytesOfStateAt100MegabytesPerSecondCostTheirReadTime) {
  const RunResult stateless = run_scenario_twice(load(stateful_job("", "", kFailCount)));
  const RunResult stateful = run_scenario_twice(load(stateful_job(", state-size: 2 gb", "", kFailCount)));
  EXPECT_EQ(stateless.run.metrics.failovers, 1);
  EXPECT_EQ(stateful.run.metrics.failovers, 1);
  // 2 GiB at 100 MB/s: 2,147,483,648 / 10^8 s = 21.474836 s more, less the few kilobytes the
  // stateless snapshot read took (under 100 us).
  const int64_t extra = recovery_ns(stateful) - recovery_ns(stateless);
  EXPECT_GE(extra, 21'474'836'480 - 100'000);
  EXPECT_LE(extra, 21'474'836'480 + 1'000);
  ASSERT_TRUE(stateful.exactly_once.has_value());
  EXPECT_EQ(stateful.exactly_once->records_lost, 0);
  // --json: the longest state read, the round trip (2 ms) plus 21,474.8 ms, in whole ms, for the
  // run and for its one failover; every completed checkpoint holds the 2 GiB.
  const nlohmann::ordered_json json = stateful.to_json();
  EXPECT_EQ(json["recovery"]["restore_ms"], 21'476);
  EXPECT_EQ(json["failovers"][0]["restore_ms"], 21'476);
  for (const auto& size : json["checkpoints"]["sizes_bytes"]) EXPECT_GE(size.get<int64_t>(), 2 * kGiB);
  EXPECT_FALSE(json["checkpoints"]["sizes_bytes"].empty());
}

TEST(RestoreScenario, TwoTasksSharingTheStoragesTotalBandwidthTakeTwiceAsLong) {
  // state-size on the sink too, and a total of 100 MB/s: count and sink each read 1 GiB at
  // 50 MB/s, 21.474836 s like one task reading 2 GiB alone; count's snapshot also holds its 10
  // keys' counts (1,024 + 10 x 16 bytes beyond the GiB, where the sink's has 1,024): 1,184 bytes
  // at 50 MB/s, 23.7 us more. Uploads still under way when the task failed were aborted
  // (AbortUploads) and take none of the bandwidth.
  const std::string config = "";
  std::string yaml = stateful_job(", state-size: 1 gb", config, kFailCount);
  yaml.replace(yaml.find("delivery: at-least-once}"), 24, "delivery: at-least-once, state-size: 1 gb}");
  yaml.replace(yaml.find("cluster: {taskmanagers: 1, standby-taskmanagers: 1}"), 51,
               "cluster: {taskmanagers: 1, standby-taskmanagers: 1, checkpoint-storage: {total-bandwidth: 800 mbps}}");
  const RunResult shared = run_scenario_twice(load(yaml));
  const RunResult stateless = run_scenario_twice(load(stateful_job("", "", kFailCount)));
  const int64_t extra = recovery_ns(shared) - recovery_ns(stateless);
  EXPECT_GE(extra, 21'474'836'480 + 23'680 - 100'000);
  EXPECT_LE(extra, 21'474'836'480 + 23'680 + 1'000);
}

TEST(RestoreScenario, LocalRecoveryReadsTheTaskManagersCopyAtDiskSpeed) {
  // The failed task restarts in the slot it had (the slot stays with the job), where its
  // TaskManager kept a copy of the checkpoint: 2 GiB at 500 MB/s = 4.294967 s, against 21.47 s
  // from the storage.
  const std::string local = "  execution.state-recovery.from-local: true\n";
  const RunResult remote = run_scenario_twice(load(stateful_job(", state-size: 2 gb", "", kFailCount)));
  const RunResult near = run_scenario_twice(load(stateful_job(", state-size: 2 gb", local, kFailCount)));
  const RunResult stateless = run_scenario_twice(load(stateful_job("", "", kFailCount)));
  // Locally there is no round trip to the storage (2 ms) either.
  const int64_t extra = recovery_ns(near) - recovery_ns(stateless);
  EXPECT_GE(extra, 4'294'967'296 - 2'100'000);
  EXPECT_LE(extra, 4'294'967'296 - 1'900'000);
  EXPECT_GT(recovery_ns(remote) - recovery_ns(near), 17'000'000'000);
}

TEST(RestoreScenario, LocalRecoveryOnAnotherTaskManagerReadsTheStorage) {
  // taskmanager-0 dies: its copy is gone, the tasks restart on the standby and download.
  const std::string local = "  execution.state-recovery.from-local: true\n";
  const std::string kill = "  - {at: 60 s, kill: taskmanager-0}\n";
  const RunResult killed = run_scenario_twice(load(stateful_job(", state-size: 2 gb", local, kill)));
  const RunResult stateless = run_scenario_twice(load(stateful_job("", local, kill)));
  const int64_t extra = recovery_ns(killed) - recovery_ns(stateless);
  EXPECT_GE(extra, 21'474'836'480 - 100'000);
  EXPECT_LE(extra, 21'474'836'480 + 1'000);
}

TEST(RestoreScenario, ARestoreWhileTheStorageIsDownFailsAndCountsAgainstTheRestartStrategy) {
  // The storage is down from 9 s to 60 s. The failure at 10 s restarts the region; each restored
  // task asks the storage for its state, the request fails, and the task fails: fixed-delay's 3
  // attempts are used up and the fourth failure fails the job.
  const std::string faults = kFailCount + "  - {at: 59 s, outage: checkpoint-storage, for: 51 s}\n";
  const RunResult result = run_scenario_twice(load(stateful_job(", state-size: 2 gb", "", faults)));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::failed);
  EXPECT_EQ(result.run.metrics.failovers, 3);
  ASSERT_TRUE(result.run.metrics.failure_reason.has_value());
  EXPECT_NE(result.run.metrics.failure_reason->find("FixedDelayRestartBackoffTimeStrategy"), std::string::npos);
}

}  // namespace
}  // namespace flinksim::scenarios
