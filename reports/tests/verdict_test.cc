// Goal: the verdict up front says per strategy whether exactly-once held, counts what went wrong,
// never shows a run without a verdict as a pass, and names the strategy to choose and why; the
// report's details (failed tasks, checkpoint history) are read right from a run's trace; the job
// graph marks failed and restarted tasks.
// Method: run records and traces written by hand, expected texts derived by hand.

#include <gtest/gtest.h>

#include "reports/graphviz_svg.h"
#include "reports/run_details.h"
#include "reports/verdict.h"
#include "test_support.h"

namespace flinksim::reports {
namespace {

using testing::make_record;

// A run whose oracle said `matches` (null: not checked) with these losses.
RunRecord checked_record(const std::string& strategy, uint64_t seed, int64_t tasks_restarted,
                         std::optional<bool> matches, int64_t lost = 0) {
  RunRecord record = make_record(strategy, seed, tasks_restarted, 1153);
  nlohmann::ordered_json run = nlohmann::ordered_json::parse(record.run_json);
  if (matches) {
    run["exactly_once"] = {{"output_matches_reference", *matches}, {"records_lost", lost},
                           {"records_duplicated", 0}, {"records_missing", 0}};
  } else {
    run["exactly_once"] = nullptr;
  }
  run["report"] = {{"tasks", 12}};
  record.run_json = run.dump();
  record.metrics = extract_metrics(run);
  return record;
}

RunGroup group_of(const std::vector<RunRecord>& records) {
  std::vector<RunGroup> groups = group_runs(records);
  EXPECT_EQ(groups.size(), 1u);
  return groups.front();
}

TEST(Verdict, RunsWithoutAVerdictAreNotCheckedNeverHeld) {
  const std::vector<RunRecord> unchecked{checked_record("full", 1, 12, std::nullopt),
                                         checked_record("full", 2, 12, std::nullopt)};
  const StrategyVerdict none = verdict_of(group_of(unchecked));
  EXPECT_EQ(none.exactly_once, ExactlyOnce::not_checked);
  EXPECT_EQ(exactly_once_text(none), "not checked");
  const std::vector<RunRecord> mixed{checked_record("full", 1, 12, true), checked_record("full", 2, 12, std::nullopt)};
  EXPECT_EQ(exactly_once_text(verdict_of(group_of(mixed))), "held (1 not checked)");
}

TEST(Verdict, OneViolatingRunMakesTheStrategyViolateAndCountsWhatWasLost) {
  const std::vector<RunRecord> runs{checked_record("approximate", 1, 2, true),
                                    checked_record("approximate", 2, 2, false, 1204),
                                    checked_record("approximate", 3, 2, false, 1300)};
  const StrategyVerdict verdict = verdict_of(group_of(runs));
  EXPECT_EQ(verdict.exactly_once, ExactlyOnce::violated);
  EXPECT_EQ(exactly_once_text(verdict), "NO in 2 of 3 runs");
  // Lost: {0, 1204, 1300}, nearest-rank median = 1204.
  EXPECT_EQ(verdict.records_lost, 1204);
  EXPECT_EQ(verdict.tasks, 12);
  EXPECT_EQ(verdict.tasks_restarted, 2);
}

TEST(Verdict, TheSentenceNamesTheWinnerAndWhatTheOthersCost) {
  const std::vector<RunRecord> runs{checked_record("full", 1, 12, true), checked_record("region", 1, 3, true),
                                    checked_record("approximate", 1, 2, false, 1204)};
  std::vector<StrategyVerdict> verdicts;
  for (const RunGroup& group : group_runs(runs)) verdicts.push_back(verdict_of(group));
  // Equal downtime (1152 ms each): exactly-once first, then fewer tasks restarted.
  EXPECT_EQ(winner_sentence(verdicts),
            "Choose region: region restarts 3 of 12 tasks and keeps exactly-once, down 1.152 s; full restarts 12 "
            "tasks and keeps exactly-once, down 1.152 s; approximate restarts 2 tasks but loses 1,204 records, "
            "down 1.152 s.");
}

TEST(Verdict, EqualVerdictsAreATieAndUncheckedRunsAreSaidToBe) {
  const std::vector<RunRecord> runs{checked_record("full", 1, 12, std::nullopt),
                                    checked_record("region", 1, 12, std::nullopt)};
  std::vector<StrategyVerdict> verdicts;
  for (const RunGroup& group : group_runs(runs)) verdicts.push_back(verdict_of(group));
  EXPECT_EQ(winner_sentence(verdicts),
            "No single winner: full and region do equally well. full restarts 12 of 12 tasks (exactly-once not "
            "checked), down 1.152 s; region restarts 12 tasks (exactly-once not checked), down 1.152 s.");
}

TEST(Verdict, ThousandsAreSeparated) {
  EXPECT_EQ(with_thousands(0), "0");
  EXPECT_EQ(with_thousands(999), "999");
  EXPECT_EQ(with_thousands(1204), "1,204");
  EXPECT_EQ(with_thousands(-1234567), "-1,234,567");
}

sim::TraceEvent event(int64_t ms, std::string component, std::string kind, std::string detail = "") {
  return {sim::Instant::zero() + sim::Duration::milliseconds(ms), std::move(component), std::move(kind),
          std::move(detail)};
}

TEST(RunDetails, TasksOnAKilledTaskManagerAndTasksThatFailedAreFailed) {
  const std::vector<sim::TraceEvent> trace{
      event(8, "source:0", "DEPLOYING", "taskmanager-0"), event(8, "source:1", "DEPLOYING", "taskmanager-1"),
      event(8, "sink:1", "DEPLOYING", "taskmanager-1"),   event(8, "sink:0", "DEPLOYING", "taskmanager-0"),
      event(500, "sink:1", "FINISHED"),                    event(9000, "taskmanager-1", "crashed"),
      event(9500, "sink:0", "FAILED", "partition lost"),   event(9600, "source:0", "CANCELED")};
  // sink:1 had finished before the kill; source:0 was canceled, not failed.
  EXPECT_EQ(tasks_failed(trace), (std::vector<std::string>{"sink:0", "source:1"}));
}

TEST(RunDetails, CheckpointHistoryListsEachCheckpointOnceWithItsEnd) {
  const std::vector<sim::TraceEvent> trace{
      event(1950, "checkpoint-coordinator", "checkpoint-triggered", "id=1"),
      event(1956, "checkpoint-coordinator", "checkpoint-completed", "id=1"),
      event(3950, "checkpoint-coordinator", "checkpoint-triggered", "id=2"),
      event(4950, "checkpoint-coordinator", "checkpoint-failed", "id=2 CHECKPOINT_EXPIRED"),
      event(5950, "checkpoint-coordinator", "checkpoint-triggered", "id=3")};
  const nlohmann::ordered_json history = checkpoint_history(trace);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].dump(),
            R"({"id":1,"triggered_at_ms":1950,"ended_at_ms":1956,"status":"completed","reason":null})");
  EXPECT_EQ(history[1].dump(),
            R"({"id":2,"triggered_at_ms":3950,"ended_at_ms":4950,"status":"failed","reason":"CHECKPOINT_EXPIRED"})");
  EXPECT_EQ(history[2]["status"], "pending");
  EXPECT_TRUE(history[2]["ended_at_ms"].is_null());
}

TEST(JobGraph, FailedAndRestartedTasksAreMarkedBeforeTheClosingBrace) {
  const std::string dot = "digraph \"job\" {\n  \"a:0\" [fillcolor=\"#8dd3c7\"];\n}\n";
  EXPECT_EQ(mark_tasks(dot, {"a:0"}, {"a:0", "b:1"}),
            "digraph \"job\" {\n  \"a:0\" [fillcolor=\"#8dd3c7\"];\n"
            "  \"b:1\" [color=\"#e66101\", penwidth=3];\n"
            "  \"a:0\" [color=\"#b2182b\", penwidth=3, peripheries=2];\n}\n");
}

}  // namespace
}  // namespace flinksim::reports
