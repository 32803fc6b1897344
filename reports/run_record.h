#pragma once

// One stored run: its identity (which runs a resumed sweep skips), the provenance columns, every
// metric of the `run --json` object, and its time series. This is the row of the results store;
// it is built from the run's JSON object (see metric_columns.h), so the store never depends on
// how the simulator computes a metric.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace flinksim::reports {

// What makes two runs the same run: a resumed sweep completes exactly the keys that are missing.
struct RunKey {
  std::string scenario_hash;  // ScenarioSpec::content_hash
  uint64_t seed = 1;
  std::string strategy;       // the label: full | region | approximate
  std::string overrides;      // JSON array of the "KEY=VALUE" overrides, in the order applied

  auto operator<=>(const RunKey&) const = default;
};

// A column value: NULL, an integer, a real or text (SQLite's storage classes).
using ColumnValue = std::variant<std::monostate, int64_t, double, std::string>;

// One point of a time series over virtual time (committed output rate, failovers, ...).
struct SeriesPoint {
  std::string series;  // "failover", "committed_output_rate", ...
  int64_t point = 0;   // position within the series, from 0
  int64_t time_ms = 0;
  ColumnValue value;
  std::string label;   // e.g. the failed task of a failover

  auto operator<=>(const SeriesPoint&) const = default;
};

struct RunRecord {
  RunKey key;
  std::string scenario;  // the scenario's name
  // The `--vary KEY=...` entry this run used, if the sweep varied a key.
  std::optional<std::string> vary_key;
  std::optional<std::string> vary_value;
  std::string commit;  // git describe of the binary that ran it
  int exit_code = 0;   // `run`'s exit code: 0 ok, 1 expectation failed, 3 liveness
  std::string run_json;  // the complete `run --json` object, compact
  // One value per metric column, in metric_columns() order.
  std::vector<ColumnValue> metrics;
  std::vector<SeriesPoint> series;  // ordered by (series, point)

  // The value of the metric column `name`; NULL when unknown or absent.
  const ColumnValue& metric(std::string_view name) const;
  std::optional<int64_t> metric_integer(std::string_view name) const;
  std::optional<std::string> metric_text(std::string_view name) const;
};

// "NULL", the number, or the text quoted — for messages and row dumps in tests.
std::string to_display(const ColumnValue& value);

}  // namespace flinksim::reports
