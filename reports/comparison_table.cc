#include "reports/comparison_table.h"

#include <fmt/format.h>

#include <map>
#include <vector>

namespace flinksim::reports {
namespace {

std::string with_unit(int64_t value, const std::string& unit) {
  return unit.empty() ? std::to_string(value) : std::to_string(value) + " " + unit;
}

// "FINISHED" when every run agrees, else "FINISHED 18, FAILED 2" (statuses by name).
std::string final_status_cell(const RunGroup& group) {
  std::map<std::string, size_t> counts;
  for (const RunRecord* run : group.runs) ++counts[run->metric_text("final_status").value_or("n/a")];
  if (counts.size() == 1) return counts.begin()->first;
  std::string cell;
  for (const auto& [status, count] : counts) cell += (cell.empty() ? "" : ", ") + fmt::format("{} {}", status, count);
  return cell;
}

// "yes"/"no" for one run, "k/n" runs for several; `unknown` when no run knows, and how many did
// not know when only some did ("3/4 (1 not checked)"): a run without a value is never a pass.
std::string share_cell(const RunGroup& group, const std::string& column, const char* yes, const char* no,
                       const char* unknown = "n/a") {
  size_t known = 0;
  size_t holding = 0;
  for (const RunRecord* run : group.runs) {
    if (const std::optional<int64_t> value = run->metric_integer(column)) {
      ++known;
      holding += *value != 0 ? 1 : 0;
    }
  }
  if (known == 0) return unknown;
  const size_t unknowns = group.runs.size() - known;
  const std::string share = known == 1 ? (holding == 1 ? yes : no) : fmt::format("{}/{}", holding, known);
  return unknowns == 0 ? share : fmt::format("{} ({} {})", share, unknowns, unknown);
}

}  // namespace

std::vector<TableRow> comparison_rows(std::span<const RunGroup> groups) {
  std::vector<TableRow> table{{"runs", {}}, {"final status", {}}, {"expectations hold", {}}};
  for (const RunGroup& group : groups) {
    table[0].cells.push_back(std::to_string(group.runs.size()));
    table[1].cells.push_back(final_status_cell(group));
    table[2].cells.push_back(share_cell(group, "expectations_passed", "yes", "no"));
  }
  for (const ReportMetric& metric : report_metrics()) {
    TableRow row{metric.title, {}};
    for (const RunGroup& group : groups) {
      const std::vector<int64_t> values = metric_values(group, metric);
      row.cells.push_back(format_cell(values, metric.unit));
    }
    table.push_back(std::move(row));
  }
  TableRow exactly_once{"exactly-once", {}};
  for (const RunGroup& group : groups) {
    // A run whose two outputs were both empty has no verdict (null): not checked, not a pass.
    exactly_once.cells.push_back(share_cell(group, "output_matches_reference", "yes", "no", "not checked"));
  }
  table.push_back(std::move(exactly_once));
  return table;
}

std::vector<TableRow> distribution_rows(std::span<const RunGroup> groups) {
  std::vector<TableRow> table;
  for (const ReportMetric& metric : report_metrics()) {
    TableRow row{metric.unit.empty() ? metric.title : metric.title + " (" + metric.unit + ")", {}};
    for (const RunGroup& group : groups) {
      const std::optional<Distribution> d = summarize(metric_values(group, metric));
      row.cells.push_back(d ? fmt::format("{} / {} / {} / {}", d->min, d->median, d->p90, d->max) : "n/a");
    }
    table.push_back(std::move(row));
  }
  return table;
}

std::string format_cell(std::span<const int64_t> values, const std::string& unit) {
  const std::optional<Distribution> distribution = summarize(values);
  if (!distribution) return "n/a";
  if (distribution->min == distribution->max) return with_unit(distribution->median, unit);
  return fmt::format("{} ({}-{})", with_unit(distribution->median, unit), distribution->min, distribution->max);
}

std::string format_comparison_table(std::span<const RunGroup> groups) {
  const std::vector<TableRow> table = comparison_rows(groups);
  size_t title_width = 0;
  for (const TableRow& row : table) title_width = std::max(title_width, row.title.size());
  std::vector<size_t> widths;
  for (const RunGroup& group : groups) widths.push_back(group.label().size());
  for (const TableRow& row : table) {
    for (size_t i = 0; i < row.cells.size(); ++i) widths[i] = std::max(widths[i], row.cells[i].size());
  }
  std::string out = fmt::format("{:<{}}", "", title_width);
  for (size_t i = 0; i < groups.size(); ++i) out += fmt::format("  {:>{}}", groups[i].label(), widths[i]);
  out += "\n";
  for (const TableRow& row : table) {
    out += fmt::format("{:<{}}", row.title, title_width);
    for (size_t i = 0; i < row.cells.size(); ++i) out += fmt::format("  {:>{}}", row.cells[i], widths[i]);
    out += "\n";
  }
  return out;
}

}  // namespace flinksim::reports
