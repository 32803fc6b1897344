#pragma once

// Runs grouped the way reports compare them: per scenario, per strategy and per value of the
// varied key, in a fixed order (full, region, approximate, then other strategies by name; varied
// values by their numeric value when they have one, "5 s" before "10 s").

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reports/run_record.h"
#include "reports/statistics.h"

namespace flinksim::reports {

struct RunGroup {
  std::string scenario;
  std::string strategy;
  std::optional<std::string> vary_key;
  std::optional<std::string> vary_value;
  std::vector<const RunRecord*> runs;  // by seed

  // "region" or "region, execution.checkpointing.interval=5 s".
  std::string label() const;
};

// A metric reports show: where its values come from and how to print them.
struct ReportMetric {
  std::string title;   // "recovery time"
  std::string column;  // metric column, e.g. "recovery_time_ms"
  std::string unit;    // "ms" or ""
  // A series whose points are values of this metric (all points of all runs), preferred over the
  // column when present: checkpoint durations.
  std::string series;
};

// recovery time, downtime, tasks restarted, failovers, records replayed/lost/duplicated,
// checkpoint durations, checkpoints completed.
const std::vector<ReportMetric>& report_metrics();

// Groups by (scenario, strategy, vary value); the records must outlive the groups.
std::vector<RunGroup> group_runs(std::span<const RunRecord> records);

// The values of `metric` over the group's runs, NULLs left out.
std::vector<int64_t> metric_values(const RunGroup& group, const ReportMetric& metric);

// A varied value as a number for ordering and chart axes: durations in milliseconds ("5 s" ->
// 5000), plain numbers as they are; nullopt for anything else.
std::optional<double> numeric_value(std::string_view text);

// Strategies in report order: full, region, approximate, then the rest by name.
int strategy_rank(std::string_view strategy);

}  // namespace flinksim::reports
