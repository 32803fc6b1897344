#include "reports/results_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>

#include "reports/metric_columns.h"
#include "reports/results_schema.h"
#include "reports/store_error.h"

namespace flinksim::reports {
namespace {

constexpr int kBusyTimeoutMs = 10'000;

// Columns of `runs` in the order records are written and read, `id` excluded.
std::vector<std::string> run_columns() {
  std::vector<std::string> columns{"scenario", "scenario_hash", "seed",      "strategy",  "overrides",
                                   "vary_key", "vary_value",    "commit_id", "exit_code"};
  for (const MetricColumn& column : metric_columns()) columns.push_back(column.name);
  columns.push_back("run_json");
  return columns;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : separator) + parts[i];
  return out;
}

void bind_value(SQLite::Statement& statement, int index, const ColumnValue& value) {
  if (const int64_t* integer = std::get_if<int64_t>(&value)) {
    statement.bind(index, *integer);
  } else if (const double* real = std::get_if<double>(&value)) {
    statement.bind(index, *real);
  } else if (const std::string* text = std::get_if<std::string>(&value)) {
    statement.bind(index, *text);
  } else {
    statement.bind(index);
  }
}

void bind_value(SQLite::Statement& statement, int index, const std::optional<std::string>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);
  }
}

ColumnValue read_value(const SQLite::Column& column) {
  switch (column.getType()) {
    case SQLITE_INTEGER: return column.getInt64();
    case SQLITE_FLOAT: return column.getDouble();
    case SQLITE_NULL: return std::monostate{};
    default: return column.getString();
  }
}

std::optional<std::string> read_optional_text(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

RunRecord read_run(SQLite::Statement& query) {
  RunRecord record;
  int index = 1;  // column 0 is id
  record.scenario = query.getColumn(index++).getString();
  record.key.scenario_hash = query.getColumn(index++).getString();
  record.key.seed = static_cast<uint64_t>(query.getColumn(index++).getInt64());
  record.key.strategy = query.getColumn(index++).getString();
  record.key.overrides = query.getColumn(index++).getString();
  record.vary_key = read_optional_text(query.getColumn(index++));
  record.vary_value = read_optional_text(query.getColumn(index++));
  record.commit = query.getColumn(index++).getString();
  record.exit_code = query.getColumn(index++).getInt();
  for (size_t i = 0; i < metric_columns().size(); ++i) {
    record.metrics.push_back(read_value(query.getColumn(index++)));
  }
  record.run_json = query.getColumn(index++).getString();
  return record;
}

int pragma_integer(SQLite::Database& database, const std::string& name) {
  return database.execAndGet("PRAGMA " + name).getInt();
}

// What to do about a SQLite error that happened after the database was opened and checked.
std::string advice_for(const std::string& reason) {
  if (reason.find("full") != std::string::npos || reason.find("disk I/O") != std::string::npos) {
    return " (is the disk full?); free space, then --resume the sweep";
  }
  if (reason.find("no such table") != std::string::npos || reason.find("no such column") != std::string::npos) {
    return "; the database's schema is damaged: use another --db";
  }
  return "";
}

}  // namespace

template <typename Operation>
auto ResultsStore::named(const char* doing, Operation operation) const {
  try {
    return operation();
  } catch (const SQLite::Exception& e) {
    const std::string reason = e.what();
    throw StoreError(path_ + ": cannot " + doing + " the results database: " + reason + advice_for(reason));
  }
}

ResultsStore::ResultsStore(const std::string& path, OpenMode mode) : path_(path) {
  try {
    open_checked(mode);
  } catch (const SQLite::Exception& e) {
    const std::string reason = e.what();
    if (reason.find("not a database") != std::string::npos ||
        reason.find("malformed") != std::string::npos) {
      throw StoreError(path_ + ": not a readable flinksim results database (" + reason +
                       "); the file was left untouched");
    }
    throw StoreError(path_ + ": cannot open results database " +
                     (mode == OpenMode::read_only ? "for reading" : "for writing") + ": " + reason);
  }
}

ResultsStore::~ResultsStore() {
  insert_run_.reset();
  insert_point_.reset();
  if (!writable_ || !database_) return;
  // Leave a closed database as one self-contained file in rollback-journal mode: readers then
  // need neither a -shm file nor a writable directory (a read-only volume, NFS). The next
  // writer switches back to WAL. Failing here only keeps WAL mode, so it is not an error.
  try {
    database_->exec("PRAGMA journal_mode = DELETE");
  } catch (const SQLite::Exception&) {
  }
}

void ResultsStore::open_checked(OpenMode mode) {
  if (mode == OpenMode::read_only && !std::filesystem::exists(path_)) {
    throw StoreError(path_ + ": no such results database");
  }
  const int flags = mode == OpenMode::read_only ? SQLite::OPEN_READONLY
                                                 : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
  database_ = std::make_unique<SQLite::Database>(path_, flags, kBusyTimeoutMs);
  const std::string check = database_->execAndGet("PRAGMA quick_check").getString();
  if (check != "ok") {
    throw StoreError(path_ + ": the results database is corrupt (" + check +
                     "); the file was left untouched");
  }
  const int version = pragma_integer(*database_, "user_version");
  const int application = pragma_integer(*database_, "application_id");
  const int tables = database_->execAndGet("SELECT count(*) FROM sqlite_master").getInt();
  if (version > kSchemaVersion) {
    throw StoreError(path_ + ": results database schema version " + std::to_string(version) +
                     " is newer than this flinksim supports (" + std::to_string(kSchemaVersion) +
                     "); use a newer flinksim");
  }
  const bool empty = version == 0 && tables == 0;
  if (!empty && application != kApplicationId) {
    throw StoreError(path_ + ": not a flinksim results database (a SQLite file of another "
                             "application); the file was left untouched");
  }
  // Version 1 created both tables; checked before anything is written (WAL mode changes the
  // file's header).
  if (version >= 1) check_tables();
  if (mode == OpenMode::read_only) {
    if (empty) throw StoreError(path_ + ": empty file, not a flinksim results database");
    return;
  }
  // WAL: a commit is one append to the log, readers never block the writer, and a killed process
  // leaves a log that the next opener replays or discards atomically. NORMAL synchronisation
  // keeps every committed transaction across a process crash (only a power loss may lose the last
  // ones), which is the failure a sweep must survive.
  database_->exec("PRAGMA journal_mode = WAL");
  writable_ = true;
  database_->exec("PRAGMA synchronous = NORMAL");
  if (version < kSchemaVersion) upgrade_schema(*database_, version);
}

// A flinksim database whose tables were dropped or renamed (by hand, by another tool) passes
// SQLite's integrity check; say so on opening rather than fail on the first query.
void ResultsStore::check_tables() const {
  for (const char* table : {"runs", "run_series"}) {
    SQLite::Statement query(*database_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
    query.bind(1, table);
    query.executeStep();
    if (query.getColumn(0).getInt() == 0) {
      throw StoreError(path_ + ": the results database's schema is damaged (no table '" + table +
                       "'); the file was left untouched: use another --db");
    }
  }
}

int ResultsStore::schema_version() const { return pragma_integer(*database_, "user_version"); }

bool ResultsStore::insert(const RunRecord& record) {
  return named("write to", [&] {
    SQLite::Transaction transaction(*database_);
    const bool inserted = insert_unlocked(record);
    transaction.commit();
    return inserted;
  });
}

size_t ResultsStore::insert_all(std::span<const RunRecord> records) {
  return named("write to", [&] {
    SQLite::Transaction transaction(*database_);
    size_t inserted = 0;
    for (const RunRecord& record : records) inserted += insert_unlocked(record) ? 1 : 0;
    transaction.commit();
    return inserted;
  });
}

bool ResultsStore::insert_unlocked(const RunRecord& record) {
  if (!insert_run_) {
    const std::vector<std::string> columns = run_columns();
    const std::vector<std::string> parameters(columns.size(), "?");
    insert_run_ = std::make_unique<SQLite::Statement>(
        *database_, "INSERT INTO runs (" + join(columns, ", ") + ") VALUES (" + join(parameters, ", ") +
                        ") ON CONFLICT (scenario_hash, seed, strategy, overrides) DO NOTHING");
    insert_point_ = std::make_unique<SQLite::Statement>(
        *database_, "INSERT INTO run_series (run_id, series, point, t_ms, value, label) VALUES (?, ?, ?, ?, ?, ?)");
  }
  SQLite::Statement& insert = *insert_run_;
  insert.reset();
  insert.clearBindings();
  int index = 1;
  insert.bind(index++, record.scenario);
  insert.bind(index++, record.key.scenario_hash);
  insert.bind(index++, static_cast<int64_t>(record.key.seed));
  insert.bind(index++, record.key.strategy);
  insert.bind(index++, record.key.overrides);
  bind_value(insert, index++, record.vary_key);
  bind_value(insert, index++, record.vary_value);
  insert.bind(index++, record.commit);
  insert.bind(index++, record.exit_code);
  for (size_t i = 0; i < metric_columns().size(); ++i) {
    bind_value(insert, index++, i < record.metrics.size() ? record.metrics[i] : ColumnValue{});
  }
  insert.bind(index++, record.run_json);
  const int changed = insert.exec();
  insert.reset();
  if (changed == 0) return false;
  const int64_t run_id = database_->getLastInsertRowid();
  SQLite::Statement& point = *insert_point_;
  for (const SeriesPoint& p : record.series) {
    point.reset();
    point.bind(1, run_id);
    point.bind(2, p.series);
    point.bind(3, p.point);
    point.bind(4, p.time_ms);
    bind_value(point, 5, p.value);
    point.bind(6, p.label);
    point.exec();
  }
  point.reset();
  return true;
}

std::set<RunKey> ResultsStore::keys() const {
  return named("read", [&] { return read_keys(); });
}

std::set<RunKey> ResultsStore::read_keys() const {
  std::set<RunKey> keys;
  SQLite::Statement query(*database_, "SELECT scenario_hash, seed, strategy, overrides FROM runs");
  while (query.executeStep()) {
    keys.insert(RunKey{query.getColumn(0).getString(),
                       static_cast<uint64_t>(query.getColumn(1).getInt64()),
                       query.getColumn(2).getString(), query.getColumn(3).getString()});
  }
  return keys;
}

size_t ResultsStore::size() const {
  return named("read", [&] { return static_cast<size_t>(database_->execAndGet("SELECT count(*) FROM runs").getInt64()); });
}

std::vector<RunRecord> ResultsStore::records() const {
  return named("read", [&] { return read_records(); });
}

std::vector<RunRecord> ResultsStore::read_records() const {
  std::map<int64_t, size_t> position_of_id;
  std::vector<RunRecord> records;
  SQLite::Statement runs(*database_,
                         "SELECT id, " + join(run_columns(), ", ") +
                             " FROM runs ORDER BY scenario, strategy, vary_value, overrides, seed, "
                             "scenario_hash");
  while (runs.executeStep()) {
    position_of_id[runs.getColumn(0).getInt64()] = records.size();
    records.push_back(read_run(runs));
  }
  SQLite::Statement series(*database_,
                           "SELECT run_id, series, point, t_ms, value, label FROM run_series "
                           "ORDER BY run_id, series, point");
  while (series.executeStep()) {
    const auto it = position_of_id.find(series.getColumn(0).getInt64());
    if (it == position_of_id.end()) continue;
    records[it->second].series.push_back(SeriesPoint{
        series.getColumn(1).getString(), series.getColumn(2).getInt64(), series.getColumn(3).getInt64(),
        read_value(series.getColumn(4)), series.getColumn(5).getString()});
  }
  return records;
}

}  // namespace flinksim::reports
