// Goal: `flinksim run --output FILE` writes the committed sink output in the contract's format
// (SCENARIOS.md §3), and the summary reports the oracle's verdict. Method: a small bounded count
// window job counted by hand: 2 sources x 1000 records over 5 keys. Without a rate, event time
// follows the nominal 1000 records/s, so record k of a subtask has timestamp (k + 1) ms: 999
// records fall in the window ending at 1000 ms and the last one in the window ending at 2000 ms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace {

std::string temp_path(const std::string& name) {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + test->test_suite_name() + "." + test->name() + "." + name;
}

// Runs `flinksim ARGUMENTS` and returns what it printed and its exit status.
struct Invocation {
  std::string output;
  int status = -1;
};

Invocation run_flinksim(const std::string& arguments) {
  const std::string command = std::string(FLINKSIM_BINARY) + " " + arguments;
  Invocation result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) result.output += buffer;
  result.status = pclose(pipe);
  return result;
}

// A file of a scenario with one source and one sink on one TaskManager: `duration`, the source's
// and the sink's extra keys (", rate: 100/s"), and what follows the job (faults, expect).
std::string source_sink_scenario(const std::string& name, const std::string& duration, const std::string& source,
                                 const std::string& sink, const std::string& rest) {
  const std::string path = temp_path(name + ".yaml");
  std::ofstream(path) << "name: " << name << "\nduration: " << duration << "\ncluster: {taskmanagers: 1}\n"
                      << "job:\n  vertices:\n"
                      << "    - {name: source, operator: source" << source << "}\n"
                      << "    - {name: sink, operator: sink" << sink << "}\n"
                      << "  edges:\n    - {from: source, to: sink, partitioning: forward}\n"
                      << rest;
  return path;
}

TEST(RunOutput, CommittedOutputIsWrittenAsJsonLines) {
  const std::string scenario = temp_path("job.yaml");
  std::ofstream(scenario)
      << "name: out\nduration: 1 min\ncluster: {taskmanagers: 1}\n"
         "config: {taskmanager.numberOfTaskSlots: 2}\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, records: 2000, keys: 5}\n"
         "    - {name: window, operator: window, size: 1 s, parallelism: 2}\n"
         "    - {name: sink, operator: sink, parallelism: 2}\n"
         "  edges:\n    - {from: source, to: window, partitioning: hash}\n"
         "    - {from: window, to: sink, partitioning: forward}\n";
  const std::string output = temp_path("output.jsonl");
  const Invocation run = run_flinksim("run " + scenario + " --output " + output);
  const std::string& summary = run.output;
  ASSERT_EQ(run.status, 0) << summary;
  EXPECT_NE(summary.find("exactly-once  yes"), std::string::npos) << summary;

  std::ifstream lines(output);
  std::string line;
  int64_t sources = 0;
  int windows = 0;
  while (std::getline(lines, line)) {
    const auto json = nlohmann::json::parse(line);
    EXPECT_EQ(json.at("sink"), "sink");
    EXPECT_EQ(json.at("key").get<std::string>().substr(0, 1), "k");
    const int64_t end = json.at("window_end_ms");
    EXPECT_TRUE(end == 1000 || end == 2000) << line;
    // A count window: its value is the number of records it reflects.
    EXPECT_EQ(json.at("value"), json.at("sources"));
    sources += json.at("sources").get<int64_t>();
    ++windows;
  }
  // Every record is counted exactly once; at most 5 keys x 2 windows.
  EXPECT_EQ(sources, 2000);
  EXPECT_LE(windows, 10);
  EXPECT_GE(windows, 5);
}

TEST(RunOutput, SummaryOfACrashLoopStaysShort) {
  // The only TaskManager dies at 2.5 s and nothing replaces it: from its detection at 20.002 s
  // (refused heartbeat requests of 10 s and 20 s reach heartbeat.rpc-failure-threshold 2) every
  // restart fails for want of a slot, until the 25 fixed-delay attempts are used. Checkpoints 1
  // and 2 completed before the kill (interval 1 s) and none after, so all 25 restores use 2.
  const std::string scenario = temp_path("loop.yaml");
  std::ofstream(scenario) << "name: loop\nduration: 2 min\ncluster: {taskmanagers: 1}\n"
                             "config:\n  taskmanager.numberOfTaskSlots: 1\n"
                             "  resourcemanager.standalone.start-up-time: 1 s\n"
                             "  execution.checkpointing.interval: 1 s\n"
                             "  restart-strategy.type: fixed-delay\n"
                             "  restart-strategy.fixed-delay.attempts: 25\n"
                             "  restart-strategy.fixed-delay.delay: 100 ms\n"
                             "job:\n  vertices:\n"
                             "    - {name: source, operator: source, parallelism: 1}\n"
                             "    - {name: sink, operator: sink, parallelism: 1}\n"
                             "  edges:\n    - {from: source, to: sink, partitioning: forward}\n"
                             "faults:\n  - {at: 2500 ms, kill: taskmanager-0}\n";
  const std::string summary = run_flinksim("run " + scenario).output;
  EXPECT_NE(summary.find("failovers     25\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("restored from [2 x25]"), std::string::npos) << summary;
  // source -> sink (forward, parallelism 1) run as one chained task.
  EXPECT_NE(summary.find("[   20.002s] taskmanager-0 lost (unreachable): Source: source -> Sink: sink (1/1) failed"),
            std::string::npos)
      << summary;
  // The first failover restarts the one running task; each later one restarts the same task,
  // which never got a slot since: 1 re-ran, 24 never started (2 and 48 with two unchained tasks).
  EXPECT_NE(summary.find("tasks restarted 25 (1 re-ran, 24 never started)\n"), std::string::npos) << summary;
  // 20 failovers are listed, the other 5 are counted: 9 header lines (seed to exactly-once; no
  // recovery time, the job never recovered), 20 + 1 failover lines, simulation, expectations.
  EXPECT_NE(summary.find("... 5 more failovers"), std::string::npos) << summary;
  EXPECT_EQ(std::count(summary.begin(), summary.end(), '\n'), 32) << summary;
}

// An unbounded job without checkpointing: its exactly-once sink (the default delivery) commits
// only when a checkpoint completes, so neither run commits anything: there is nothing to vouch
// for, and the verdict is "not checked" (null in --json), never a pass.
TEST(RunOutput, AVerdictOnNothingCommittedIsNotChecked) {
  const std::string scenario =
      source_sink_scenario("nothing", "10 s", "", "", "faults:\n  - {at: 2 s, fail-task: \"source:0\"}\n");
  const std::string output = temp_path("output.jsonl");
  const Invocation run = run_flinksim("run " + scenario + " --output " + output);
  const std::string& summary = run.output;
  ASSERT_EQ(run.status, 0) << summary;
  EXPECT_NE(summary.find("exactly-once  not checked (nothing committed in either run)\n"),
            std::string::npos)
      << summary;
  std::ifstream lines(output);
  std::string line;
  EXPECT_FALSE(static_cast<bool>(std::getline(lines, line))) << "no committed record: " << line;
  const auto json = nlohmann::json::parse(run_flinksim("run " + scenario + " --json").output);
  EXPECT_TRUE(json.at("exactly_once").is_null()) << json.dump(2);
  EXPECT_EQ(json.at("exactly_once_not_checked"), "nothing committed in either run");
}

// An expectation of exactly-once that nothing could confirm does not hold: exit 1.
TEST(RunOutput, AnExactlyOnceExpectationOnNothingCommittedFails) {
  const std::string scenario = source_sink_scenario("nothing", "10 s", "", "", "expect: {exactly-once: true}\n");
  const Invocation run = run_flinksim("run " + scenario);
  EXPECT_EQ(WEXITSTATUS(run.status), 1) << run.output;
  EXPECT_NE(run.output.find("EXPECTATION FAILED: exactly-once: expected true, not checked "
                            "(nothing committed in either run)"),
            std::string::npos)
      << run.output;
}

// A source of 100 records/s into an at-least-once sink (visible at once); the only JobManager is
// killed at 10 s without high availability, so the job is LOST. Its orphaned tasks run on until
// taskmanager-0 misses the JobManager's heartbeats (heartbeat.timeout 50 s after the last one
// answered at 10 s): they fail at 60.001 s. The reference commits 60 s more at 100 records/s:
// 6,000 records the LOST job never delivers.
TEST(RunOutput, ALostJobIsNotExactlyOnceAndIsDownToTheEnd) {
  const std::string scenario = source_sink_scenario("lost", "2 min", ", rate: 100/s", ", delivery: at-least-once",
                                                    "faults:\n  - {at: 10 s, kill: jobmanager-0}\n");
  const Invocation run = run_flinksim("run " + scenario);
  EXPECT_EQ(run.status, 0) << run.output;  // no expectation is violated
  EXPECT_NE(run.output.find("final status  LOST\n"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("exactly-once  NO (output differs from the reference; 0 records lost, 0 "
                            "duplicated, 6000 missing: job ended LOST at 10.0 s)\n"),
            std::string::npos)
      << run.output;
  const auto json = nlohmann::json::parse(run_flinksim("run " + scenario + " --json").output);
  EXPECT_EQ(json.at("exactly_once").at("records_missing"), 6000);
  EXPECT_EQ(json.at("exactly_once").at("records_lost"), 0);
  EXPECT_EQ(json.at("exactly_once").at("missing_reason"), "job ended LOST at 10.0 s");
  EXPECT_EQ(json.at("ended_at_ms"), 10000);
  // Down from the last commit, just before 60.001 s, to the end at 120 s (it printed 0 ms).
  const int64_t downtime = json.at("recovery").at("downtime_ms");
  EXPECT_GE(downtime, 60000);
  EXPECT_LE(downtime, 60200);
}

// A batch job without a restart strategy (no checkpointing: Flink's default is none): 2 sources
// of 10,000 records at 1000/s each run 0.158-10.158 s, and the sink deploys only once they
// finished (blocking edges). source:0 throws at 5 s, the JobMaster hears it at 5.001 s and fails
// the job: the sink never ran, so all 20,000 records the reference committed are missing.
TEST(RunOutput, AFailedBatchJobSaysWhyAndMissesItsOutput) {
  const std::string scenario = temp_path("batch.yaml");
  std::ofstream(scenario) << "name: batch\nduration: 2 min\ncluster: {taskmanagers: 1}\n"
                             "config: {taskmanager.numberOfTaskSlots: 2}\n"
                             "job:\n  mode: batch\n  vertices:\n"
                             "    - {name: source, operator: source, parallelism: 2, records: 20000, "
                             "rate: 1000/s}\n"
                             "    - {name: sink, operator: sink, parallelism: 2, delivery: at-least-once}\n"
                             "  edges:\n    - {from: source, to: sink, partitioning: rebalance}\n"
                             "faults:\n  - {at: 5 s, fail-task: source:0}\n";
  const Invocation run = run_flinksim("run " + scenario);
  EXPECT_NE(run.output.find("final status  FAILED: Recovery is suppressed by "
                            "NoRestartBackoffTimeStrategy\n"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("0 records lost, 0 duplicated, 20000 missing: job ended FAILED at 5.0"),
            std::string::npos)
      << run.output;
  const auto json = nlohmann::json::parse(run_flinksim("run " + scenario + " --json").output);
  EXPECT_EQ(json.at("failure_reason"), "Recovery is suppressed by NoRestartBackoffTimeStrategy");
  EXPECT_EQ(json.at("exactly_once").at("records_missing"), 20000);
  EXPECT_EQ(json.at("exactly_once").at("output_matches_reference"), false);
}

// scenarios/library/batch-sink-failure.yaml: the failure-free job finishes at 10.314 s; sink:1
// fails at 10.250 s and re-runs alone after fixed-delay's 1 s, so the job finishes at 11.405 s.
TEST(RunOutput, ABatchJobSaysWhenItFinishedAgainstItsReference) {
  const Invocation run =
      run_flinksim("run " + std::string(FLINKSIM_SOURCE_DIR) + "/scenarios/library/batch-sink-failure.yaml");
  EXPECT_NE(run.output.find("\nfinished at 11.405 s (reference 10.314 s, +1.091 s)\n"),
            std::string::npos)
      << run.output;
}

// A bounded job of 800 records at 1000/s runs from 0.158 s to about 0.958 s and finishes before
// 1 s; the run ends with it, so a kill planned at 60 s never happens and the summary says so.
TEST(RunOutput, AFaultAfterTheJobEndedIsReportedNotApplied) {
  const std::string scenario =
      source_sink_scenario("early", "2 min", ", records: 800, rate: 1000/s", ", delivery: at-least-once",
                           "faults:\n  - {at: 60 s, kill: taskmanager-0}\n");
  const auto json = nlohmann::json::parse(run_flinksim("run " + scenario + " --json").output);
  ASSERT_EQ(json.at("faults_not_applied").size(), 1u) << json.dump(2);
  const auto& fault = json.at("faults_not_applied")[0];
  EXPECT_EQ(fault.at("at_ms"), 60000);
  EXPECT_EQ(fault.at("fault"), "kill taskmanager-0");
  const int64_t ended_ms = json.at("ended_at_ms");
  EXPECT_GT(ended_ms, 950);
  EXPECT_LT(ended_ms, 1000);
  const std::string reason = fault.at("reason");
  EXPECT_EQ(reason.rfind("job FINISHED at 0.9", 0), 0u) << reason;
  const Invocation run = run_flinksim("run " + scenario);
  EXPECT_NE(run.output.find("warning       fault at 60.0 s not applied: " + reason +
                            " (kill taskmanager-0)\n"),
            std::string::npos)
      << run.output;
}

// Seeds are 0 .. 2^63-1 everywhere (`seed:`, --seeds); --seed -1 used to run as 2^64-1 and
// 2^63 as itself. Both are bad input (exit 2) now; the largest seed still runs.
TEST(RunOutput, ASeedOutsideZeroToTwoToTheSixtyThreeIsRefused) {
  const std::string scenario = std::string(FLINKSIM_SOURCE_DIR) + "/scenarios/library/batch-sink-failure.yaml";
  EXPECT_EQ(WEXITSTATUS(run_flinksim("run " + scenario + " --seed -1 2>/dev/null").status), 2);
  EXPECT_EQ(WEXITSTATUS(run_flinksim("run " + scenario + " --seed 9223372036854775808 2>/dev/null").status), 2);
  const Invocation largest = run_flinksim("run " + scenario + " --seed 9223372036854775807");
  EXPECT_EQ(WEXITSTATUS(largest.status), 0) << largest.output;
  EXPECT_NE(largest.output.find("SEED=9223372036854775807\n"), std::string::npos) << largest.output;
}

}  // namespace

namespace {

// Goal: each failover names its cause, as Flink's exception history does. Method: the library's
// keyed window job, whose taskmanager-1 dies at 9 s: its connection's RST fails window:0 at once,
// and the restart of 10.002 s is refused by the dead TaskManager (the timeline in the scenario
// file), and the storage outage job, whose restores fail while the storage is down.
TEST(RunOutput, EveryFailoverNamesItsCause) {
  const std::string library = std::string(FLINKSIM_SOURCE_DIR) + "/scenarios/library/";
  const std::string summary = run_flinksim("run " + library + "keyed-window-at-least-once-tm-kill.yaml").output;
  EXPECT_NE(summary.find("[    9.002s] taskmanager-1 lost (connection reset): window (1/2) failed: restart 6 tasks after 1000 ms "
                         "(RemoteTransportException: Connection unexpectedly closed by remote task "
                         "manager 'taskmanager-1'. This might indicate that the remote task manager "
                         "was lost.)"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("[   10.004s] Source: source (2/2) failed: restart 6 tasks after 1000 ms "
                         "(Could not deploy the task: RecipientUnreachableException: could not "
                         "submit Source: source (2/2), the TaskManager is unreachable.)"),
            std::string::npos)
      << summary;
  const auto json = nlohmann::json::parse(
      run_flinksim("run " + library + "checkpoint-storage-outage-no-tolerance.yaml --json").output);
  ASSERT_EQ(json["failovers"].size(), 4u);
  EXPECT_EQ(json["failovers"][0]["cause"], "Exceeded checkpoint tolerable failure threshold.");
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(json["failovers"][i]["cause"],
              "IOException: could not read the checkpoint's state from the checkpoint storage");
  }
}

// Goal: one TaskManager's loss is one line, and a restart of tasks that never started is told
// apart from work done again. Method: scenarios/library/tm-kill-no-spare-slots.yaml, whose
// taskmanager-1 runs the forward pipelines source:2 -> sink:2 and source:3 -> sink:3, each one
// chained task ("Source: source -> Sink: sink (3/4)" and "(4/4)") and its own region, and is
// found unreachable at 40.002 s: two failovers at that instant with one cause, 1 + 1 tasks, all
// running. The restart at 50.002 s finds no slot for them: the task (3/4) fails with
// NoResourceAvailableException before it was deployed and its region, never started since,
// restarts: 3 restarted, 2 re-ran, 1 never started (6, 4 and 2 with source and sink unchained).
TEST(RunOutput, OneTaskManagerLossIsOneLineAndRestartsOfTasksNeverStartedAreToldApart) {
  const std::string scenario = std::string(FLINKSIM_SOURCE_DIR) + "/scenarios/library/tm-kill-no-spare-slots.yaml";
  const std::string summary = run_flinksim("run " + scenario).output;
  EXPECT_NE(summary.find("\n  [   40.002s] taskmanager-1 lost (unreachable): Source: source -> Sink: sink (3/4) "
                         "and 1 more failed: restart 2 tasks after 10000 ms (TaskManager with id taskmanager-1 "
                         "is no longer reachable.)\n  [   50.002s] Source: source -> Sink: sink (3/4) failed: "
                         "restart 1 tasks after 10000 ms "
                         "(NoResourceAvailableException"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("\ntasks restarted 3 (2 re-ran, 1 never started)\n"), std::string::npos) << summary;
  const auto json = nlohmann::json::parse(run_flinksim("run " + scenario + " --json").output);
  EXPECT_EQ(json["recovery"]["tasks_restarted"], 3);
  EXPECT_EQ(json["recovery"]["tasks_restarted_not_started"], 1);
  ASSERT_EQ(json["failovers"].size(), 3u);
  EXPECT_EQ(json["failovers"][1]["failed_task"], "Source: source -> Sink: sink (4/4)");
  EXPECT_EQ(json["failovers"][1]["origin"], "taskmanager-1 lost (unreachable)");
  EXPECT_TRUE(json["failovers"][2]["origin"].is_null());
}

// scenarios/library/batch-source-failure-before-its-result-is-complete.yaml: source:1 fails at
// 5 s while both sources still produce; region failover restarts it and both sinks, which wait
// for the sources' blocking results and were never deployed: 1 re-ran, 2 never started.
TEST(RunOutput, ABatchRestartSeparatesTasksThatReRanFromTasksNeverStarted) {
  const std::string scenario = std::string(FLINKSIM_SOURCE_DIR) +
                               "/scenarios/library/batch-source-failure-before-its-result-is-complete.yaml";
  const std::string summary = run_flinksim("run " + scenario).output;
  EXPECT_NE(summary.find("\ntasks restarted 3 (1 re-ran, 2 never started)\n"), std::string::npos) << summary;
}

}  // namespace
