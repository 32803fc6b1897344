// Goal: checkpoints after tasks finish (FLIP-147, execution.checkpointing.checkpoints-after-
// tasks-finish, default true since Flink 1.15): a task whose data ended sends EndOfData, stays
// RUNNING and takes part in the next checkpoint; only when that "final checkpoint" completes
// does a two-phase-commit sink commit its last transaction, and only then do the tasks end
// their partitions and go FINISHED. A stale attempt that runs out of input while its job is
// restarting therefore never commits. Method: small bounded jobs whose timelines follow from
// the rates and the checkpoint interval (1 ms between hosts, 0 ms inside one, 50 ms
// DEPLOYING → INITIALIZING → 100 ms → RUNNING); each is run twice with equal trace hashes, and
// against its reference by the exactly-once oracle. With the option false the old behaviour
// remains: the sink commits at the end of its input.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "scenarios/runner.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;

// One source and one exactly-once sink on one TaskManager (local channel), 2000 records at
// 200/s: RUNNING at 0.158 s, the last record is due 2000 / 200 = 10 s later, end of data at
// 10.158 s. Checkpoints every 2 s.
std::string bounded_job(const std::string& extra_config) {
  return "name: final-checkpoint\nseed: 1\nduration: 2 min\n"
         "cluster: {taskmanagers: 1}\n"
         "config:\n"
         "  taskmanager.numberOfTaskSlots: 2\n"
         "  execution.checkpointing.interval: 2 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 10\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n" +
         extra_config +
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, records: 2000, rate: 200/s}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
         "  edges:\n    - {from: source, to: sink, partitioning: forward}\n";
}

// The liveness property's case (LivenessProperty.HealedPartitionsLeaveTheJobFinishedExactly
// Once): a 1 s partition between the JobManager and taskmanager-0 and a 1 s checkpoint-storage
// outage, both from 1 s, on a bounded exactly-once job.
std::string partition_and_outage(const std::string& extra_config) {
  return "name: partition-and-outage\nseed: 1\nduration: 180000 ms\n"
         "cluster: {deployment: kubernetes, taskmanagers: 2, standby-taskmanagers: 0, "
         "taskmanager-startup: 1000 ms}\n"
         "config:\n"
         "  taskmanager.numberOfTaskSlots: 1\n"
         "  jobmanager.execution.failover-strategy: full\n"
         "  execution.checkpointing.interval: 1000 ms\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 1000\n"
         "  restart-strategy.fixed-delay.delay: 500 ms\n"
         "  heartbeat.interval: 1000 ms\n"
         "  heartbeat.timeout: 3000 ms\n" +
         extra_config +
         "job:\n  vertices:\n"
         "    - {name: source1, operator: source, parallelism: 2, records: 4000, rate: 200/s, keys: 1,"
         " out-of-orderness: 50 ms}\n"
         "    - {name: sink, operator: sink, parallelism: 2, delivery: exactly-once}\n"
         "  edges:\n    - {from: source1, to: sink, partitioning: forward}\n"
         "faults:\n"
         "  - {at: 1000 ms, partition: [jobmanager-0, taskmanager-0], for: 1000 ms}\n"
         "  - {at: 1000 ms, outage: checkpoint-storage, for: 1000 ms}\n";
}

// bounded_job's source -> sink, chained into one task.
const std::string kChain = "Source: source -> Sink: sink (1/1)";

const char* const kOldBehaviour = "  execution.checkpointing.checkpoints-after-tasks-finish: false\n";

// In whole milliseconds, as the trace prints them (pacing and transfer times add fractions).
RunResult run_captured_twice(const std::string& yaml) {
  return testing::run_scenario_twice(load(yaml), {.capture_trace = true});
}

int64_t committed_at_or_after(const RunOutcome& outcome, int64_t time_ms) {
  return std::count_if(outcome.metrics.committed_output.begin(), outcome.metrics.committed_output.end(),
                       [time_ms](const model::CommittedRecord& committed) {
                         return committed.committed_at.milliseconds_since_start() >= time_ms;
                       });
}

int64_t finished_ms(const RunOutcome& outcome) {
  return outcome.metrics.finished_at ? outcome.metrics.finished_at->milliseconds_since_start() : -1;
}

TEST(FinalCheckpointScenario, TheSinkCommitsItsLastTransactionWhenTheFinalCheckpointCompletes) {
  const RunResult result = run_captured_twice(bounded_job(""));
  const RunOutcome& run = result.run;
  ASSERT_EQ(run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once());
  EXPECT_EQ(run.metrics.committed_output.size(), 2000u);

  // End of data at 10.158 s: the one task (source and sink chained: a forward edge of equal
  // parallelism) ends its input and stays RUNNING.
  ASSERT_EQ(testing::times_ms_of(run, kChain, "end-of-data").size(), 1u);
  EXPECT_EQ(testing::times_ms_of(run, kChain, "end-of-data")[0], 10'158);

  // The checkpoints tick every 2 s from a random first one (t0 = 1.193 s for this seed); the
  // final checkpoint is the first tick after 10.158 s: t0 + 5 × 2 s = 11.193 s, checkpoint 6.
  const auto triggered = testing::times_ms_of(run, "checkpoint-coordinator", "checkpoint-triggered");
  ASSERT_EQ(triggered.size(), 6u);
  const int64_t t0 = triggered[0];
  EXPECT_EQ(t0, 1'193);
  EXPECT_EQ(triggered[5], t0 + 10'000);
  // It completes 4 ms later: trigger to the TaskManager 1 ms, snapshots to the checkpoint
  // storage and back 2 ms, acknowledgement 1 ms.
  const auto completed = testing::times_ms_of(run, "checkpoint-coordinator", "checkpoint-completed", "id=6");
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed[0], triggered[5] + 4);

  // The notification reaches the task 1 ms later: its sink commits the transaction checkpoint 6
  // pre-committed — the 193 records after checkpoint 5's barrier (taken at 9.194 s, when
  // floor((9.194 − 0.158) × 200) = 1807 records were out) — 1 ms to the sink store, whose
  // acknowledgement 1 ms later lets the task finish (unchained, the source's task finished at
  // the notification, the sink's at the same notified + 2). The JobMaster hears of it 1 ms after.
  const int64_t notified = completed[0] + 1;
  EXPECT_EQ(testing::times_ms_of(run, kChain, "final-checkpoint-completed", "id=6"), std::vector<int64_t>{notified});
  EXPECT_EQ(committed_at_or_after(run, completed[0]), 193);
  EXPECT_EQ(committed_at_or_after(run, 10'158), 193) << "nothing committed at the end of input";
  EXPECT_EQ(testing::times_ms_of(run, kChain, "FINISHED"), std::vector<int64_t>{notified + 2});
  EXPECT_EQ(finished_ms(run), notified + 3);
  EXPECT_EQ(finished_ms(run), 11'201) << "10.161 s with the option off: one tick later";
}

TEST(FinalCheckpointScenario, WithTheOptionOffTheSinkCommitsAtTheEndOfItsInput) {
  const RunResult result = run_captured_twice(bounded_job(kOldBehaviour));
  const RunOutcome& run = result.run;
  ASSERT_EQ(run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once());
  EXPECT_TRUE(testing::times_ms_of(run, kChain, "end-of-data").empty()) << "no EndOfData, no waiting";
  // The sink commits its open transaction at 10.158 s and finishes when the sink store
  // acknowledged (2 ms); the JobMaster hears it 1 ms later. No checkpoint after 9.193 s: the
  // tick of 11.193 s finds the job finished.
  EXPECT_EQ(committed_at_or_after(run, 10'158), 193);
  EXPECT_EQ(testing::times_ms_of(run, kChain, "FINISHED"), std::vector<int64_t>{10'160});
  EXPECT_EQ(finished_ms(run), 10'161);
  EXPECT_EQ(testing::times_ms_of(run, "checkpoint-coordinator", "checkpoint-triggered").size(), 5u);
}

TEST(FinalCheckpointScenario, AStaleSinkThatRunsOutOfInputDuringARestartCommitsNothing) {
  // Checkpoint 1 at 0.596 s completes; the outage fails checkpoint 2 (1.596 s,
  // CHECKPOINT_ASYNC_EXCEPTION, tolerance 0): a global failover at 1.600 s. The cancel call
  // for the task of source1:0 and sink:0 (chained: "Source: source1 -> Sink: sink (1/2)") on
  // taskmanager-0 is lost in the partition, so the JobMaster waits for the ask timeout (10 s)
  // and the restart deploys at 11.601 s. Meanwhile the stale source1:0 reaches its 2000th
  // record at 0.158 + 10 = 10.158 s. Before FLIP-147 the stale sink:0 committed there everything after checkpoint 1 — 2000 − floor((0.597 − 0.158) × 200)
  // = 1913 records — and the restart from checkpoint 1 committed them again. Now it waits for
  // a final checkpoint, none is triggered while the job restarts, and it is cancelled at
  // 12.013 s without committing.
  const RunResult result = run_captured_twice(partition_and_outage(""));
  const RunOutcome& run = result.run;
  ASSERT_EQ(run.metrics.final_status, model::JobStatus::finished);
  ASSERT_EQ(run.metrics.failovers, 1);
  EXPECT_EQ(run.metrics.failover_log[0].time.milliseconds_since_start(), 1'600);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once())
      << result.exactly_once->records_duplicated << " duplicated";
  EXPECT_EQ(testing::times_ms_of(run, "Source: source1 -> Sink: sink (1/2)", "end-of-data").front(), 10'158);
  EXPECT_EQ(committed_at_or_after(run, 1'600) - committed_at_or_after(run, 11'753), 0)
      << "a commit between the failover and the restart";
  const auto triggered = testing::times_ms_of(run, "checkpoint-coordinator", "checkpoint-triggered");
  for (int64_t at : triggered) EXPECT_FALSE(at > 1'600 && at < 11'753);

  // The restart restores checkpoint 1 (87 records per source): deployed at 11.601 s, the tasks
  // read their state in INITIALIZING (a 2 ms round trip to the storage, a kilobyte) and open for
  // 100 ms: RUNNING at 11.753 s. 1913 more at 200/s end at 11.753 + 1913 / 200 = 21.318 s
  // (21.316 s before restores read the storage). The job is RUNNING again at the restart,
  // 11.601 s, and the checkpoint scheduler starts anew (CheckpointCoordinatorDeActivator) with
  // the generator's draw 0.991 s: ticks at 12.592 s + k s. The final checkpoint is the tick of
  // 21.592 s, completed 4 ms later; the sinks commit and finish 3 ms after: 21.599 s.
  EXPECT_EQ(testing::times_ms_of(run, "Source: source1 -> Sink: sink (2/2)", "end-of-data").back(), 21'318);
  EXPECT_EQ(finished_ms(run), 21'599);
}

TEST(FinalCheckpointScenario, WithTheOptionOffTheStaleSinkStillCommitsTwice) {
  const RunResult result = run_captured_twice(partition_and_outage(kOldBehaviour));
  ASSERT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->records_lost, 0);
  EXPECT_EQ(result.exactly_once->records_duplicated, 1913);
}

// Two sources into one exactly-once sink, one TaskManager, checkpoints every 1 s (ticks at
// 0.596 s + k s for this seed): `short` (400 records at 200/s) ends its data at
// 0.158 + 2 = 2.158 s, `long` (2000) at 10.158 s; the sink fails at 6 s, a full restart 1 s later.
std::string finished_source_job(const std::string& extra_config) {
  return "name: finished-restore\nseed: 1\nduration: 2 min\n"
         "cluster: {taskmanagers: 1}\n"
         "config:\n"
         "  taskmanager.numberOfTaskSlots: 3\n"
         "  execution.checkpointing.interval: 1 s\n"
         "  jobmanager.execution.failover-strategy: full\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 10\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n" +
         extra_config +
         "job:\n  vertices:\n"
         "    - {name: short, operator: source, parallelism: 1, records: 400, rate: 200/s}\n"
         "    - {name: long, operator: source, parallelism: 1, records: 2000, rate: 200/s}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
         "  edges:\n"
         "    - {from: short, to: sink, partitioning: rebalance}\n"
         "    - {from: long, to: sink, partitioning: rebalance}\n"
         "faults:\n  - {at: 6 s, fail-task: sink:0}\n";
}

TEST(FinalCheckpointScenario, CheckpointsGoOnWithAFinishedSourceWhichIsRestoredAsFinished) {
  const RunResult result = run_captured_twice(finished_source_job(""));
  const RunOutcome& run = result.run;
  ASSERT_EQ(run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once());
  // `short` takes part in checkpoint 3 (2.596 s), the first after its end of data, and
  // finishes when it completes (2.600 s, notified 2.601 s). Checkpoints 4 to 6 go on without
  // it: it is neither triggered nor awaited, and they record it finished.
  const auto finished = testing::times_ms_of(run, "Source: short (1/1)", "FINISHED");
  ASSERT_EQ(finished.size(), 2u);
  EXPECT_EQ(finished[0], 2'601);
  EXPECT_EQ(testing::times_ms_of(run, "Source: short (1/1)", "final-checkpoint-completed")[0], 2'601);
  for (const std::string id : {"id=4", "id=5", "id=6"}) {
    EXPECT_TRUE(testing::times_ms_of(run, "Source: short (1/1)", "barrier", id).empty()) << id;
    EXPECT_EQ(testing::times_ms_of(run, "Source: long (1/1)", "barrier", id).size(), 1u) << id;
  }
  // The full restart restores checkpoint 6: `short` is deployed as finished — it ends its data
  // as soon as it runs (7.152 s) and emits nothing — and finishes again with checkpoint 7. The
  // job is RUNNING again at the restart (7.001 s), where the checkpoint scheduler starts anew
  // with the generator's draw 0.991 s: checkpoint 7 is triggered at 7.992 s, completes 4 ms
  // later and `short` hears it 1 ms after, at 7.996 s (7.601 s when the schedule kept its
  // phase through the failover).
  ASSERT_TRUE(run.metrics.checkpoints.has_value());
  EXPECT_EQ(run.metrics.checkpoints->restored_from, std::vector<int64_t>{6});
  const auto running = testing::times_ms_of(run, "Source: short (1/1)", "RUNNING");
  ASSERT_EQ(running.size(), 2u);
  EXPECT_EQ(testing::times_ms_of(run, "Source: short (1/1)", "end-of-data").back(), running[1]);
  EXPECT_EQ(finished[1], 7'996);
}

TEST(FinalCheckpointScenario, WithTheOptionOffNoCheckpointStartsOnceASourceFinished) {
  const RunResult result = run_captured_twice(finished_source_job(kOldBehaviour));
  ASSERT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once());
  // `short` finishes at 2.158 s, so the ticks from 2.596 s on find a task that is not running
  // (NOT_ALL_REQUIRED_TASKS_RUNNING): the restart goes back to checkpoint 2 and replays.
  ASSERT_TRUE(result.run.metrics.checkpoints.has_value());
  EXPECT_EQ(result.run.metrics.checkpoints->restored_from, std::vector<int64_t>{2});
}

// The library's jobmanager-leader-kill-standby job (2 × 45000 records at 500/s: input ends 90 s
// after the tasks run) with the leader killed at 88 s, before the end of input: the TaskManagers notice
// the dead leader only after heartbeat.timeout (50 s).
std::string leader_dies_before_the_input_ends(const std::string& extra_config) {
  return "name: leader-dies-before-end-of-input\nseed: 1\nduration: 4 min\n"
         "cluster: {taskmanagers: 2, jobmanagers: 2}\n"
         "config:\n"
         "  taskmanager.numberOfTaskSlots: 1\n"
         "  high-availability.type: zookeeper\n"
         "  execution.checkpointing.interval: 2 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 3\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n" +
         extra_config +
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, records: 90000, rate: 500/s, keys: 20}\n"
         "    - {name: window, operator: window, size: 1 s, function: sum, parallelism: 2}\n"
         "    - {name: sink, operator: sink, delivery: exactly-once, parallelism: 2}\n"
         "  edges:\n"
         "    - {from: source, to: window, partitioning: hash}\n"
         "    - {from: window, to: sink, partitioning: rebalance}\n"
         "faults:\n  - {at: 88 s, kill: jobmanager-leader}\n";
}

TEST(FinalCheckpointScenario, AnInputThatEndsUnderADeadLeaderIsCommittedOnceByTheNewLeader) {
  // The sinks wait from about 90.17 s for a final checkpoint no dead leader triggers; the new leader
  // restores the last checkpoint and the replay commits once. With the option off, the sinks
  // committed their last transactions without any JobManager, and the new leader committed
  // the same records again (docs/high-availability.md).
  const RunResult result = run_captured_twice(leader_dies_before_the_input_ends(""));
  ASSERT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once());
  // 90 s of input from RUNNING, which with ZooKeeper's leader election comes a few ms later.
  const int64_t end_of_data = testing::times_ms_of(result.run, "Source: source (1/2)", "end-of-data").front();
  EXPECT_GE(end_of_data, 90'158);
  EXPECT_LT(end_of_data, 90'200);
  ASSERT_EQ(result.run.metrics.failovers, 1);
  EXPECT_GT(result.run.metrics.failover_log[0].time.milliseconds_since_start(),
            testing::times_ms_of(result.run, "Sink: sink (1/2)", "end-of-data").front())
      << "the input must end before the new leader restarts the job";

  const RunResult old = run_captured_twice(leader_dies_before_the_input_ends(kOldBehaviour));
  ASSERT_TRUE(old.exactly_once.has_value());
  EXPECT_EQ(old.exactly_once->records_lost, 0);
  EXPECT_GT(old.exactly_once->records_duplicated, 0);
}

}  // namespace
}  // namespace flinksim::scenarios
