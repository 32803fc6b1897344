// Goal: the scenario library keeps its promises: at least 15 scenarios, each loads without error
// or warning, says which user question it answers (a `description` naming a file of
// ../shared/reference/seeds/) and states what must happen (`expect`). Whether the expectations
// hold is checked by running them (ctest label `scenarios`, scripts/check-scenario.sh).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "scenarios/scenario_loader.h"

namespace flinksim::scenarios {
namespace {

std::vector<std::string> library_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(FLINKSIM_LIBRARY_DIR)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool has_expectation(const ExpectSpec& expect) {
  return expect.exactly_once || expect.final_status || expect.recovery_time_max ||
         expect.tasks_restarted_max || expect.records_lost_max || expect.records_duplicated_max ||
         expect.failovers_max || expect.failovers_min || expect.checkpoints_completed_min;
}

TEST(Library, HasAtLeastFifteenScenarios) { EXPECT_GE(library_files().size(), 15u); }

TEST(Library, EveryScenarioLoadsCleanlyAndNamesItsSeedQuestionAndExpectations) {
  const std::regex seed_file("seed [0-9]{3}_[0-9a-f]{16}");
  for (const std::string& file : library_files()) {
    SCOPED_TRACE(file);
    Diagnostics diagnostics;
    const std::optional<ScenarioSpec> spec = load_scenario(file, diagnostics);
    ASSERT_TRUE(spec.has_value()) << diagnostics.format();
    EXPECT_TRUE(spec->warnings.empty()) << spec->warnings.front();
    EXPECT_TRUE(std::regex_search(spec->description, seed_file)) << spec->description;
    EXPECT_TRUE(has_expectation(spec->expect));
    // The file name is the scenario's name, so results and reports can be traced back.
    EXPECT_EQ(std::filesystem::path(file).stem().string(), spec->name);
  }
}

}  // namespace
}  // namespace flinksim::scenarios
