// Goal: merging shard databases gives exactly the union of their runs — no run lost, none doubled,
// series following their runs — and merging again changes nothing. Method: stores filled by hand,
// compared through a row dump.

#include <gtest/gtest.h>

#include "reports/merge.h"
#include "reports/results_store.h"
#include "reports/store_error.h"
#include "test_support.h"

namespace flinksim::reports {
namespace {

using testing::make_record;
using testing::temp_path;

std::string store_with(const std::string& name, const std::vector<RunRecord>& records) {
  const std::string path = temp_path(name);
  ResultsStore store(path, OpenMode::read_write);
  for (const RunRecord& record : records) store.insert(record);
  return path;
}

TEST(Merge, ShardsMergeIntoTheUnionRowForRow) {
  std::vector<RunRecord> all;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    all.push_back(make_record("full", seed, 12, 1100 + static_cast<int64_t>(seed)));
    all.push_back(make_record("region", seed, 3, 1000 + static_cast<int64_t>(seed)));
  }
  const std::vector<RunRecord> even(all.begin(), all.begin() + 6);
  const std::vector<RunRecord> odd(all.begin() + 6, all.end());
  const std::string whole = store_with("whole.db", all);
  // Inserted in another order: ids differ, contents must not.
  std::vector<RunRecord> reversed(odd.rbegin(), odd.rend());
  const std::string a = store_with("a.db", even);
  const std::string b = store_with("b.db", reversed);
  const std::string out = temp_path("merged.db");

  const std::vector<MergeInputSummary> summary = merge_results(out, {a, b});
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(summary[0].inserted, 6u);
  EXPECT_EQ(summary[1].inserted, 6u);
  const ResultsStore merged(out, OpenMode::read_only);
  const ResultsStore expected(whole, OpenMode::read_only);
  EXPECT_EQ(testing::dump_without_wall_time(merged.records()), testing::dump_without_wall_time(expected.records()));
  EXPECT_EQ(merged.records().size(), 12u);
}

TEST(Merge, MergingAgainOrOverlappingShardsAddsNothing) {
  const std::string a = store_with("a.db", {make_record("full", 1, 12, 1153), make_record("full", 2, 12, 1153)});
  const std::string b = store_with("b.db", {make_record("full", 2, 12, 1153), make_record("full", 3, 12, 1153)});
  const std::string out = temp_path("merged.db");
  merge_results(out, {a, b});
  const std::vector<MergeInputSummary> again = merge_results(out, {a, b});
  EXPECT_EQ(again[0].inserted + again[1].inserted, 0u);
  EXPECT_EQ(ResultsStore(out, OpenMode::read_only).size(), 3u);
}

TEST(Merge, ABadInputStopsTheMergeBeforeAnythingIsWritten) {
  const std::string good = store_with("good.db", {make_record("full", 1, 12, 1153)});
  const std::string bad = testing::write_text(temp_path("bad.db"), "garbage");
  const std::string out = temp_path("merged.db");
  try {
    merge_results(out, {good, bad});
    FAIL() << "no error";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_THROW(merge_results(good, {good}), StoreError);
}

}  // namespace
}  // namespace flinksim::reports
