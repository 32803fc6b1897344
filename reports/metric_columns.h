#pragma once

// The metrics of the `run --json` object (SCENARIOS.md §3) as results-store columns. Each column
// lists the JSON paths it may be found at; the first one present and not null wins, otherwise the
// column is NULL. Objects the simulator does not fill yet (exactly_once, checkpoints) are null
// today and become values without any change here; fields nobody anticipated are still kept in
// the stored `run_json` and can become columns through a schema migration.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "reports/run_record.h"

namespace flinksim::reports {

enum class ColumnType { integer, real, text };

struct MetricColumn {
  std::string name;  // SQL column name
  ColumnType type;
  // Candidate locations as JSON pointers ("/recovery/tasks_restarted"), first match wins.
  std::vector<std::string> paths;
};

// Every metric column, in table order. Never reorder or rename: stored databases name them.
const std::vector<MetricColumn>& metric_columns();

// Index of the column `name` in metric_columns(); metric_columns().size() when unknown.
size_t metric_column_index(std::string_view name);

// The metric values of one run, in metric_columns() order. Booleans become 0/1; arrays and
// objects become their compact JSON text.
std::vector<ColumnValue> extract_metrics(const nlohmann::ordered_json& run);

// The time series of one run, ordered by (series, point):
//   "failover": one point per failover at its virtual time; value = tasks restarted, label = the
//     failed task (from the "failovers" array of the run object);
//   every array under a "series" object, e.g. {"series": {"committed_output_rate":
//     [{"t_ms": 0, "value": 1000}, ...]}}, stored under its own name. The model does not emit a
//     "series" object yet (committed output rate over virtual time needs the data plane); once it
//     does, reports pick it up without a schema change.
//   "checkpoint_duration": {"checkpoints": {"durations_ms": [..]}} when present, one point per
//     checkpoint with time = its index.
std::vector<SeriesPoint> extract_series(const nlohmann::ordered_json& run);

}  // namespace flinksim::reports
