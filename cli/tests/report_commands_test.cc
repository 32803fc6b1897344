// Goal: `flinksim compare`, `sweep`, `merge` and `report` keep the command-line contract of
// SCENARIOS.md: the side-by-side table and the JSON list of `compare`, exit code 2 with a message
// naming the problem for bad input, and a report a user can open with or without gnuplot.
// Method: run the built binary on a library scenario and on small files written by the test;
// expected figures worked out by hand from the scenario (4 forward pipelines of 3 tasks).

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "cli/tests/cli_test_support.h"

namespace {

using flinksim::cli::testing::CommandResult;
using flinksim::cli::testing::read_all;


// Runs flinksim with `arguments` (already shell-quoted as needed) after `environment`
// ("NAME=value " prefixes).
// A directory of this test process: tests of other build trees may run at the same time.
std::string private_directory() {
  static const std::string directory = [] {
    const std::string path = ::testing::TempDir() + "flinksim_report_commands_" + std::to_string(getpid());
    mkdir(path.c_str(), 0700);
    return path + "/";
  }();
  return directory;
}

CommandResult run_flinksim(const std::string& arguments, const std::string& environment = "") {
  return flinksim::cli::testing::run_command(environment, arguments, private_directory() + "stderr.txt");
}

std::string temp(const std::string& name) {
  const std::string path = private_directory() + name;
  std::remove(path.c_str());
  return path;
}

std::string library(const std::string& name) {
  return std::string(FLINKSIM_SOURCE_DIR) + "/scenarios/library/" + name + ".yaml";
}

const std::string kForwardJob = library("region-failover-forward-job");

// The line of the table that starts with `title`, whitespace collapsed.
std::string row(const std::string& table, const std::string& title) {
  std::istringstream lines(table);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(title + " ", 0) != 0) continue;
    std::istringstream words(line);
    std::string word;
    std::string collapsed;
    while (words >> word) collapsed += (collapsed.empty() ? "" : " ") + word;
    return collapsed;
  }
  return "";
}

TEST(CompareCommand, TablePutsStrategiesSideBySide) {
  const CommandResult result =
      run_flinksim("compare '" + kForwardJob + "' --strategies full,region,approximate --seeds 1..3");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("SEEDS=1..3\n", 0), 0u) << result.out;
  EXPECT_EQ(row(result.out, ""), "full region approximate") << result.out;
  EXPECT_EQ(row(result.out, "runs"), "runs 3 3 3");
  // source -> map -> sink is chained into one task per subtask: full failover restarts all 4
  // tasks; region failover the failed pipeline's one task; approximate the failed task and its
  // downstream (FLIP-135): none, 1. (12, 3 and 2 with the operators unchained.)
  EXPECT_EQ(row(result.out, "tasks restarted"), "tasks restarted 4 1 1");
  EXPECT_EQ(row(result.out, "failovers"), "failovers 1 1 1");
  // The scenario allows at most 1 restarted task, so full failover fails it in every seed.
  EXPECT_EQ(row(result.out, "expectations hold"), "expectations hold 0/3 3/3 3/3");
  // The exactly-once oracle fills these once records flow; until then they are "n/a".
  EXPECT_TRUE(std::regex_match(row(result.out, "records lost"), std::regex("records lost( (n/a|[0-9]+)){3}")))
      << result.out;
  // Its sinks are exactly-once (two-phase commit) without checkpointing: neither run commits
  // anything, so no run has a verdict and none counts as a pass (this row said 3/3).
  EXPECT_EQ(row(result.out, "exactly-once"), "exactly-once not checked not checked not checked") << result.out;
}

TEST(CompareCommand, JsonIsAListOfRunObjects) {
  const CommandResult result = run_flinksim("compare '" + kForwardJob + "' --strategies region,full --seeds 2..3 --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json runs = nlohmann::json::parse(result.out);
  ASSERT_TRUE(runs.is_array());
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0]["strategy"], "full");
  EXPECT_EQ(runs[0]["seed"], 2);
  EXPECT_EQ(runs[3]["strategy"], "region");
  EXPECT_EQ(runs[3]["seed"], 3);
  EXPECT_EQ(runs[3]["recovery"]["tasks_restarted"], 1);
  // Nothing committed in either run (exactly-once sinks, no checkpointing): no verdict, and why.
  EXPECT_TRUE(runs[3]["exactly_once"].is_null()) << runs[3].dump(2);
  EXPECT_EQ(runs[3]["exactly_once_not_checked"], "nothing committed in either run");
  // The report's details (job graph, checkpoint history) stay in the database: `run --json`'s shape.
  EXPECT_FALSE(runs[3].contains("report"));
}

TEST(CompareCommand, TheStoredRunKeepsWhatTheReportShowsOfIt) {
  if (system("command -v sqlite3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "sqlite3 is not installed";
  const std::string db = temp("details.db");
  const CommandResult result = run_flinksim("compare '" + kForwardJob + "' --strategies region --db '" + db + "'");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string query = "sqlite3 '" + db + "' \"SELECT json_extract(run_json, '$.report.tasks'), "
                            "json_extract(run_json, '$.report.faults[0].fault') FROM runs\"";
  FILE* pipe = popen(query.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::array<char, 256> line{};
  const std::string out = fgets(line.data(), line.size(), pipe) != nullptr ? line.data() : "";
  pclose(pipe);
  // The forward job: 4 chained tasks Source: source -> map -> Sink: sink; map:2 fails at 20 s.
  EXPECT_EQ(out, "4|fail-task map:2\n");
}

TEST(CompareCommand, StrategyTheScenarioRejectsIsSkippedWithItsReason) {
  const std::string scenario = temp("unaligned.yaml");
  std::string text = read_all(kForwardJob);
  text.replace(text.find("config:\n"), 8, "config:\n  execution.checkpointing.unaligned.enabled: true\n");
  std::ofstream(scenario) << text;
  const CommandResult result = run_flinksim("compare '" + scenario + "' --strategies region,approximate");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("strategy 'approximate' skipped"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("unaligned"), std::string::npos) << result.err;
  EXPECT_EQ(row(result.out, ""), "region");
  const CommandResult only = run_flinksim("compare '" + scenario + "' --strategies approximate");
  EXPECT_EQ(only.exit_code, 2);
  EXPECT_NE(only.err.find("no strategy left to compare"), std::string::npos) << only.err;
}

TEST(ReportCommands, BadInputExitsTwoWithAMessageNamingIt) {
  struct Case {
    std::string arguments;
    std::string message;
  };
  const std::string db = temp("bad-input.db");
  const std::vector<Case> cases{
      {"compare '" + kForwardJob + "' --strategies full,fulll", "unknown strategy 'fulll' (did you mean 'full'?)"},
      {"sweep '" + kForwardJob + "' --seeds 5..2 --db '" + db + "'", "bad seed range '5..2'"},
      // Every seed there is: 2^63 of them, refused with the limit (it ended "internal error").
      {"compare '" + kForwardJob + "' --seeds 0..9223372036854775807",
       "bad seed range '0..9223372036854775807': 9223372036854775808 seeds, at most 1000000 in one range"},
      {"sweep '" + kForwardJob + "' --seeds 1..4 --shard 3/2 --db '" + db + "'", "bad shard '3/2'"},
      {"sweep '" + kForwardJob + "' --seeds 1..4 --db /nonexistent-directory/runs.db",
       "/nonexistent-directory/runs.db: cannot open results database for writing"},
      {"sweep '" + kForwardJob + "' --seeds 1..4 --vary nokey --db '" + db + "'", "bad --vary 'nokey'"},
      {"sweep '" + kForwardJob + "' --seeds 1..2 --conf heartbeat.timeout=soon --db '" + db + "'",
       "heartbeat.timeout"},
      {"sweep /nonexistent.yaml --seeds 1..2 --db '" + db + "'", "/nonexistent.yaml"},
      {"report /nonexistent.db -o x.html", "/nonexistent.db: no such results database"},
  };
  for (const Case& c : cases) {
    const CommandResult result = run_flinksim(c.arguments);
    EXPECT_EQ(result.exit_code, 2) << c.arguments << "\n" << result.err;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << c.arguments << "\n" << result.err;
  }
  const CommandResult env = run_flinksim("sweep '" + kForwardJob + "' --seeds 1..2 --db '" + db + "'",
                                         "JOB_COMPLETION_INDEX=1");
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_NE(env.err.find("FLINKSIM_SHARDS"), std::string::npos) << env.err;
}

TEST(ReportCommands, SweepThenReportWithAndWithoutGnuplot) {
  const std::string db = temp("sweep.db");
  const CommandResult sweep =
      run_flinksim("sweep '" + kForwardJob + "' --seeds 1..5 --strategies full,region --jobs 2 --db '" + db + "'");
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  // Not a terminal: plain progress lines, and the summary.
  EXPECT_NE(sweep.err.find("sweep: 10/10 runs (100%)"), std::string::npos) << sweep.err;
  EXPECT_NE(sweep.err.find("holds 10 runs"), std::string::npos) << sweep.err;

  const std::string plain = temp("plain.html");
  // Job graphs are SVG too (drawn by dot): both switched off, the report has no SVG at all.
  const CommandResult without = run_flinksim("report '" + db + "' -o '" + plain + "'", "FLINKSIM_GNUPLOT= FLINKSIM_DOT=");
  ASSERT_EQ(without.exit_code, 0) << without.err;
  const std::string plain_html = read_all(plain);
  EXPECT_NE(plain_html.find("Charts are absent: charts are switched off"), std::string::npos);
  EXPECT_NE(plain_html.find("No job graph: switched off (FLINKSIM_DOT is set and empty)."), std::string::npos);
  EXPECT_NE(plain_html.find("<th>full</th><th>region</th>"), std::string::npos);
  EXPECT_EQ(plain_html.find("<svg"), std::string::npos);

  const std::string missing = temp("missing.html");
  const CommandResult no_path = run_flinksim("report '" + db + "' -o '" + missing + "'", "PATH=/nonexistent");
  ASSERT_EQ(no_path.exit_code, 0) << no_path.err;
  EXPECT_NE(read_all(missing).find("gnuplot was not found on PATH"), std::string::npos);

  if (system("command -v gnuplot >/dev/null 2>&1") != 0) GTEST_SKIP() << "gnuplot is not installed";
  const std::string charts = temp("charts.html");
  const std::string markdown = temp("charts.md");
  const CommandResult with =
      run_flinksim("report '" + db + "' -o '" + charts + "' --markdown '" + markdown + "'");
  ASSERT_EQ(with.exit_code, 0) << with.err;
  const std::string html = read_all(charts);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("Charts are absent"), std::string::npos);
  EXPECT_NE(read_all(markdown).find(".svg)"), std::string::npos);
}

TEST(ReportCommands, CompareStoresAndReusesRunsInTheDatabase) {
  const std::string db = temp("compare.db");
  const std::string report = temp("compare.html");
  const CommandResult first = run_flinksim("compare '" + kForwardJob + "' --strategies full,region --seeds 1..2 --db '" +
                                           db + "' --report '" + report + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(read_all(report).find("region-failover-forward-job"), std::string::npos);
  const CommandResult second =
      run_flinksim("compare '" + kForwardJob + "' --strategies full,region --seeds 1..3 --db '" + db + "'");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("reusing 4 runs"), std::string::npos) << second.err;
  EXPECT_EQ(row(second.out, "runs"), "runs 3 3");
  const CommandResult merged = run_flinksim("merge '" + temp("merged.db") + "' '" + db + "'");
  EXPECT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_NE(merged.out.find(": 6 runs, 6 new"), std::string::npos) << merged.out;
}

// Goal: one flag name per concept and every printing command quiet or JSON on request (issue
// 21). Method: two stored runs of the forward job (full and region, seed 1): `report DB` with no
// file writes to stdout what -o writes to a file; merge --json says what each input added (both
// runs new to an empty output, none the second time); compare takes --strategy as
// --strategies, and --quiet prints nothing.
TEST(ReportCommands, ReportToStdoutMergeAsJsonAndCompareFlagsAgree) {
  const std::string db = temp("flags.db");
  const CommandResult compare =
      run_flinksim("compare '" + kForwardJob + "' --strategy full,region --seeds 1 --db '" + db + "' --quiet");
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_EQ(compare.out, "");
  const std::string file = temp("flags.html");
  const std::string environment = "FLINKSIM_GNUPLOT= FLINKSIM_DOT=";
  ASSERT_EQ(run_flinksim("report '" + db + "' -o '" + file + "'", environment).exit_code, 0);
  const CommandResult to_stdout = run_flinksim("report '" + db + "'", environment);
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  EXPECT_EQ(to_stdout.out, read_all(file));
  EXPECT_NE(to_stdout.out.find("<th>full</th><th>region</th>"), std::string::npos);
  const auto runs = nlohmann::json::parse(run_flinksim("report '" + db + "' --json").out);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["scenario"], "region-failover-forward-job");

  const std::string merged = temp("flags-merged.db");
  const auto first = nlohmann::json::parse(run_flinksim("merge '" + merged + "' '" + db + "' --json").out);
  EXPECT_EQ(first["output"], merged);
  EXPECT_EQ(first["inputs"][0]["runs"], 2);
  EXPECT_EQ(first["inputs"][0]["new"], 2);
  const auto again = nlohmann::json::parse(run_flinksim("merge '" + merged + "' '" + db + "' --json").out);
  EXPECT_EQ(again["inputs"][0]["new"], 0);
  EXPECT_EQ(run_flinksim("merge '" + merged + "' '" + db + "' --quiet").out, "");
}

// Goal: a database that fails while a sweep writes to it is named, with what to do (docs/
// reports.md promises every message names the file). Method: a file size limit (ulimit -f, in
// 512-byte blocks under /bin/sh = dash: 48 KiB) with SIGXFSZ ignored, so that SQLite's write
// fails as on a full disk once the database outgrows it; 40 runs of the forward job need more
// (a run's JSON and series are several KiB).
TEST(ReportCommands, ADatabaseThatCannotBeWrittenMidSweepIsNamed) {
  const std::string db = temp("full.db");
  const CommandResult sweep = flinksim::cli::testing::run_command(
      "trap '' XFSZ; ulimit -f 96;",
      "sweep '" + kForwardJob + "' --seeds 1..40 --jobs 1 --quiet --db '" + db + "'",
      private_directory() + "stderr.txt");
  EXPECT_EQ(sweep.exit_code, 2) << sweep.err;
  EXPECT_NE(sweep.err.find(db + ": cannot write to the results database: "), std::string::npos) << sweep.err;
  EXPECT_NE(sweep.err.find("(is the disk full?); free space, then --resume the sweep"), std::string::npos)
      << sweep.err;
}

}  // namespace
