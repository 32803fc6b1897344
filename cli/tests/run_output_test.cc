// Goal: `flinksim run --output FILE` writes the committed sink output in the contract's format
// (SCENARIOS.md §3), and the summary reports the oracle's verdict. Method: a small bounded count
// window job counted by hand: 2 sources x 1000 records over 5 keys. Without a rate, event time
// follows the nominal 1000 records/s, so record k of a subtask has timestamp (k + 1) ms: 999
// records fall in the window ending at 1000 ms and the last one in the window ending at 2000 ms.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string temp_path(const std::string& name) {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + test->test_suite_name() + "." + test->name() + "." + name;
}

TEST(RunOutput, CommittedOutputIsWrittenAsJsonLines) {
  const std::string scenario = temp_path("job.yaml");
  std::ofstream(scenario) << "name: out\nduration: 1 min\ncluster: {taskmanagers: 1}\n"
                             "config: {taskmanager.numberOfTaskSlots: 2}\n"
                             "job:\n  vertices:\n"
                             "    - {name: source, operator: source, parallelism: 2, records: 2000, keys: 5}\n"
                             "    - {name: window, operator: window, size: 1 s, parallelism: 2}\n"
                             "    - {name: sink, operator: sink, parallelism: 2}\n"
                             "  edges:\n    - {from: source, to: window, partitioning: hash}\n"
                             "    - {from: window, to: sink, partitioning: forward}\n";
  const std::string output = temp_path("output.jsonl");
  const std::string command = std::string(FLINKSIM_BINARY) + " run " + scenario + " --output " + output;
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string summary;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) summary += buffer;
  ASSERT_EQ(pclose(pipe), 0) << summary;
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

}  // namespace
