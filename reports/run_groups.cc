#include "reports/run_groups.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include "sim/time.h"

namespace flinksim::reports {
namespace {

// Orders varied values: numeric ones first by value, then the others by text.
bool vary_less(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a || !b) return !a && b;
  const std::optional<double> x = numeric_value(*a);
  const std::optional<double> y = numeric_value(*b);
  if (x && y && *x != *y) return *x < *y;
  if (x.has_value() != y.has_value()) return x.has_value();
  return *a < *b;
}

bool group_less(const RunGroup& a, const RunGroup& b) {
  if (a.scenario != b.scenario) return a.scenario < b.scenario;
  const int rank_a = strategy_rank(a.strategy);
  const int rank_b = strategy_rank(b.strategy);
  if (rank_a != rank_b) return rank_a < rank_b;
  if (a.strategy != b.strategy) return a.strategy < b.strategy;
  if (a.vary_key != b.vary_key) return a.vary_key < b.vary_key;
  return vary_less(a.vary_value, b.vary_value);
}

}  // namespace

std::string RunGroup::label() const {
  if (!vary_value) return strategy;
  return strategy + ", " + vary_key.value_or("") + "=" + *vary_value;
}

const std::vector<ReportMetric>& report_metrics() {
  static const std::vector<ReportMetric> metrics{
      {"recovery time", "recovery_time_ms", "ms", ""},
      {"downtime", "downtime_ms", "ms", ""},
      {"tasks restarted", "tasks_restarted", "", ""},
      {"failovers", "failovers", "", ""},
      {"records replayed", "records_replayed", "", ""},
      {"records lost", "records_lost", "", ""},
      {"records duplicated", "records_duplicated", "", ""},
      {"checkpoint duration", "checkpoint_duration_ms_max", "ms", "checkpoint_duration"},
      {"checkpoints completed", "checkpoints_completed", "", ""},
  };
  return metrics;
}

int strategy_rank(std::string_view strategy) {
  if (strategy == "full") return 0;
  if (strategy == "region") return 1;
  if (strategy == "approximate") return 2;
  return 3;
}

std::optional<double> numeric_value(std::string_view text) {
  double number = 0;
  const char* end = text.data() + text.size();
  const auto [pointer, error] = std::from_chars(text.data(), end, number);
  if (!text.empty() && error == std::errc() && pointer == end) return number;
  const sim::Result<sim::Duration> duration = sim::parse_duration(text);
  if (duration.ok()) return static_cast<double>(duration.value().count_milliseconds());
  return std::nullopt;
}

std::vector<RunGroup> group_runs(std::span<const RunRecord> records) {
  using Key = std::tuple<std::string, std::string, std::optional<std::string>, std::optional<std::string>>;
  std::map<Key, RunGroup> groups;
  for (const RunRecord& record : records) {
    const Key key{record.scenario, record.key.strategy, record.vary_key, record.vary_value};
    RunGroup& group = groups[key];
    if (group.runs.empty()) {
      group = RunGroup{record.scenario, record.key.strategy, record.vary_key, record.vary_value, {}};
    }
    group.runs.push_back(&record);
  }
  std::vector<RunGroup> ordered;
  for (auto& [key, group] : groups) {
    std::sort(group.runs.begin(), group.runs.end(), [](const RunRecord* a, const RunRecord* b) {
      return std::tie(a->key.seed, a->key.overrides) < std::tie(b->key.seed, b->key.overrides);
    });
    ordered.push_back(std::move(group));
  }
  std::stable_sort(ordered.begin(), ordered.end(), group_less);
  return ordered;
}

std::vector<int64_t> metric_values(const RunGroup& group, const ReportMetric& metric) {
  std::vector<int64_t> values;
  if (!metric.series.empty()) {
    for (const RunRecord* run : group.runs) {
      for (const SeriesPoint& point : run->series) {
        if (point.series != metric.series) continue;
        if (const int64_t* value = std::get_if<int64_t>(&point.value)) values.push_back(*value);
        if (const double* value = std::get_if<double>(&point.value)) values.push_back(static_cast<int64_t>(*value));
      }
    }
    if (!values.empty()) return values;
  }
  for (const RunRecord* run : group.runs) {
    if (const std::optional<int64_t> value = run->metric_integer(metric.column)) values.push_back(*value);
  }
  return values;
}

}  // namespace flinksim::reports
