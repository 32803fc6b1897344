// Goal: summaries use nearest-rank percentiles (every value one that was observed) and the compare
// table prints "n/a" for metrics nobody recorded. Method: small value sets worked out by hand.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "reports/comparison_table.h"
#include "reports/statistics.h"
#include "test_support.h"

namespace flinksim::reports {
namespace {

TEST(Statistics, NearestRankPercentilesOfSmallSets) {
  const std::vector<int64_t> four{4, 1, 3, 2};
  const std::optional<Distribution> d = summarize(four);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->count, 4u);
  EXPECT_EQ(d->min, 1);
  EXPECT_EQ(d->median, 2);  // rank ceil(0.5 * 4) = 2
  EXPECT_EQ(d->p90, 4);     // rank ceil(0.9 * 4) = 4
  EXPECT_EQ(d->max, 4);
  std::vector<int64_t> ten;
  for (int64_t i = 10; i >= 1; --i) ten.push_back(i * 100);
  const std::optional<Distribution> t = summarize(ten);
  EXPECT_EQ(t->median, 500);  // rank 5
  EXPECT_EQ(t->p90, 900);     // rank 9
  const std::vector<int64_t> one{7};
  EXPECT_EQ(summarize(one)->p90, 7);
  EXPECT_FALSE(summarize(std::vector<int64_t>{}));
}

TEST(ComparisonTable, CellShowsValueOrMedianWithRangeOrNotAvailable) {
  EXPECT_EQ(format_cell(std::vector<int64_t>{}, "ms"), "n/a");
  EXPECT_EQ(format_cell(std::vector<int64_t>{1153, 1153}, "ms"), "1153 ms");
  EXPECT_EQ(format_cell(std::vector<int64_t>{3, 1, 2}, ""), "2 (1-3)");
}

// The cells of the row titled `title`: columns are separated by at least two spaces.
std::vector<std::string> row_cells(const std::string& table, const std::string& title) {
  std::istringstream lines(table);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with(title + "  ")) continue;
    std::vector<std::string> cells;
    std::regex separator("  +");
    const std::string rest = line.substr(title.size());
    for (std::sregex_token_iterator it(rest.begin(), rest.end(), separator, -1), end; it != end; ++it) {
      if (!it->str().empty()) cells.push_back(it->str());
    }
    return cells;
  }
  return {};
}

TEST(ComparisonTable, OneColumnPerStrategyInReportOrder) {
  const std::vector<RunRecord> records{testing::make_record("region", 1, 3, 1153),
                                       testing::make_record("full", 1, 12, 1153),
                                       testing::make_record("full", 2, 12, 1200)};
  const std::vector<RunGroup> groups = group_runs(records);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].strategy, "full");
  const std::string table = format_comparison_table(groups);
  // Header, then: runs 2 | 1; tasks restarted 12 | 3; recovery time median of {1153, 1200} is 1153.
  EXPECT_EQ(row_cells(table, "runs"), (std::vector<std::string>{"2", "1"})) << table;
  EXPECT_EQ(row_cells(table, "tasks restarted"), (std::vector<std::string>{"12", "3"})) << table;
  EXPECT_EQ(row_cells(table, "recovery time"), (std::vector<std::string>{"1153 ms (1153-1200)", "1153 ms"}));
  EXPECT_EQ(row_cells(table, "records lost"), (std::vector<std::string>{"n/a", "n/a"}));
  // No run had a verdict (exactly_once null): not checked, never counted as a pass.
  EXPECT_EQ(row_cells(table, "exactly-once"), (std::vector<std::string>{"not checked", "not checked"}));
  EXPECT_EQ(row_cells(table, "expectations hold"), (std::vector<std::string>{"2/2", "yes"}));
}

// A run as `run --json` prints it: exactly_once null when nothing was committed in either run,
// else an object whose output_matches_reference says whether the output held.
RunRecord with_exactly_once(uint64_t seed, std::optional<bool> output_matches_reference) {
  RunRecord record = testing::make_record("region", seed, 3, 1153);
  nlohmann::ordered_json run = nlohmann::ordered_json::parse(record.run_json);
  run["exactly_once"] = output_matches_reference
                            ? nlohmann::ordered_json{{"output_matches_reference", *output_matches_reference},
                                                     {"records_lost", 0},
                                                     {"records_duplicated", 0}}
                            : nlohmann::ordered_json(nullptr);
  record.run_json = run.dump();
  record.metrics = extract_metrics(run);
  return record;
}

TEST(ComparisonTable, RunsWithoutAVerdictAreCountedAsNotChecked) {
  // Seeds 1 and 2 held, 3 did not, 4 and 5 committed nothing: 2 of the 3 checked runs held, and
  // the 2 unchecked ones are named, not added to the passes (the runner used to give such runs
  // output_matches_reference true, and the table printed 4/5).
  const std::vector<RunRecord> records{with_exactly_once(1, true), with_exactly_once(2, true),
                                       with_exactly_once(3, false), with_exactly_once(4, std::nullopt),
                                       with_exactly_once(5, std::nullopt)};
  const std::string table = format_comparison_table(group_runs(records));
  EXPECT_EQ(row_cells(table, "exactly-once"), (std::vector<std::string>{"2/3 (2 not checked)"})) << table;
  const std::vector<RunRecord> one{with_exactly_once(1, std::nullopt)};
  EXPECT_EQ(row_cells(format_comparison_table(group_runs(one)), "exactly-once"),
            (std::vector<std::string>{"not checked"}));
}

TEST(RunGroups, VariedValuesOrderByTheirNumericValue) {
  std::vector<RunRecord> records;
  for (const char* value : {"10 s", "500ms", "5 s"}) {
    RunRecord record = testing::make_record("region", 1, 3, 1000);
    record.key.overrides = std::string("[\"k=") + value + "\"]";
    record.vary_key = "k";
    record.vary_value = value;
    records.push_back(record);
  }
  const std::vector<RunGroup> groups = group_runs(records);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(*groups[0].vary_value, "500ms");
  EXPECT_EQ(*groups[1].vary_value, "5 s");
  EXPECT_EQ(*groups[2].vary_value, "10 s");
  EXPECT_EQ(groups[1].label(), "region, k=5 s");
  EXPECT_EQ(numeric_value("2.5"), 2.5);
  EXPECT_EQ(numeric_value("1 min"), 60000.0);
  EXPECT_FALSE(numeric_value("fixed-delay"));
}

}  // namespace
}  // namespace flinksim::reports
