// Goal: the results store keeps every run exactly once with all its fields, survives reopening,
// refuses (without touching) files it must not write: corrupt, foreign, newer schema; and a key
// stored twice is not duplicated. Method: real SQLite files in a temporary directory, inspected
// through the store and, where the store cannot be trusted to tell, through SQLite directly.

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "reports/results_schema.h"
#include "reports/results_store.h"
#include "reports/store_error.h"
#include "test_support.h"

namespace flinksim::reports {
namespace {

using testing::make_record;
using testing::temp_path;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The message of the StoreError `open` throws; "" when it does not throw.
std::string open_error(const std::string& path, OpenMode mode) {
  try {
    ResultsStore store(path, mode);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

TEST(ResultsStore, RoundTripsEveryFieldIncludingNullMetricsAndSeries) {
  const std::string path = temp_path("runs.db");
  RunRecord record = make_record("region", 7, 3, 1153);
  record.vary_key = "execution.checkpointing.interval";
  record.vary_value = "5 s";
  record.key.overrides = R"(["execution.checkpointing.interval=5 s"])";
  record.exit_code = 1;
  {
    ResultsStore store(path, OpenMode::read_write);
    EXPECT_EQ(store.schema_version(), kSchemaVersion);
    EXPECT_TRUE(store.insert(record));
  }
  // Closed, the database is one file that readers can use without writing anything beside it.
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(SQLite::Database(path, SQLite::OPEN_READONLY).execAndGet("PRAGMA journal_mode").getString(), "delete");
  const ResultsStore reopened(path, OpenMode::read_only);
  const std::vector<RunRecord> records = reopened.records();
  ASSERT_EQ(records.size(), 1u);
  const RunRecord& back = records[0];
  EXPECT_EQ(back.key, record.key);
  EXPECT_EQ(back.vary_value, "5 s");
  EXPECT_EQ(back.exit_code, 1);
  EXPECT_EQ(back.run_json, record.run_json);
  EXPECT_EQ(back.metrics, record.metrics);
  EXPECT_EQ(back.metric_integer("tasks_restarted"), 3);
  EXPECT_EQ(back.metric_integer("recovery_time_ms"), 1153);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(back.metric("records_lost")));
  EXPECT_EQ(back.metric_text("final_status"), "RUNNING");
  ASSERT_EQ(back.series.size(), 1u);
  EXPECT_EQ(back.series[0].series, "failover");
  EXPECT_EQ(back.series[0].time_ms, 20001);
  EXPECT_EQ(back.series[0].label, "map:2");
}

TEST(ResultsStore, SameKeyIsStoredOnceAndSeedsAreDistinctRuns) {
  ResultsStore store(temp_path("runs.db"), OpenMode::read_write);
  EXPECT_TRUE(store.insert(make_record("full", 1, 12, 1153)));
  EXPECT_FALSE(store.insert(make_record("full", 1, 99, 99)));
  EXPECT_TRUE(store.insert(make_record("full", 2, 12, 1153)));
  EXPECT_TRUE(store.insert(make_record("region", 1, 3, 1153)));
  EXPECT_EQ(store.size(), 3u);
  EXPECT_EQ(store.records().front().metric_integer("tasks_restarted"), 12);  // the first one stays
  const std::vector<RunRecord> batch{make_record("full", 2, 12, 1153), make_record("full", 3, 12, 1153)};
  EXPECT_EQ(store.insert_all(batch), 1u);
  EXPECT_EQ(store.keys().size(), 4u);
}

TEST(ResultsStore, NewerSchemaVersionIsRefusedByNameAndLeftAlone) {
  const std::string path = temp_path("future.db");
  { ResultsStore store(path, OpenMode::read_write); store.insert(make_record("full", 1, 12, 1153)); }
  {
    SQLite::Database database(path, SQLite::OPEN_READWRITE);
    database.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
  }
  const std::string error = open_error(path, OpenMode::read_write);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("newer"), std::string::npos) << error;
  SQLite::Database database(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM runs").getInt(), 1);
}

TEST(ResultsStore, CorruptOrForeignFilesAreRefusedByNameAndNotModified) {
  const std::string text = testing::write_text(temp_path("notes.db"), "these are not the results you want\n");
  const std::string before = read_bytes(text);
  for (const OpenMode mode : {OpenMode::read_only, OpenMode::read_write}) {
    const std::string error = open_error(text, mode);
    EXPECT_NE(error.find(text), std::string::npos) << error;
    EXPECT_NE(error.find("not a"), std::string::npos) << error;
  }
  EXPECT_EQ(read_bytes(text), before);

  const std::string foreign = temp_path("foreign.db");
  { SQLite::Database database(foreign, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    database.exec("CREATE TABLE invoices (id INTEGER)"); }
  const std::string error = open_error(foreign, OpenMode::read_write);
  EXPECT_NE(error.find("not a flinksim results database"), std::string::npos) << error;
  SQLite::Database database(foreign, SQLite::OPEN_READONLY);
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM sqlite_master").getInt(), 1);
}

TEST(ResultsStore, TruncatedDatabaseIsReportedAsCorrupt) {
  const std::string path = temp_path("truncated.db");
  {
    ResultsStore store(path, OpenMode::read_write);
    for (uint64_t seed = 1; seed <= 200; ++seed) store.insert(make_record("full", seed, 12, 1153));
  }
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));  // checkpointed on close
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  const std::string error = open_error(path, OpenMode::read_only);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_FALSE(error.empty());
}

TEST(ResultsStore, ADamagedSchemaIsRefusedByNameOnOpeningAndNotModified) {
  // A flinksim database whose `runs` table was dropped passes SQLite's integrity check; every
  // query would fail with "no such table: runs", which named no file (an internal error).
  const std::string path = temp_path("damaged.db");
  { ResultsStore store(path, OpenMode::read_write); store.insert(make_record("full", 1, 12, 1153)); }
  {
    SQLite::Database database(path, SQLite::OPEN_READWRITE);
    database.exec("DROP TABLE runs");
  }
  const std::string before = read_bytes(path);
  for (const OpenMode mode : {OpenMode::read_only, OpenMode::read_write}) {
    const std::string error = open_error(path, mode);
    EXPECT_EQ(error, path + ": the results database's schema is damaged (no table 'runs'); the file was "
                            "left untouched: use another --db");
  }
  EXPECT_EQ(read_bytes(path), before);
}

TEST(ResultsStore, MissingInputAndUnwritableOutputNameTheFile) {
  const std::string missing = temp_path("missing.db");
  EXPECT_NE(open_error(missing, OpenMode::read_only).find(missing + ": no such"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(missing));
  const std::string unwritable = "/nonexistent-directory/runs.db";
  const std::string error = open_error(unwritable, OpenMode::read_write);
  EXPECT_NE(error.find(unwritable + ": cannot open results database for writing"), std::string::npos) << error;
}

TEST(MetricColumns, NullsStayNullAndFutureValuesFillTheSameColumns) {
  nlohmann::ordered_json run = nlohmann::ordered_json::parse(make_record("full", 1, 12, 1153).run_json);
  std::vector<ColumnValue> metrics = extract_metrics(run);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(metrics[metric_column_index("output_matches_reference")]));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(metrics[metric_column_index("checkpoints_completed")]));
  EXPECT_EQ(metrics[metric_column_index("expectations_passed")], ColumnValue(int64_t{1}));
  // The checkpointing issue fills these objects; the same columns take the values.
  run["exactly_once"] = {{"output_matches_reference", false}, {"records_lost", 17}, {"records_duplicated", 0}};
  run["checkpoints"] = {{"completed", 12}, {"failed", 1}, {"restored_from", {5}}, {"durations_ms", {40, 55}}};
  run["recovery"]["records_replayed"] = 300;
  metrics = extract_metrics(run);
  EXPECT_EQ(metrics[metric_column_index("output_matches_reference")], ColumnValue(int64_t{0}));
  EXPECT_EQ(metrics[metric_column_index("records_lost")], ColumnValue(int64_t{17}));
  EXPECT_EQ(metrics[metric_column_index("records_replayed")], ColumnValue(int64_t{300}));
  EXPECT_EQ(metrics[metric_column_index("checkpoints_completed")], ColumnValue(int64_t{12}));
  EXPECT_EQ(metrics[metric_column_index("checkpoints_restored_from")], ColumnValue(std::string("[5]")));
  const std::vector<SeriesPoint> series = extract_series(run);
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].series, "checkpoint_duration");
  EXPECT_EQ(series[1].value, ColumnValue(int64_t{55}));
  EXPECT_EQ(series[2].series, "failover");
}

TEST(MetricColumns, NamedSeriesAreStoredUnderTheirName) {
  nlohmann::ordered_json run = nlohmann::ordered_json::parse(make_record("full", 1, 12, 1153).run_json);
  run["series"] = {{"committed_output_rate", {{{"t_ms", 0}, {"value", 1000}}, {{"t_ms", 1000}, {"value", 0}}}}};
  const std::vector<SeriesPoint> series = extract_series(run);
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].series, "committed_output_rate");
  EXPECT_EQ(series[1].time_ms, 1000);
  EXPECT_EQ(series[1].value, ColumnValue(int64_t{0}));
}

}  // namespace
}  // namespace flinksim::reports
