// Goal: a run's verdict never reads better than what happened: a job that ended for good misses
// what its reference committed later, a FAILED job says why in Flink's words, a job lost with its
// JobManager is down until the end, and a fault planned after the job ended is reported. Method:
// small scenarios whose figures follow from the source rate and the fault times.
#include <gtest/gtest.h>

#include <string>

#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;

// A source of 100 records/s into an at-least-once sink (every record visible at once), one
// TaskManager, the only JobManager killed at 10 s: without high availability the job is LOST.
std::string lost_job(const std::string& duration) {
  return "name: lost\nduration: " + duration +
         "\ncluster: {taskmanagers: 1}\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, rate: 100/s}\n"
         "    - {name: sink, operator: sink, delivery: at-least-once}\n"
         "  edges:\n    - {from: source, to: sink, partitioning: forward}\n"
         "faults:\n  - {at: 10 s, kill: jobmanager-0}\n";
}

TEST(Verdicts, ALostJobMissesWhatItsReferenceCommittedAfterItsTasksStopped) {
  // The orphaned tasks run on until taskmanager-0 misses the JobManager's heartbeats: the last
  // heartbeat answered at 10 s, heartbeat.timeout 50 s, so they fail at 60.001 s. The reference
  // commits for another 60 s at 100 records/s: 6,000 records missing, none lost in the prefix.
  const RunResult result = run_scenario_twice(load(lost_job("2 min")));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::lost);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->records_missing, 6000);
  EXPECT_EQ(result.exactly_once->records_lost, 0);
  EXPECT_EQ(result.exactly_once->missing_reason, "job ended LOST at 10.0 s");
  EXPECT_FALSE(result.exactly_once->exactly_once());
  // Down from the last commit (the tasks fail at 60.001 s; the last record before that left the
  // source at most 10 ms and a buffer flush earlier) to the end at 120 s: about 60 s, not 0.
  EXPECT_GE(result.run.metrics.downtime, sim::Duration::seconds(60));
  EXPECT_LE(result.run.metrics.downtime, sim::Duration::milliseconds(60'200));
  EXPECT_EQ(result.run.metrics.unrecovered_episodes, 1);
}

TEST(Verdicts, ALostJobWhoseTasksOutliveTheRunMissesNothing) {
  // Within 40 s the orphaned tasks never miss the heartbeats (timeout 50 s): they commit every
  // record their reference commits, so nothing is missing; the job is still LOST and down from
  // its last commit, which is at the end of the run: under a second of downtime.
  const RunResult result = run_scenario_twice(load(lost_job("40 s")));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::lost);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->records_missing, 0);
  EXPECT_TRUE(result.exactly_once->exactly_once());
  EXPECT_LT(result.run.metrics.downtime, sim::Duration::seconds(1));
}

// source:0 fails at 10 s, 20 s, 30 s and 40 s under `restart_strategy` (YAML config lines).
std::string failing_job(const std::string& restart_strategy) {
  return "name: failing\nduration: 2 min\ncluster: {taskmanagers: 1}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 2\n" +
         restart_strategy +
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2}\n"
         "    - {name: sink, operator: sink, parallelism: 2}\n"
         "  edges:\n    - {from: source, to: sink, partitioning: forward}\n"
         "faults:\n"
         "  - {at: 10 s, fail-task: source:0}\n  - {at: 20 s, fail-task: source:0}\n"
         "  - {at: 30 s, fail-task: source:0}\n  - {at: 40 s, fail-task: source:0}\n";
}

// The JobMaster's own words: the detail of its "job failing" trace event.
std::string job_failing_detail(const RunOutcome& outcome) {
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.kind == "job failing") return event.detail;
  }
  return "";
}

TEST(Verdicts, AFailedJobNamesTheRestartStrategyThatSuppressedRecovery) {
  RunSettings settings;
  settings.capture_trace = true;
  // Fixed-delay with 2 attempts: the third failure (30 s) is suppressed — Flink's toString of
  // FixedDelayRestartBackoffTimeStrategy with the configured attempts and delay in ms.
  const RunResult fixed = run_scenario(
      load(failing_job("  restart-strategy.type: fixed-delay\n"
                       "  restart-strategy.fixed-delay.attempts: 2\n"
                       "  restart-strategy.fixed-delay.delay: 1 s\n")),
      settings);
  EXPECT_EQ(fixed.run.metrics.final_status, model::JobStatus::failed);
  EXPECT_EQ(fixed.run.metrics.failure_reason,
            "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy("
            "maxNumberRestartAttempts=2, backoffTimeMS=1000)");
  EXPECT_EQ(fixed.run.metrics.failovers, 2);
  // No restart strategy: the first failure fails the job.
  const RunResult none = run_scenario(load(failing_job("")), settings);
  EXPECT_EQ(none.run.metrics.failure_reason, "Recovery is suppressed by NoRestartBackoffTimeStrategy");
  EXPECT_EQ(*none.run.metrics.failure_reason, job_failing_detail(none.run));
}

TEST(Verdicts, TheFailureReasonOfAStatefulStrategyIsTheJobMastersOwn) {
  // Exponential-delay's description holds its attempt count and next restart time, which the
  // jitter draws from the seed: the reason is the JobMaster's strategy's own. Attempts before reset
  // 2: the third failure (30 s) fails the job. Several seeds, so the jitter varies.
  RunSettings settings;
  settings.capture_trace = true;
  ScenarioSpec spec = load(failing_job("  restart-strategy.type: exponential-delay\n"
                                       "  restart-strategy.exponential-delay.attempts-before-reset-backoff: 2\n"
                                       "  restart-strategy.exponential-delay.jitter-factor: 0.5\n"));
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    spec.seed = seed;
    const RunResult result = run_scenario(spec, settings);
    ASSERT_EQ(result.run.metrics.final_status, model::JobStatus::failed) << "seed " << seed;
    ASSERT_TRUE(result.run.metrics.failure_reason.has_value());
    EXPECT_EQ(*result.run.metrics.failure_reason, job_failing_detail(result.run)) << "seed " << seed;
    EXPECT_NE(result.run.metrics.failure_reason->find("currentRestartAttempt=3"), std::string::npos)
        << *result.run.metrics.failure_reason;
  }
}

TEST(Verdicts, AFaultAfterTheJobFinishedIsReportedNotApplied) {
  // 800 records at 1000/s: the source runs 0.158 s to about 0.958 s and the job finishes before
  // 1 s, so the run stops long before the kill planned at 60 s.
  const RunResult result = run_scenario_twice(load(
      "name: early\nduration: 2 min\ncluster: {taskmanagers: 1}\n"
      "job:\n  vertices:\n"
      "    - {name: source, operator: source, records: 800, rate: 1000/s}\n"
      "    - {name: sink, operator: sink, delivery: at-least-once}\n"
      "  edges:\n    - {from: source, to: sink, partitioning: forward}\n"
      "faults:\n  - {at: 60 s, kill: taskmanager-0}\n"));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_EQ(result.faults_not_applied.size(), 1u);
  EXPECT_EQ(result.faults_not_applied[0].at, sim::Instant::zero() + sim::Duration::seconds(60));
  EXPECT_EQ(result.faults_not_applied[0].fault, "kill taskmanager-0");
  ASSERT_TRUE(result.run.metrics.ended_at.has_value());
  EXPECT_LT(*result.run.metrics.ended_at, sim::Instant::zero() + sim::Duration::seconds(1));
  EXPECT_EQ(result.faults_not_applied[0].reason,
            "job FINISHED at " + seconds_text(*result.run.metrics.ended_at));
  // Nothing happened to the job: it is its own reference.
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once());
}

// source -> map -> keyed running count -> at-least-once sink under approximate local recovery,
// one subtask each, one slot, checkpoints every 2 s; map:0 throws at 9 s.
std::string approximate_count_job(const std::string& map_options) {
  return "name: approximate-count\nduration: 1 min\ncluster: {taskmanagers: 1}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n"
         "  execution.checkpointing.interval: 2 s\n"
         "  execution.state-recovery.approximate-local-recovery: true\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, records: 2000, rate: 100/s, keys: 4}\n"
         "    - {name: map, operator: map" + map_options + "}\n"
         "    - {name: count, operator: aggregate}\n"
         "    - {name: sink, operator: sink, delivery: at-least-once}\n"
         "  edges:\n    - {from: source, to: map, partitioning: forward}\n"
         "    - {from: map, to: count, partitioning: hash}\n"
         "    - {from: count, to: sink, partitioning: forward}\n"
         "faults:\n  - {at: 9 s, fail-task: map:0}\n";
}

TEST(Verdicts, ApproximateRecoveryLosesWhatTheRestoredCountDropped) {
  // source -> map -> keyed running count -> at-least-once sink, one subtask each, one slot; map
  // has `chaining: false` (disableChaining), so the source runs as its own task, and count and
  // sink are chained ("count -> Sink: sink"). map:0 throws at 9 s. Approximate local recovery
  // restarts map:0 and its downstream (the count -> sink task) from checkpoint 4; the source
  // keeps running. Hand-derived from the timeline:
  // - the source is RUNNING at 0.158 s and offset i is due at 0.158 s + (i + 1) x 10 ms (100/s;
  //   the last, 1999, at 20.158 s, when the trace shows end-of-data);
  // - checkpoint 4's barrier leaves the source at 7.194 s, behind offsets 0..702 (the last due
  //   7.188 s): the restored count reflects 703 records;
  // - the source's OutputFlusher sends every 100 ms from 0.158 s: its last flush before the
  //   failure is at 8.958 s, which runs before offset 879 comes due at that instant (its timer
  //   was set later), so the failed attempt of map:0 received offsets 703..878: 176 records.
  //   count:0 counted them and its chained sink wrote their updates at once, then the restore of
  //   checkpoint 4 dropped them from the count. Offsets from 879 on stayed in the source's
  //   PIPELINED_APPROXIMATE subpartition and reach the new attempt.
  // So every one of the 2,000 records reached the count once and the sink committed 2,000
  // updates, as many as the reference (the output alone showed nothing lost), but the final
  // counts add up to 2,000 - 176 = 1,824: 176 records lost.
  const RunResult result = run_scenario_twice(load(approximate_count_job(", chaining: false")));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_EQ(result.run.metrics.failover_log.size(), 1u);
  EXPECT_EQ(result.run.metrics.failover_log[0].restarted_tasks,
            (std::vector<std::string>{"count -> Sink: sink (1/1)", "map (1/1)"}));
  ASSERT_EQ(result.run.metrics.checkpoints->restored_from.size(), 1u);
  EXPECT_EQ(result.run.metrics.checkpoints->restored_from[0], 4);
  EXPECT_EQ(result.run.metrics.committed_output.size(), 2000u);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->state_records_lost, 176);
  EXPECT_EQ(result.exactly_once->records_lost, 176);
  EXPECT_EQ(result.exactly_once->records_duplicated, 0);
  EXPECT_FALSE(result.exactly_once->exactly_once());
}

TEST(Verdicts, ApproximateRecoveryOfAChainWithItsSourceDuplicatesInsteadOfLosing) {
  // The same job with Flink's default chaining: "Source: source -> map" and "count -> Sink:
  // sink". map:0's exception fails its whole task, so approximate local recovery restarts the
  // source with it, and the count -> sink task downstream, all from checkpoint 4. Hand-derived:
  // - the failed chain's output to count is flushed every 100 ms from 0.158 s, as the source's
  //   was: the last flush before 9 s is at 8.958 s, before offset 879 comes due then, so count:0
  //   again counted offsets 703..878 (176 records) after checkpoint 4's barrier (behind 0..702)
  //   and its chained sink wrote their 176 updates at once;
  // - the restore drops those 176 from the count, but the source, restored too, reads again from
  //   offset 703: every record reaches the restored count once, the final counts add up to
  //   2,000 (nothing lost), and the sink writes the updates of 703..878 a second time:
  //   2,000 + 176 = 2,176 committed, 176 duplicated.
  const RunResult result = run_scenario_twice(load(approximate_count_job("")));
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_EQ(result.run.metrics.failover_log.size(), 1u);
  EXPECT_EQ(result.run.metrics.failover_log[0].failed_task, "Source: source -> map (1/1)");
  EXPECT_EQ(result.run.metrics.failover_log[0].restarted_tasks,
            (std::vector<std::string>{"Source: source -> map (1/1)", "count -> Sink: sink (1/1)"}));
  ASSERT_EQ(result.run.metrics.checkpoints->restored_from.size(), 1u);
  EXPECT_EQ(result.run.metrics.checkpoints->restored_from[0], 4);
  EXPECT_EQ(result.run.metrics.committed_output.size(), 2176u);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->state_records_lost, 0);
  EXPECT_EQ(result.exactly_once->records_lost, 0);
  EXPECT_EQ(result.exactly_once->records_duplicated, 176);
}

TEST(Verdicts, SecondsAreWrittenToTheMillisecondWithAtLeastOneDecimal) {
  EXPECT_EQ(seconds_text(sim::Duration::milliseconds(800)), "0.8 s");
  EXPECT_EQ(seconds_text(sim::Duration::seconds(60)), "60.0 s");
  EXPECT_EQ(seconds_text(sim::Duration::milliseconds(60'001)), "60.001 s");
  EXPECT_EQ(seconds_text(sim::Duration::milliseconds(181'400)), "181.4 s");
  EXPECT_EQ(seconds_text(sim::Duration::milliseconds(-1'500)), "-1.5 s");
}

}  // namespace
}  // namespace flinksim::scenarios
