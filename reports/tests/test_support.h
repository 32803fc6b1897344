#pragma once

// Helpers shared by the reports tests: unique temporary paths, small run records built by hand,
// and a row dump that leaves out what legitimately differs between equal runs (wall time).

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "reports/metric_columns.h"
#include "reports/run_record.h"

namespace flinksim::reports::testing {

// A fresh path under the test's temporary directory; nothing exists there yet.
inline std::string temp_path(const std::string& name) {
  static std::atomic<int> counter{0};
  const std::filesystem::path directory =
      std::filesystem::path(::testing::TempDir()) /
      ("flinksim-reports-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  // A directory of that name left by an earlier process with the same pid holds its databases;
  // starting from it would add this test's runs to them.
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  return (directory / name).string();
}

inline std::string write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// A run as `run --json` would describe it, with the metrics a test cares about.
inline RunRecord make_record(const std::string& strategy, uint64_t seed, int64_t tasks_restarted,
                             int64_t recovery_time_ms, const std::string& scenario = "demo") {
  nlohmann::ordered_json run;
  run["scenario"] = scenario;
  run["seed"] = seed;
  run["strategy"] = strategy;
  run["final_status"] = "RUNNING";
  run["expectations"] = {{"passed", true}, {"failed", nlohmann::ordered_json::array()}};
  run["exactly_once"] = {{"output_matches_reference", nullptr}, {"records_lost", nullptr},
                         {"records_duplicated", nullptr}};
  run["recovery"] = {{"failovers", 1}, {"tasks_restarted", tasks_restarted},
                     {"recovery_time_ms", recovery_time_ms}, {"downtime_ms", recovery_time_ms - 1}};
  run["checkpoints"] = {{"completed", nullptr}, {"failed", nullptr}, {"restored_from", nullptr}};
  run["failovers"] = {{{"at_ms", 20001}, {"failed_task", "map:2"}, {"restarted", std::vector<std::string>(
                                                                                    tasks_restarted, "t")},
                       {"delay_ms", 1000}}};
  run["simulation"] = {{"events", 100 + seed}, {"virtual_time_ms", 60000}, {"wall_time_ms", 3},
                       {"trace_hash", "hash-" + strategy + "-" + std::to_string(seed)}};
  RunRecord record;
  record.key = RunKey{"0123456789abcdef", seed, strategy, "[]"};
  record.scenario = scenario;
  record.commit = "test-commit";
  record.run_json = run.dump();
  record.metrics = extract_metrics(run);
  record.series = extract_series(run);
  return record;
}

// One line per run with every stored field except wall time (the only one that may differ
// between two runs of the same key), sorted.
inline std::vector<std::string> dump_without_wall_time(const std::vector<RunRecord>& records) {
  std::vector<std::string> lines;
  const size_t wall = metric_column_index("wall_time_ms");
  for (const RunRecord& record : records) {
    nlohmann::ordered_json run = nlohmann::ordered_json::parse(record.run_json);
    run["simulation"].erase("wall_time_ms");
    // fmt rather than chains of operator+, which trip GCC 12's -Wrestrict false positive at -O3.
    std::string line = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", record.scenario, record.key.scenario_hash,
                                   record.key.seed, record.key.strategy, record.key.overrides,
                                   record.vary_key.value_or("-"), record.vary_value.value_or("-"), record.commit,
                                   record.exit_code, run.dump());
    for (size_t i = 0; i < record.metrics.size(); ++i) {
      if (i != wall) line += fmt::format("|{}", to_display(record.metrics[i]));
    }
    for (const SeriesPoint& point : record.series) {
      line += fmt::format("|{}#{}@{}={}:{}", point.series, point.point, point.time_ms, to_display(point.value),
                          point.label);
    }
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace flinksim::reports::testing
