// Goal: the command-line contract of issue 21's "bounded runs" and "first ten minutes": a run can
// be stopped by --max-events, --max-wall or Ctrl-C and then says PARTIAL with its own exit code;
// --version names the commit and the modelled Flink; every printing command takes --json and
// --quiet, and --strategies / --strategy name the same flag. Method: run the built binary on a
// library scenario and on a long scenario written by the test (100 virtual days, far beyond what
// the few seconds of a test reach), and read its exit code, stdout and stderr.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/tests/cli_test_support.h"

namespace {

using flinksim::cli::testing::CommandResult;
using flinksim::cli::testing::read_all;
using flinksim::cli::testing::run_flinksim;
using flinksim::cli::testing::temp_path;

CommandResult run_command(const std::string& prefix, const std::string& arguments) {
  return flinksim::cli::testing::run_command(prefix, arguments, temp_path("stderr.txt"));
}


const std::string kLibrary = std::string(FLINKSIM_SOURCE_DIR) + "/scenarios/library/";

// 100 virtual days of 1,000 records/s: 8.6 x 10^9 records, under the loader's 10^10 ceiling,
// and about an hour of computation, so no test ever sees it end.
// An at-least-once sink: an exactly-once one without checkpoints never commits its one
// transaction, which the sink store aborts after KafkaSink's 1 h timeout, failing the job (about
// 1.2 s of wall clock on an idle machine, within the budgets below).
std::string long_scenario() {
  const std::string path = temp_path("long.yaml");
  std::ofstream(path) << "name: long\nduration: 100 d\njob:\n  vertices:\n"
                         "    - {name: source, operator: source, parallelism: 1, rate: 1000/s}\n"
                         "    - {name: sink, operator: sink, parallelism: 1, delivery: at-least-once}\n"
                         "  edges:\n    - {from: source, to: sink}\n";
  return path;
}

TEST(BoundedRun, MaxEventsStopsThePartialRunWithExitFive) {
  // The budget is exact: the faulty run stops after its 1,000th event, long before its first
  // fault at 30 s, and the reference never runs.
  const CommandResult result =
      run_flinksim("run '" + kLibrary + "tm-kill-standby.yaml' --max-events 1000 --json");
  EXPECT_EQ(result.exit_code, 5) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["partial"], true);
  EXPECT_EQ(json["simulation"]["events"], 1000);
  EXPECT_TRUE(json["expectations"]["passed"].is_null());
  EXPECT_TRUE(json["exactly_once"].is_null());
  EXPECT_EQ(json["partial_reason"].get<std::string>().rfind("stopped by --max-events 1000 in the faulty run at ", 0),
            0u)
      << json["partial_reason"];
  EXPECT_NE(result.err.find("flinksim: PARTIAL run, stopped by --max-events 1000"), std::string::npos)
      << result.err;
}

TEST(BoundedRun, PartialTextSaysPartialAndChecksNothing) {
  const CommandResult result =
      run_flinksim("run '" + kLibrary + "tm-kill-standby.yaml' --max-events 1000");
  EXPECT_EQ(result.exit_code, 5);
  EXPECT_NE(result.out.find("PARTIAL       stopped by --max-events 1000 in the faulty run"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("expectations  not checked (partial run)"), std::string::npos);
  EXPECT_NE(result.out.find("exactly-once  not checked (partial run)"), std::string::npos);
  EXPECT_NE(result.out.find("fault at 30.0 s not applied: the run was stopped at"), std::string::npos);
  EXPECT_EQ(result.out.find("all hold"), std::string::npos);
}

TEST(BoundedRun, ABudgetTheRunNeverReachesChangesNothing) {
  // Determinism: the same trace and figures with a budget that does not bite.
  const std::string scenario = "run '" + kLibrary + "tm-kill-standby.yaml' --json";
  const CommandResult free_run = run_flinksim(scenario);
  const CommandResult budgeted = run_flinksim(scenario + " --max-events 100000000 --max-wall 3600");
  ASSERT_EQ(free_run.exit_code, 0) << free_run.err;
  ASSERT_EQ(budgeted.exit_code, 0) << budgeted.err;
  nlohmann::json a = nlohmann::json::parse(free_run.out);
  nlohmann::json b = nlohmann::json::parse(budgeted.out);
  EXPECT_EQ(a["partial"], false);
  EXPECT_EQ(a["simulation"]["trace_hash"], b["simulation"]["trace_hash"]);
  a["simulation"].erase("wall_time_ms");
  b["simulation"].erase("wall_time_ms");
  EXPECT_EQ(a, b);
}

TEST(BoundedRun, MaxWallStopsALongRun) {
  const CommandResult result = run_flinksim("run '" + long_scenario() + "' --max-wall 0.5 --json");
  EXPECT_EQ(result.exit_code, 5) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["partial"], true);
  EXPECT_NE(json["partial_reason"].get<std::string>().find("stopped by --max-wall 0.5 s in the faulty run"),
            std::string::npos)
      << json["partial_reason"];
  EXPECT_GT(json["simulation"]["events"].get<int64_t>(), 0);
}

TEST(BoundedRun, CtrlCStopsCleanlyWithExit130AndWhatItHas) {
  // SIGINT after 1 s, as a terminal's Ctrl-C; --preserve-status passes flinksim's own exit code.
  // --foreground: without it timeout signals its whole process group as well, so flinksim gets
  // SIGINT twice, and a second Ctrl-C ends the run at once by design (no output, a flaky test).
  const CommandResult result = run_command("timeout --foreground --preserve-status -s INT 1",
                                           "run '" + long_scenario() + "' --json");
  EXPECT_EQ(result.exit_code, 130) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["partial"], true);
  EXPECT_NE(json["partial_reason"].get<std::string>().find("interrupted (SIGINT) in the faulty run"),
            std::string::npos);
  EXPECT_GT(json["simulation"]["virtual_time_ms"].get<int64_t>(), 0);
}

TEST(BoundedRun, ProgressAfterTwoSecondsWithProgressFlagAndNeverWhenQuiet) {
  // stderr is a file here, not a terminal: progress only with --progress. The first line comes
  // after 2 s of wall clock, so a 3.5 s budget shows at least one.
  const std::string scenario = long_scenario();
  const CommandResult shown = run_flinksim("run '" + scenario + "' --max-wall 3.5 --progress");
  EXPECT_EQ(shown.exit_code, 5);
  EXPECT_NE(shown.err.find("progress: faulty run "), std::string::npos) << shown.err;
  EXPECT_NE(shown.err.find(" of 8640000.0 s virtual ("), std::string::npos) << shown.err;
  EXPECT_NE(shown.err.find("M events/s, ETA "), std::string::npos) << shown.err;
  const CommandResult quiet = run_flinksim("run '" + scenario + "' --max-wall 2.5 --progress --quiet");
  EXPECT_EQ(quiet.exit_code, 5);
  EXPECT_EQ(quiet.err.find("progress:"), std::string::npos) << quiet.err;
  EXPECT_EQ(quiet.out, "");
  const CommandResult untold = run_flinksim("run '" + scenario + "' --max-wall 2.5");
  EXPECT_EQ(untold.err.find("progress:"), std::string::npos) << untold.err;
}

TEST(Version, NamesTheCommitAndTheModelledFlinkAndEveryRunJsonCarriesIt) {
  const CommandResult version = run_flinksim("--version");
  EXPECT_EQ(version.exit_code, 0);
  ASSERT_EQ(version.out.rfind("flinksim ", 0), 0u) << version.out;
  EXPECT_NE(version.out.find(" (models Apache Flink 1.20 / 2.0)\n"), std::string::npos) << version.out;
  // "flinksim COMMIT (models ...)": the word after "flinksim " is the commit.
  const std::string commit = version.out.substr(9, version.out.find(' ', 9) - 9);
  EXPECT_FALSE(commit.empty());
  const CommandResult run = run_flinksim("run '" + kLibrary + "tm-kill-standby.yaml' --json");
  EXPECT_EQ(nlohmann::json::parse(run.out)["flinksim_version"], commit);
}

TEST(Flags, StrategiesAndStrategyNameTheSameFlagEverywhere) {
  const std::string job = "'" + kLibrary + "region-failover-forward-job.yaml'";
  for (const std::string flag : {"--strategies", "--strategy"}) {
    const CommandResult run = run_flinksim("run " + job + " " + flag + " full --json");
    EXPECT_EQ(nlohmann::json::parse(run.out)["strategy"], "full") << flag << run.err;
    EXPECT_EQ(run_flinksim("validate " + job + " " + flag + " full").exit_code, 0) << flag;
    const CommandResult failover =
        run_flinksim("failover " + job + " " + flag + " full --fail source:0 --json");
    EXPECT_EQ(failover.exit_code, 0) << flag << failover.err;
  }
}

TEST(Flags, QuietPrintsNothingOnStdoutOnEveryCommand) {
  const std::string job = "'" + kLibrary + "region-failover-forward-job.yaml'";
  const std::string steps = temp_path("steps.yaml");
  std::ofstream(steps) << "config: {restart-strategy.type: fixed-delay}\n"
                          "steps: [{at: 0 ms, op: notify_failure}, {at: 0 ms, op: can_restart}]\n";
  for (const std::string& command :
       {"run " + job, "validate " + job, "regions " + job, "graph " + job, std::string("config"),
        "failover " + job + " --fail source:0", "backoff '" + steps + "'"}) {
    const CommandResult result = run_flinksim(command + " --quiet");
    EXPECT_EQ(result.exit_code, 0) << command << ": " << result.err;
    EXPECT_EQ(result.out, "") << command;
  }
  // Errors still reach stderr.
  const CommandResult bad = run_flinksim("validate '" + temp_path("missing.yaml") + "' --quiet");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("cannot open file"), std::string::npos);
}

TEST(Flags, ValidateAndGraphPrintJson) {
  const std::string good = kLibrary + "region-failover-forward-job.yaml";
  const std::string bad = temp_path("bad.yaml");
  std::ofstream(bad) << "name: bad\nduraton: 1 s\n";
  const CommandResult validate = run_flinksim("validate '" + good + "' '" + bad + "' --json");
  EXPECT_EQ(validate.exit_code, 2);
  const nlohmann::json files = nlohmann::json::parse(validate.out)["files"];
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0]["ok"], true);
  EXPECT_EQ(files[1]["ok"], false);
  // "duraton" is line 2, column 1, of the root map.
  const nlohmann::json& first_error = files[1]["errors"][0];
  EXPECT_EQ(first_error["line"], 2);
  EXPECT_EQ(first_error["column"], 1);
  EXPECT_NE(first_error["message"].get<std::string>().find("unknown key 'duraton' (did you mean "
                                                           "'duration'?)"),
            std::string::npos);

  const CommandResult graph = run_flinksim("graph '" + good + "' --json");
  EXPECT_EQ(graph.exit_code, 0) << graph.err;
  const nlohmann::json json = nlohmann::json::parse(graph.out);
  // source -> map -> sink, parallelism 4, forward edges: chained into one job vertex (no edge
  // left), 4 tasks "Source: source -> map -> Sink: sink (i/4)", each its own region (12 tasks
  // in 4 regions of 3 unchained).
  EXPECT_EQ(json["vertices"].size(), 1u);
  EXPECT_EQ(json["edges"].size(), 0u);
  EXPECT_EQ(json["tasks"], 4);
  ASSERT_EQ(json["regions"].size(), 4u);
  EXPECT_EQ(json["regions"][0].size(), 1u);
  EXPECT_EQ(json["regions"][0][0], "Source: source -> map -> Sink: sink (1/4)");
}

}  // namespace
