#include "reports/charts.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <map>
#include <set>

namespace flinksim::reports {
namespace {

const ReportMetric& metric_named(std::string_view column) {
  const std::vector<ReportMetric>& metrics = report_metrics();
  return *std::find_if(metrics.begin(), metrics.end(),
                       [&](const ReportMetric& metric) { return metric.column == column; });
}

void add(ChartSet& set, const Gnuplot& gnuplot, Chart chart, std::string_view script,
         const std::vector<DataFile>& data) {
  SvgResult result = gnuplot.render(script, data);
  if (!result.error.empty()) {
    set.notes.push_back(chart.title + ": " + result.error);
    return;
  }
  chart.svg = std::move(result.svg);
  set.charts.push_back(std::move(chart));
}

std::string axis_label(const ReportMetric& metric) {
  return metric.unit.empty() ? metric.title : metric.title + " (" + metric.unit + ")";
}

// "full 12, region 3" when every group's values are one value repeated (the seeds did not change
// the outcome); nullopt when some group's values differ.
std::optional<std::string> constant_values(std::span<const RunGroup> groups, const ReportMetric& metric) {
  std::string text;
  for (const RunGroup& group : groups) {
    const std::vector<int64_t> values = metric_values(group, metric);
    if (values.empty()) continue;
    if (std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) != values.end()) return std::nullopt;
    const std::string unit = metric.unit.empty() ? "" : " " + metric.unit;
    text += fmt::format("{}{} {}{}", text.empty() ? "" : ", ", group.label(), values.front(), unit);
  }
  if (text.empty()) return std::nullopt;
  return text;
}

size_t most_runs(std::span<const RunGroup> groups) {
  size_t runs = 0;
  for (const RunGroup& group : groups) runs = std::max(runs, group.runs.size());
  return runs;
}

// One box per group with values: x = 1..n, labelled with the group.
void box_plot(ChartSet& set, const Gnuplot& gnuplot, std::span<const RunGroup> groups,
              const ReportMetric& metric, const std::string& name) {
  std::string data;
  std::string tics;
  size_t boxes = 0;
  for (const RunGroup& group : groups) {
    const std::vector<int64_t> values = metric_values(group, metric);
    if (values.empty()) continue;
    ++boxes;
    for (const int64_t value : values) data += std::to_string(value) + "\n";
    data += "\n\n";
    tics += fmt::format("{}'{}' {}", tics.empty() ? "" : ", ", gnuplot_text(group.label()), boxes);
  }
  const std::string title = fmt::format("{} across seeds", metric.title);
  if (boxes == 0) {
    set.notes.push_back(title + ": no run recorded a " + metric.title);
    return;
  }
  // A flat box says nothing a sentence cannot: the seeds did not change the outcome.
  if (const std::optional<std::string> values = constant_values(groups, metric)) {
    const size_t runs = most_runs(groups);
    set.identical.push_back(runs == 1 ? fmt::format("{} (one seed): {}", metric.title, *values)
                                      : fmt::format("{} is identical in all {} seeds: {}", metric.title, runs, *values));
    return;
  }
  const std::string script = fmt::format(
      "set title '{}'\nset ylabel '{}'\nset key off\nset grid ytics\nset bmargin 4\n"
      "set style fill solid 0.3 border -1\nset style boxplot outliers pointtype 7\n"
      "set style data boxplot\nset boxwidth 0.5\nset xtics ({}) nomirror{}\n"
      "set xrange [0.4:{}.6]\nset yrange [0:*]\nset offsets 0, 0, graph 0.1, 0\n"
      "plot for [i=1:{}] 'values.dat' index (i-1) using (i):1 linecolor i\n",
      gnuplot_text(title), gnuplot_text(axis_label(metric)), tics, boxes > 3 ? " rotate by -20" : "",
      boxes, boxes);
  add(set, gnuplot, {name, title, ""}, script, {{"values.dat", data}});
}

// The i-th strategy's line: wide and light first, then narrower, darker and dashed, so that a
// line drawn over another of the same values leaves it visible on both sides.
std::string line_style(size_t i) {
  static constexpr std::array<const char*, 4> styles = {
      "linewidth 7 linecolor rgb '#9ecae1' dashtype 1",
      "linewidth 3.5 linecolor rgb '#e6550d' dashtype 2",
      "linewidth 1.5 linecolor rgb '#252525' dashtype 3",
      "linewidth 1.5 linecolor rgb '#31a354' dashtype 4",
  };
  return styles[i % styles.size()];
}

// A varied value written with a unit ("5 s", "64 kb"), not a plain number.
bool has_unit(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

bool all_durations(const std::vector<std::string>& values) {
  return std::all_of(values.begin(), values.end(), [](const std::string& value) {
    return has_unit(value) && numeric_value(value).has_value();
  });
}

// Tics at the varied values, labelled as written ("5 s"); durations on a log scale, since they
// are usually varied by factors (1 s, 5 s, 20 s). Non-numeric values sit at 0, 1, 2, ...
std::string vary_axis(const std::vector<std::string>& values, bool numeric) {
  std::string tics;
  for (size_t i = 0; i < values.size(); ++i) {
    const double x = numeric ? *numeric_value(values[i]) : static_cast<double>(i);
    tics += fmt::format("{}'{}' {}", i == 0 ? "" : ", ", gnuplot_text(values[i]), x);
  }
  const bool logarithmic = numeric && all_durations(values);
  return "set xtics (" + tics + ")\n" + (logarithmic ? "set logscale x\n" : "");
}

std::string vary_axis_label(const std::string& key, const std::vector<std::string>& values, bool numeric) {
  return numeric && all_durations(values) ? key + " (log scale)" : key;
}

// Median of `metric` against the varied value, one curve per strategy.
void vary_curves(ChartSet& set, const Gnuplot& gnuplot, std::span<const RunGroup> groups,
                 const ReportMetric& metric, const std::string& name) {
  std::map<std::string, std::vector<const RunGroup*>> by_strategy;
  std::vector<std::string> strategies;  // in report order
  bool numeric = true;
  std::vector<std::string> values;      // in report order, for non-numeric axes
  for (const RunGroup& group : groups) {
    if (!group.vary_value) continue;
    if (!by_strategy.contains(group.strategy)) strategies.push_back(group.strategy);
    by_strategy[group.strategy].push_back(&group);
    numeric = numeric && numeric_value(*group.vary_value).has_value();
    if (std::find(values.begin(), values.end(), *group.vary_value) == values.end()) values.push_back(*group.vary_value);
  }
  if (strategies.empty()) return;
  const std::string key = groups.front().vary_key.value_or("");
  const std::string title = fmt::format("median {} against {}", metric.title, key);
  std::string data;
  std::string plots;
  size_t curves = 0;
  for (const std::string& strategy : strategies) {
    std::string block;
    for (const RunGroup* group : by_strategy[strategy]) {
      const std::optional<Distribution> summary = summarize(metric_values(*group, metric));
      if (!summary) continue;
      const double x = numeric ? *numeric_value(*group->vary_value)
                               : static_cast<double>(std::find(values.begin(), values.end(), *group->vary_value) -
                                                     values.begin());
      block += fmt::format("{} {}\n", x, summary->median);
    }
    if (block.empty()) continue;
    data += block + "\n\n";
    plots += fmt::format("{}'curves.dat' index {} using 1:2 with linespoints {} pointtype 7 title '{}'",
                         plots.empty() ? "" : ", ", curves, line_style(curves), gnuplot_text(strategy));
    ++curves;
  }
  if (curves == 0) {
    set.notes.push_back(title + ": no run recorded a " + metric.title);
    return;
  }
  const std::string script = fmt::format(
      "set title '{}'\nset xlabel '{}'\nset ylabel '{}'\nset grid\nset key below\n{}"
      "set offsets graph 0.05, graph 0.05, 0, 0\nset yrange [0:*]\nplot {}\n",
      gnuplot_text(title), gnuplot_text(vary_axis_label(key, values, numeric)),
      gnuplot_text(axis_label(metric)), vary_axis(values, numeric), plots);
  add(set, gnuplot, {name, title, ""}, script, {{"curves.dat", data}});
}

const RunRecord* run_with_seed(const RunGroup& group, uint64_t seed) {
  for (const RunRecord* run : group.runs) {
    if (run->key.seed == seed) return run;
  }
  return nullptr;
}

bool has_series(const RunRecord& run, std::string_view series) {
  return std::any_of(run.series.begin(), run.series.end(),
                     [&](const SeriesPoint& point) { return point.series == series; });
}

double as_number(const ColumnValue& value) {
  if (const int64_t* integer = std::get_if<int64_t>(&value)) return static_cast<double>(*integer);
  if (const double* real = std::get_if<double>(&value)) return *real;
  return 0;
}

// Output rate points, or tasks restarted so far at each failover; x in seconds.
std::string timeline_block(const RunRecord& run, bool output_rate) {
  std::string block;
  double restarted = 0;
  if (!output_rate) block += "0 0\n";
  for (const SeriesPoint& point : run.series) {
    if (output_rate && point.series == "committed_output_rate") {
      block += fmt::format("{} {}\n", static_cast<double>(point.time_ms) / 1000, as_number(point.value));
    } else if (!output_rate && point.series == "failover") {
      restarted += as_number(point.value);
      block += fmt::format("{} {}\n", static_cast<double>(point.time_ms) / 1000, restarted);
    }
  }
  const double end = static_cast<double>(run.metric_integer("virtual_time_ms").value_or(0)) / 1000;
  if (!output_rate) block += fmt::format("{} {}\n", end, restarted);
  return block;
}

// Fault windows in seconds: a fault that lasts is shaded while it lasts; one that strikes at an
// instant (a kill, a failed task) until the first failover at or after it, when Flink reacted.
std::vector<std::pair<double, double>> fault_windows(const RunRecord& run, double end) {
  const nlohmann::json json = nlohmann::json::parse(run.run_json, nullptr, false);
  const nlohmann::json::json_pointer faults("/report/faults");
  std::vector<std::pair<double, double>> windows;
  if (!json.contains(faults)) return windows;
  for (const nlohmann::json& fault : json[faults]) {
    const int64_t at = fault.value("at_ms", int64_t{0});
    double until = end;
    if (fault.contains("until_ms") && fault["until_ms"].is_number()) {
      until = static_cast<double>(fault["until_ms"].get<int64_t>()) / 1000;
    } else {
      for (const SeriesPoint& point : run.series) {
        if (point.series == "failover" && point.time_ms >= at) { until = static_cast<double>(point.time_ms) / 1000; break; }
      }
    }
    windows.emplace_back(static_cast<double>(at) / 1000, until);
  }
  return windows;
}

// gnuplot objects: each window a shaded rectangle behind the lines, its start a solid red line.
std::string shading(const std::vector<std::pair<double, double>>& windows) {
  std::string script;
  for (const auto& [from, to] : windows) {
    script += fmt::format("set object rectangle from {},graph 0 to {},graph 1 behind fillcolor rgb '#f4cccc' "
                          "fillstyle solid 0.6 noborder\n", from, std::max(to, from + 0.05));
    script += fmt::format("set arrow from {},graph 0 to {},graph 1 nohead linewidth 1.5 linecolor rgb '#b2182b'\n",
                          from, from);
  }
  return script;
}

void timeline(ChartSet& set, const Gnuplot& gnuplot, std::span<const RunGroup> groups) {
  const uint64_t seed = groups.front().runs.front()->key.seed;
  std::vector<std::pair<const RunGroup*, const RunRecord*>> chosen;
  for (const RunGroup& group : groups) {
    if (group.vary_value && group.vary_value != groups.front().vary_value) continue;
    if (const RunRecord* run = run_with_seed(group, seed)) chosen.emplace_back(&group, run);
  }
  const bool output_rate = std::any_of(chosen.begin(), chosen.end(), [](const auto& entry) {
    return has_series(*entry.second, "committed_output_rate");
  });
  std::set<int64_t> failover_times;
  std::string data;
  std::string plots;
  for (size_t i = 0; i < chosen.size(); ++i) {
    for (const SeriesPoint& point : chosen[i].second->series) {
      if (point.series == "failover") failover_times.insert(point.time_ms);
    }
    data += timeline_block(*chosen[i].second, output_rate) + "\n\n";
    plots += fmt::format("{}'timeline.dat' index {} using 1:2 with steps {} title '{}'", i == 0 ? "" : ", ", i,
                         line_style(i), gnuplot_text(chosen[i].first->label()));
  }
  const std::string what = output_rate ? "committed output rate" : "tasks restarted so far";
  const std::string title = fmt::format("{} over virtual time, seed {}", what, seed);
  if (!output_rate && failover_times.empty()) {
    set.notes.push_back(title + ": no failover happened in this seed");
    return;
  }
  std::string markers;
  for (const int64_t time : failover_times) {
    markers += fmt::format("set arrow from {},graph 0 to {},graph 1 nohead dashtype 2 linecolor rgb 'gray40'\n",
                           static_cast<double>(time) / 1000, static_cast<double>(time) / 1000);
  }
  const double end = static_cast<double>(chosen.front().second->metric_integer("virtual_time_ms").value_or(0)) / 1000;
  const std::vector<std::pair<double, double>> windows = fault_windows(*chosen.front().second, end);
  const std::string caption = std::string(windows.empty() ? "" : ", shaded: faults until Flink reacted") +
                              (failover_times.empty() ? "" : ", dashed: failovers");
  const std::string script = fmt::format(
      "set title '{}'\nset xlabel 'virtual time (s)'\nset ylabel '{}'\nset grid\nset key below\n"
      "set yrange [0:*]\nset offsets 0, 0, graph 0.1, 0\n{}{}plot {}\n",
      gnuplot_text(title + caption), output_rate ? "records/s" : "tasks restarted", shading(windows), markers, plots);
  add(set, gnuplot, {"timeline", title + caption, ""}, script, {{"timeline.dat", data}});
}

}  // namespace

ChartSet draw_charts(const Gnuplot& gnuplot, std::span<const RunGroup> groups) {
  ChartSet set;
  if (groups.empty()) return set;
  box_plot(set, gnuplot, groups, metric_named("recovery_time_ms"), "recovery-time");
  box_plot(set, gnuplot, groups, metric_named("tasks_restarted"), "tasks-restarted");
  vary_curves(set, gnuplot, groups, metric_named("recovery_time_ms"), "vary-recovery-time");
  vary_curves(set, gnuplot, groups, metric_named("downtime_ms"), "vary-downtime");
  timeline(set, gnuplot, groups);
  return set;
}

}  // namespace flinksim::reports
