// Goal: checkpoints make recovery exactly-once, and the oracle says so — or says what was lost
// or duplicated when the guarantees are weaker. Method: a keyed window job with a
// two-phase-commit sink under TaskManager kills and task failures, compared by the oracle with
// its failure-free reference; the same with an at-least-once sink; and a deliberately wrong
// sink that commits at snapshot time, which the oracle must catch.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "checks/exactly_once_oracle.h"
#include "scenarios/cluster_builder.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_twice;
using testing::run_scenario_twice;

// 3 sources x 20000 records at 500/s (40 s), 20 keys, 1 s windows summed, checkpoints every 2 s.
std::string windows_job(const std::string& config, const std::string& faults,
                        const std::string& delivery = "exactly-once", const std::string& interval = "2 s",
                        const std::string& window_extra = "") {
  return "name: cp\nseed: 3\nduration: 5 min\n"
         "cluster: {taskmanagers: 3, standby-taskmanagers: 1}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n"
         "  execution.checkpointing.interval: " + interval + "\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 10\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n"
         "  heartbeat.interval: 2 s\n  heartbeat.timeout: 6 s\n" + config +
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 3, records: 60000, rate: 500/s, keys: 20,"
         " out-of-orderness: 100 ms}\n"
         "    - {name: window, operator: window, size: 1 s, function: sum, parallelism: 3" + window_extra + "}\n"
         "    - {name: sink, operator: sink, delivery: " + delivery + ", parallelism: 3}\n"
         "  edges:\n"
         "    - {from: source, to: window, partitioning: hash}\n"
         "    - {from: window, to: sink, partitioning: rebalance}\n"
         "faults:\n" + faults;
}

const std::string kKillAndFail =
    "  - {at: 12 s, kill: taskmanager-1}\n"
    "  - {at: 30 s, fail-task: window:2}\n";

TEST(CheckpointScenario, ExactlyOnceSinkSurvivesKillsAndFailuresUnderFullAndRegionFailover) {
  for (const std::string strategy : {"full", "region"}) {
    const RunResult result = run_scenario_twice(load(windows_job(
        "  jobmanager.execution.failover-strategy: " + strategy + "\n", kKillAndFail)));
    SCOPED_TRACE(strategy);
    EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
    EXPECT_GE(result.run.metrics.failovers, 2);
    ASSERT_TRUE(result.exactly_once.has_value());
    EXPECT_TRUE(result.exactly_once->output_matches_reference);
    EXPECT_EQ(result.exactly_once->records_lost, 0);
    EXPECT_EQ(result.exactly_once->records_duplicated, 0);
    ASSERT_TRUE(result.run.metrics.checkpoints.has_value());
    const auto& checkpoints = *result.run.metrics.checkpoints;
    EXPECT_GT(checkpoints.completed, 5);
    ASSERT_GE(checkpoints.restored_from.size(), 2u);
    // Restores use the latest completed checkpoint, so the ids never go back.
    EXPECT_TRUE(std::is_sorted(checkpoints.restored_from.begin(), checkpoints.restored_from.end()));
    EXPECT_FALSE(result.run.metrics.committed_output.empty());
  }
}

TEST(CheckpointScenario, RestoredSinksAbortWhatTheirPredecessorsLeftOpen) {
  // Checkpoints every 5 s: at the kill (12 s) each sink has written windows into a transaction no
  // checkpoint covers (the last one was triggered at 9.876 s). The restored sinks abort those
  // (3, one per sink). The job is RUNNING again at 14.004 s (a refused deployment costs a second
  // 1 s restart), and the checkpoint scheduler restarts with a fresh initial delay, the
  // generator's draw of 2.978 s (CheckpointCoordinatorDeActivator): checkpoints at 16.982,
  // 21.982 and 26.982 s. When window:2 fails at 30 s the sinks have written the windows that
  // fired at 28.1 and 29.1 s into transactions checkpoint 5 does not cover: 3 more aborted,
  // 6 in all. The output stays exactly-once, and nothing of an aborted transaction ever became
  // visible.
  const RunResult result = run_scenario_twice(load(windows_job("", kKillAndFail, "exactly-once", "5 s")));
  EXPECT_EQ(result.run.metrics.sink_transactions_aborted, 6);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once());
}

TEST(CheckpointScenario, AtLeastOnceSinkDuplicatesReplayedWindows) {
  // Checkpoints every 5 s leave seconds of window results between the last checkpoint and each
  // failure; an at-least-once sink wrote them already and writes them again after the replay.
  const RunResult result = run_scenario_twice(load(windows_job("", kKillAndFail, "at-least-once", "5 s")));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_FALSE(result.exactly_once->output_matches_reference);
  EXPECT_GT(result.exactly_once->records_duplicated, 0);
  EXPECT_EQ(result.exactly_once->records_lost, 0) << "at-least-once never loses records";
}

// An unbounded pass-through job (source -> map -> sink) still running at the end is compared on
// what both runs reached. Every output reflects one source record, so the oracle cuts per source
// partition at the offsets both committed; before, the faulty run's lag behind the reference
// (its restart) counted as thousands of lost records.
std::string unbounded_pass_through_job(const std::string& delivery) {
  return "name: unbounded-pass-through\n"
         "duration: 1 min\n"
         "cluster: {taskmanagers: 2}\n"
         "config:\n"
         "  taskmanager.numberOfTaskSlots: 2\n"
         "  execution.checkpointing.interval: 2 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n"
         "job:\n"
         "  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, rate: 1000/s}\n"
         "    - {name: map, operator: map, parallelism: 2}\n"
         "    - {name: sink, operator: sink, parallelism: 2, delivery: " + delivery + "}\n"
         "  edges:\n"
         "    - {from: source, to: map, partitioning: forward}\n"
         "    - {from: map, to: sink, partitioning: rebalance}\n"
         "faults:\n"
         "  - {at: 20 s, fail-task: map:1}\n";
}

TEST(CheckpointScenario, ARunningPassThroughJobBehindItsReferenceLosesNothing) {
  const RunResult exactly_once = run_scenario_twice(load(unbounded_pass_through_job("exactly-once")));
  EXPECT_EQ(exactly_once.run.metrics.final_status, model::JobStatus::running);
  ASSERT_TRUE(exactly_once.exactly_once.has_value());
  EXPECT_TRUE(exactly_once.exactly_once->exactly_once());

  // At least once: the sink wrote what the sources (1000 records/s each, the default rate)
  // emitted after the restored checkpoint's barrier and before map:1 failed at 20 s, and writes
  // it again after the restore: 2 x 1000 x (20 s - trigger of the restored checkpoint), less
  // what each map still held in an output buffer not yet flushed when it failed or was
  // cancelled (execution.buffer-timeout.interval: up to 100 ms each), plus map:0's output until
  // its cancellation (12 ms).
  const RunResult at_least_once =
      run_scenario_twice(load(unbounded_pass_through_job("at-least-once")), {.capture_trace = true});
  ASSERT_TRUE(at_least_once.exactly_once.has_value());
  EXPECT_EQ(at_least_once.exactly_once->records_lost, 0);
  const auto& restored = at_least_once.run.metrics.checkpoints->restored_from;
  ASSERT_EQ(restored.size(), 1u);
  const double trigger = testing::checkpoint_trigger_seconds(at_least_once.run, restored[0]);
  ASSERT_GT(trigger, 0);
  const double emitted = 2 * 1000 * (20.0 - trigger);
  const auto duplicated = static_cast<double>(at_least_once.exactly_once->records_duplicated);
  EXPECT_GE(duplicated, emitted - 2 * 100);
  EXPECT_LE(duplicated, emitted + 12);
}

TEST(CheckpointScenario, LossDuplicateAndCheckpointExpectationsAreChecked) {
  const std::string yaml = windows_job("", kKillAndFail, "at-least-once", "5 s") +
                           "expect: {records-duplicated-max: 0, records-lost-max: 0, checkpoints-completed-min: 1000}\n";
  const RunResult result = run_scenario(load(yaml));
  ASSERT_EQ(result.failed_expectations.size(), 2u);
  EXPECT_EQ(result.failed_expectations[0].rfind("records-duplicated-max: ", 0), 0u);
  EXPECT_EQ(result.failed_expectations[1].rfind("checkpoints-completed-min: ", 0), 0u);
  EXPECT_EQ(result.exit_code(), 1);
}

TEST(CheckpointScenario, WithoutCheckpointsTheRestartedJobStartsFromScratch) {
  std::string yaml = windows_job("", kKillAndFail, "at-least-once");
  yaml.replace(yaml.find("  execution.checkpointing.interval: 2 s\n"), 40, "");
  const RunResult result = run_scenario_twice(load(yaml));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  EXPECT_FALSE(result.run.metrics.checkpoints.has_value());
  ASSERT_TRUE(result.exactly_once.has_value());
  // Everything before the failure is emitted again from offset 0.
  EXPECT_GT(result.exactly_once->records_duplicated, 1000);
}

TEST(CheckpointScenario, TheOracleCatchesASinkThatCommitsAtSnapshotTime) {
  // The planted bug: pre-committed transactions become visible at the snapshot, before the
  // checkpoint completes; a failure between the two replays what was already visible. Large
  // window state (20 mb a key) makes the upload, and so that gap, take seconds: checkpoint 1
  // takes 4.876 -> 6.919 s. After the kill at 12 s the job is RUNNING again at 14.004 s and the
  // scheduler restarts with its fresh initial delay (the draw, 2.978 s): checkpoint 5 is
  // triggered at 26.982 s and completes at 29.025 s, so window:2 fails at 28 s inside its gap.
  const std::string kill_and_fail_inside_the_gap =
      "  - {at: 12 s, kill: taskmanager-1}\n"
      "  - {at: 28 s, fail-task: window:2}\n";
  const ScenarioSpec spec =
      load(windows_job("", kill_and_fail_inside_the_gap, "exactly-once", "5 s", ", state-per-key: 20 mb"));
  const RunOutcome reference = run_once(spec, false, false);
  model::ClusterOptions options = build_cluster_options(spec);
  options.checkpointing.planted_commit_on_snapshot = true;
  sim::Context context(spec.seed, options.link);
  model::Cluster cluster(context, std::move(options), build_fault_plan(spec, FaultSelection::as_written));
  cluster.run();
  const checks::ExactlyOnceVerdict verdict =
      checks::compare_with_reference(cluster.metrics().committed_output, reference.metrics.committed_output);
  EXPECT_FALSE(verdict.exactly_once());
  EXPECT_GT(verdict.records_duplicated + verdict.records_lost, 0);
}

TEST(CheckpointScenario, StorageOutageFailsCheckpointsThenAGlobalFailoverAndStaysExactlyOnce) {
  // The checkpoint storage is down from 10 s to 20 s: uploads are refused, every checkpoint in
  // between is declined with CHECKPOINT_ASYNC_EXCEPTION. With tolerable-failed-checkpoints 0 the
  // first one triggers a global failover; with 5 the job rides it out.
  const std::string outage = "  - {at: 10 s, outage: checkpoint-storage, for: 10 s}\n";
  const RunResult strict = run_scenario_twice(load(windows_job("", outage)));
  ASSERT_TRUE(strict.run.metrics.checkpoints.has_value());
  EXPECT_GT(strict.run.metrics.checkpoints->failed, 0);
  EXPECT_GE(strict.run.metrics.failovers, 1);
  EXPECT_EQ(strict.run.metrics.failover_log.front().failed_task, "global");
  EXPECT_EQ(strict.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(strict.exactly_once.has_value());
  EXPECT_TRUE(strict.exactly_once->exactly_once());

  const RunResult tolerant =
      run_scenario_twice(load(windows_job("  execution.checkpointing.tolerable-failed-checkpoints: 5\n", outage)));
  EXPECT_GT(tolerant.run.metrics.checkpoints->failed, 0);
  EXPECT_EQ(tolerant.run.metrics.failovers, 0);
  EXPECT_TRUE(tolerant.exactly_once->exactly_once());
}

// Two sources of different rates feed one keyed count that cannot keep up with the fast one
// (150 us a record: 6667/s against 8000/s), so the fast channel's buffers queue up and its
// barrier arrives over a second after the slow channel's. The count reads a fast buffer (512
// records, 77 ms) and then the slow channel, which gets a small buffer every 100 ms, so the slow
// channel never backs up. EXACTLY_ONCE blocks the slow channel during alignment; AT_LEAST_ONCE
// keeps processing it, and those post-barrier records are in the snapshot and replayed after a
// restore: counted twice.
std::string two_input_job(const std::string& mode) {
  return "name: two-inputs\nseed: 5\nduration: 2 min\n"
         "cluster: {taskmanagers: 2}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 2\n"
         "  execution.checkpointing.interval: 4 s\n"
         "  execution.checkpointing.mode: " + mode + "\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 5\n"
         "job:\n  vertices:\n"
         "    - {name: fast, operator: source, parallelism: 1, records: 200000, rate: 8000/s, keys: 10}\n"
         "    - {name: slow, operator: source, parallelism: 1, records: 6000, rate: 200/s, keys: 10}\n"
         "    - {name: count, operator: aggregate, parallelism: 1, cost-per-record: 150 us}\n"
         "    - {name: sink, operator: sink, parallelism: 1}\n"
         "  edges:\n"
         "    - {from: fast, to: count, partitioning: hash}\n"
         "    - {from: slow, to: count, partitioning: hash}\n"
         "    - {from: count, to: sink, partitioning: forward}\n"
         "faults:\n  - {at: 15 s, fail-task: count:0}\n";
}

TEST(CheckpointScenario, AtLeastOnceCheckpointsDuplicateStateOfAMultiInputOperator) {
  const RunResult aligned = run_scenario_twice(load(two_input_job("EXACTLY_ONCE")));
  ASSERT_TRUE(aligned.exactly_once.has_value());
  EXPECT_EQ(aligned.run.metrics.final_status, model::JobStatus::finished);
  EXPECT_TRUE(aligned.exactly_once->exactly_once());
  EXPECT_FALSE(aligned.run.metrics.checkpoints->restored_from.empty());

  const RunResult tracked = run_scenario_twice(load(two_input_job("AT_LEAST_ONCE")));
  ASSERT_TRUE(tracked.exactly_once.has_value());
  EXPECT_EQ(tracked.run.metrics.final_status, model::JobStatus::finished);
  EXPECT_FALSE(tracked.run.metrics.checkpoints->restored_from.empty());
  EXPECT_GT(tracked.exactly_once->records_duplicated, 0);
  EXPECT_EQ(tracked.exactly_once->records_lost, 0);
  // The duplicates are in the count's state itself, not just in the output.
  EXPECT_EQ(aligned.exactly_once->state_matches_reference, std::optional<bool>(true));
  EXPECT_EQ(tracked.exactly_once->state_matches_reference, std::optional<bool>(false));
}

// A keyed count that cannot keep up with its sources (1 ms a record, 1000/s, against 2 x 600/s)
// builds a backlog of about 200 records a second until its channels are full (the sender's 10
// buffers and the receiver's share of 2 + 8, of 512 records each): an aligned barrier waits behind
// that backlog — seconds of the count's work — while an unaligned one overtakes it and carries it
// as channel state. Both must stay exactly-once across a task failure.
std::string backpressured_job(const std::string& unaligned, const std::string& extra = "") {
  return "name: backpressure\nseed: 9\nduration: 10 min\n"
         "cluster: {taskmanagers: 2}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 2\n"
         "  execution.checkpointing.interval: 5 s\n"
         "  execution.checkpointing.unaligned.enabled: " + unaligned + "\n" + extra +
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 5\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, records: 60000, rate: 600/s, keys: 16}\n"
         "    - {name: count, operator: aggregate, parallelism: 1, cost-per-record: 1 ms}\n"
         "    - {name: sink, operator: sink, parallelism: 1}\n"
         "  edges:\n"
         "    - {from: source, to: count, partitioning: hash}\n"
         "    - {from: count, to: sink, partitioning: forward}\n"
         "faults:\n  - {at: 31 s, fail-task: count:0}\n";
}

TEST(CheckpointScenario, UnalignedCheckpointsCompleteFasterUnderBackpressureAndStayExactlyOnce) {
  const RunResult aligned = run_scenario_twice(load(backpressured_job("false")));
  const RunResult unaligned = run_scenario_twice(load(backpressured_job("true")));
  for (const RunResult* result : {&aligned, &unaligned}) {
    ASSERT_EQ(result->run.metrics.final_status, model::JobStatus::finished);
    ASSERT_TRUE(result->exactly_once.has_value());
    EXPECT_TRUE(result->exactly_once->exactly_once());
    ASSERT_TRUE(result->run.metrics.checkpoints.has_value());
    EXPECT_FALSE(result->run.metrics.checkpoints->restored_from.empty());
  }
  const auto longest = [](const RunResult& r) {
    const auto& d = r.run.metrics.checkpoints->durations;
    return d.empty() ? sim::Duration::zero() : *std::max_element(d.begin(), d.end());
  };
  // Aligned: the barrier waits behind the backlog, thousands of records at 1 ms each.
  EXPECT_GT(longest(aligned).count_milliseconds(), 2000);
  // Unaligned: a few network hops and the upload of the overtaken records.
  EXPECT_LT(longest(unaligned).count_milliseconds(), 500);
  EXPECT_GT(longest(aligned), longest(unaligned) * 10);
}

TEST(CheckpointScenario, AlignedCheckpointTimeoutSwitchesToUnalignedAfterItPasses) {
  // The two-input job: the slow channel's barrier reaches the count at once, the fast one's most
  // of a second later (see two_input_job). With a 200 ms alignment timeout the count stops
  // blocking the slow channel and continues the checkpoint unaligned; it still records the fast
  // channel's records until that barrier arrives (the model does not time out barriers in the
  // producer's output queue, Flink's FLINK-27251), so the checkpoint ends earlier but not at
  // 200 ms. The output stays exactly-once across the failure.
  std::string yaml = two_input_job("EXACTLY_ONCE");
  yaml.replace(yaml.find("  restart-strategy.type"), 0,
               "  execution.checkpointing.unaligned.enabled: true\n"
               "  execution.checkpointing.aligned-checkpoint-timeout: 200 ms\n");
  const RunResult switched = run_scenario_twice(load(yaml));
  const RunResult aligned = run_scenario_twice(load(two_input_job("EXACTLY_ONCE")));
  ASSERT_EQ(switched.run.metrics.final_status, model::JobStatus::finished);
  EXPECT_TRUE(switched.exactly_once->exactly_once());
  const auto longest = [](const RunResult& r) {
    const auto& d = r.run.metrics.checkpoints->durations;
    return *std::max_element(d.begin(), d.end());
  };
  EXPECT_GT(longest(aligned).count_milliseconds(), 800);
  EXPECT_GT(longest(switched).count_milliseconds(), 200);
  EXPECT_LT(longest(switched) * 3, longest(aligned) * 2) << "at least a third faster";
}

TEST(CheckpointScenario, AlignedCheckpointTimeoutCountsFromTheCheckpointsStart) {
  // BarrierAlignmentUtil.getTimerDelay: the timer runs for the timeout minus the time since the
  // checkpoint was triggered (the barrier's timestamp). The two-input job with a rebalance to
  // the sink, so that the sink may go unaligned too. Checkpoint n is triggered at 2.449 s + 4(n-1)
  // s; the count aligns from the slow barrier (about 1 ms later) and switches at trigger + 200 ms
  // exactly (it would be 200 ms after that barrier if counted from there). It then forwards its
  // barrier ahead of its output; the sink receives it with the 200 ms already gone, so its timer
  // is 0 and it switches at once, in the same millisecond, instead of aligning behind its queued
  // input. Still exactly-once across the failure at 15 s.
  std::string yaml = two_input_job("EXACTLY_ONCE");
  yaml.replace(yaml.find("  restart-strategy.type"), 0,
               "  execution.checkpointing.unaligned.enabled: true\n"
               "  execution.checkpointing.aligned-checkpoint-timeout: 200 ms\n");
  yaml.replace(yaml.find("to: sink, partitioning: forward"), 31,
               "to: sink, partitioning: rebalance");
  RunSettings settings;
  settings.capture_trace = true;
  const RunResult result = run_scenario_twice(load(yaml), settings);
  ASSERT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  EXPECT_TRUE(result.exactly_once->exactly_once());
  std::map<int64_t, sim::Instant> triggered;
  std::map<std::string, std::map<int64_t, sim::Instant>> switched;
  for (const sim::TraceEvent& event : result.run.trace) {
    if (event.kind == "checkpoint-triggered")
      triggered[std::stoll(event.detail.substr(3))] = event.time;
    if (event.kind == "aligned-checkpoint-timeout") {
      switched[event.component][std::stoll(event.detail.substr(3))] = event.time;
    }
  }
  ASSERT_GE(switched["count (1/1)"].size(), 7u);
  EXPECT_EQ(triggered.at(1).nanoseconds_since_start() / 1'000'000, 2449);
  for (const auto& [id, at] : switched["count (1/1)"]) {
    EXPECT_EQ(at - triggered.at(id), sim::Duration::milliseconds(200)) << "checkpoint " << id;
    ASSERT_TRUE(switched["Sink: sink (1/1)"].contains(id)) << "checkpoint " << id;
    EXPECT_LT(switched["Sink: sink (1/1)"][id] - at, sim::Duration::milliseconds(1)) << "checkpoint " << id;
  }
}

TEST(CheckpointScenario, ApproximateRecoveryRestartsOnlyTheFailedTaskAndDownstreamAndLosesData) {
  // FLIP-135: every edge is PIPELINED_APPROXIMATE, so window:1 and its consumer sink:1 restart
  // from the last checkpoint while the sources keep running: what window:1 had consumed since the
  // checkpoint, and what was in flight to it, is never replayed. The forward edge chains window
  // and sink (equal parallelism): the one task "window -> Sink: sink (2/3)" restarts.
  const std::string config =
      "  execution.state-recovery.approximate-local-recovery: true\n";
  std::string yaml = windows_job(config, "  - {at: 21 s, fail-task: window:1}\n");
  yaml.replace(yaml.find("partitioning: rebalance"), 23, "partitioning: forward");
  const RunResult result = run_scenario_twice(load(yaml));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_EQ(result.run.metrics.failovers, 1);
  EXPECT_EQ(result.run.metrics.failover_log[0].restarted_tasks,
            (std::vector<std::string>{"window -> Sink: sink (2/3)"}));
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_GT(result.exactly_once->records_lost, 0);
  EXPECT_EQ(result.exactly_once->records_duplicated, 0) << "no source restarted: nothing replays";
}

}  // namespace
}  // namespace flinksim::scenarios
