#pragma once

// The results database schema and its versions. `PRAGMA user_version` holds the version and
// `PRAGMA application_id` marks the file as flinksim's. A database is only ever upgraded in place
// by adding (never dropping or recreating) tables and columns, so stored results survive every
// upgrade; a database from a newer flinksim is refused rather than touched.
//
// Version 1:
//   runs        one row per run: identity (scenario_hash, seed, strategy, overrides) — UNIQUE —,
//               provenance (scenario, vary_key, vary_value, commit_id, exit_code), one column per
//               metric (metric_columns.h, all nullable) and the complete run object (run_json).
//   run_series  time series over virtual time: (run_id, series, point) -> (t_ms, value, label).

#include <SQLiteCpp/Database.h>

namespace flinksim::reports {

inline constexpr int kSchemaVersion = 1;
// "FLKS" — tells a flinksim results database from any other SQLite file.
inline constexpr int kApplicationId = 0x464C4B53;

// Brings an empty database (version 0, no tables) or an older flinksim database up to
// kSchemaVersion inside one transaction. The caller has checked the version is not newer.
void upgrade_schema(SQLite::Database& database, int from_version);

}  // namespace flinksim::reports
