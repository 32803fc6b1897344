#include "reports/results_schema.h"

#include <SQLiteCpp/Transaction.h>

#include <string>

#include "reports/metric_columns.h"

namespace flinksim::reports {
namespace {

std::string sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::integer: return "INTEGER";
    case ColumnType::real: return "REAL";
    case ColumnType::text: return "TEXT";
  }
  return "BLOB";
}

std::string create_runs_table() {
  std::string sql =
      "CREATE TABLE runs (\n"
      "  id INTEGER PRIMARY KEY,\n"
      "  scenario TEXT NOT NULL,\n"
      "  scenario_hash TEXT NOT NULL,\n"
      "  seed INTEGER NOT NULL,\n"
      "  strategy TEXT NOT NULL,\n"
      "  overrides TEXT NOT NULL,\n"
      "  vary_key TEXT,\n"
      "  vary_value TEXT,\n"
      "  commit_id TEXT NOT NULL,\n"
      "  exit_code INTEGER NOT NULL,\n";
  for (const MetricColumn& column : metric_columns()) {
    sql += "  " + column.name + " " + sql_type(column.type) + ",\n";
  }
  sql += "  run_json TEXT NOT NULL,\n"
         "  UNIQUE (scenario_hash, seed, strategy, overrides)\n"
         ")";
  return sql;
}

void create_version_1(SQLite::Database& database) {
  database.exec(create_runs_table());
  database.exec(
      "CREATE TABLE run_series (\n"
      "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
      "  series TEXT NOT NULL,\n"
      "  point INTEGER NOT NULL,\n"
      "  t_ms INTEGER NOT NULL,\n"
      "  value,\n"
      "  label TEXT NOT NULL,\n"
      "  PRIMARY KEY (run_id, series, point)\n"
      ")");
  database.exec("CREATE INDEX runs_by_scenario_strategy ON runs (scenario, strategy, vary_value, seed)");
}

}  // namespace

void upgrade_schema(SQLite::Database& database, int from_version) {
  SQLite::Transaction transaction(database);
  // One step per version; later versions append steps here (ALTER TABLE ... ADD COLUMN, new
  // tables), never drop or recreate what exists.
  if (from_version < 1) create_version_1(database);
  database.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
  database.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  transaction.commit();
}

}  // namespace flinksim::reports
