// Goal: a two-phase-commit sink's transactions time out in the sink store as Kafka's do
// (transaction.timeout.ms, counted from the transaction's first write, checked every 10 s), and
// what a timed-out transaction held is lost and counted by the oracle. Method: the library's
// sink-store outage job (a 1 min window over 1200 records at 10/s, checkpoints every 10 s,
// fixed-delay restarts after 5 min) under a 17 min sink-store outage with timeouts of 15, 20 and
// 25 min, and under a 17 min checkpoint-storage outage the job tolerates. Timelines are derived
// in scenarios/library/sink-store-outage-transaction-timeout.yaml and below.
#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;

std::string window_job(const std::string& timeout, const std::string& config,
                       const std::string& fault) {
  return "name: transaction-timeout\nseed: 3\nduration: 30 min\n"
         "cluster: {taskmanagers: 1}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n"
         "  execution.checkpointing.interval: 10 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 10\n"
         "  restart-strategy.fixed-delay.delay: 5 min\n" +
         config +
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, records: 1200, rate: 10/s, keys: "
         "5}\n"
         "    - {name: window, operator: window, size: 1 min, function: count, parallelism: 1}\n"
         "    - {name: sink, operator: sink, delivery: exactly-once, transaction-timeout: " +
         timeout +
         ", parallelism: 1}\n"
         "  edges:\n"
         "    - {from: source, to: window, partitioning: hash}\n"
         "    - {from: window, to: sink, partitioning: forward}\n"
         "faults:\n  - " +
         fault + "\n";
}

const std::string kSinkStoreOutage = "{at: 61 s, outage: sink-store, for: 17 min}";

RunResult run_with_trace(const std::string& yaml) {
  RunSettings settings;
  settings.capture_trace = true;
  return run_scenario_twice(load(yaml), settings);
}

// When the sink store aborted a transaction for its timeout, in seconds (every one, in order).
std::vector<double> timeout_seconds(const RunOutcome& run) {
  std::vector<double> seconds;
  for (const sim::TraceEvent& event : run.trace) {
    if (event.component == "sink-store" && event.kind == "transaction timed out") {
      seconds.push_back(static_cast<double>(event.time.nanoseconds_since_start()) / 1e9);
    }
  }
  return seconds;
}

TEST(TransactionTimeoutScenario, OutageLongerThanTheTimeoutLosesThePreCommittedWindow) {
  // Transaction 7 holds the window [0 s, 60 s) (5 counts, 599 records), first written at about
  // 60.2 s. The store is back at 1081 s; its first check at 1091 s finds 60.2 + 900 < 1091 and
  // aborts it; the fourth restart's commit (1270.382 s) is refused. 4 failovers; the restart at
  // 1270.229 s re-arms the checkpoint scheduler with the draw 8.090 s, so the final checkpoint
  // is the tick of 1278.319 + 50 = 1328.319 s and the job is FINISHED at 1328.326 s; 599
  // records lost.
  const RunResult result = run_with_trace(window_job("15 min", "", kSinkStoreOutage));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  EXPECT_EQ(result.run.metrics.failovers, 4);
  EXPECT_EQ(result.run.metrics.finished_at->milliseconds_since_start(), 1328326);
  EXPECT_EQ(timeout_seconds(result.run), std::vector<double>{1091.0});
  EXPECT_EQ(result.run.metrics.sink_transactions_timed_out, 1);
  EXPECT_EQ(result.run.metrics.sink_records_timed_out, 5);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->records_lost, 599);
  EXPECT_EQ(result.exactly_once->records_duplicated, 0);
  EXPECT_FALSE(result.exactly_once->exactly_once());
}

TEST(TransactionTimeoutScenario, TheClockRunsFromTheFirstWriteNotFromTheOutage) {
  // 20 min: the outage (17 min) is shorter, but transaction 7 is open from about 60.2 s; its
  // deadline 1260.2 s falls before the recommit at 1270.382 s. The store's checks run at
  // 1081 + 10k s since its restart, so it is aborted at 1261 s.
  const RunResult result = run_with_trace(window_job("20 min", "", kSinkStoreOutage));
  EXPECT_EQ(timeout_seconds(result.run), std::vector<double>{1261.0});
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->records_lost, 599);
}

TEST(TransactionTimeoutScenario, ATimeoutLongerThanTheWaitKeepsExactlyOnce) {
  // 25 min: deadline about 1560.2 s, after the recommit at 1270.382 s, which commits it.
  const RunResult result = run_with_trace(window_job("25 min", "", kSinkStoreOutage));
  EXPECT_TRUE(timeout_seconds(result.run).empty());
  EXPECT_EQ(result.run.metrics.failovers, 4);
  testing::expect_finished_exactly_once(result);
}

TEST(TransactionTimeoutScenario, AToleratedCheckpointStorageOutageLetsEveryTransactionTimeOut) {
  // The checkpoint storage is down 61 s - 1081 s; checkpoints 7 (69.752 s) to 108 (1079.752 s),
  // 102 of them, fail and are tolerated (200): no failover. Each pre-commits the sink's open
  // transaction, and the pre-committed ones wait for a completed checkpoint. Transaction 7
  // (window [0 s, 60 s), first write about 60.2 s) is aborted at the store's 970 s check;
  // transaction 13 (opened by checkpoint 12 at 119.752 s; the end of input at 120.158 s fires
  // [60 s, 120 s) and [120 s, 180 s): 6 counts, 601 records) at 1030 s. Checkpoint 109
  // (1089.752 s, after the end of data: the final one) completes, both commits are refused, the
  // job FINISHES at 1089.760 s with all 1200 records lost.
  const RunResult result = run_with_trace(
      window_job("15 min", "  execution.checkpointing.tolerable-failed-checkpoints: 200\n",
                 "{at: 61 s, outage: checkpoint-storage, for: 17 min}"));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  EXPECT_EQ(result.run.metrics.failovers, 0);
  EXPECT_EQ(result.run.metrics.finished_at->milliseconds_since_start(), 1089760);
  ASSERT_TRUE(result.run.metrics.checkpoints.has_value());
  EXPECT_EQ(result.run.metrics.checkpoints->failed, 102);
  EXPECT_EQ(timeout_seconds(result.run), (std::vector<double>{970.0, 1030.0}));
  EXPECT_EQ(result.run.metrics.sink_records_timed_out, 11);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->records_lost, 1200);
}

}  // namespace
}  // namespace flinksim::scenarios
