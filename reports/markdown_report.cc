// The Markdown rendering of a Report: the same tables as the HTML report, and the charts as SVG
// files beside the Markdown file, linked by relative name.

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "reports/comparison_table.h"
#include "reports/report.h"
#include "reports/verdict.h"
#include "reports/scenario_job.h"

namespace flinksim::reports {
namespace {

// Table cells must not break the row: '|' is escaped, newlines become spaces.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c == '\n' ? ' ' : c;
    }
  }
  return out;
}

std::string table(std::span<const RunGroup> groups, const std::vector<TableRow>& rows) {
  std::string md = "| |";
  std::string rule = "|---|";
  for (const RunGroup& group : groups) {
    md += fmt::format(" {} |", cell(group.label()));
    rule += "---:|";
  }
  md += fmt::format("\n{}\n", rule);
  for (const TableRow& row : rows) {
    md += fmt::format("| {} |", cell(row.title));
    for (const std::string& value : row.cells) md += fmt::format(" {} |", cell(value));
    md += "\n";
  }
  return md + "\n";
}

std::string chart_file(const std::string& stem, size_t section, const Chart& chart) {
  return fmt::format("{}-{}-{}.svg", stem, section, chart.name);
}

std::string verdict_sentence(std::span<const RunGroup> groups) {
  std::vector<StrategyVerdict> verdicts;
  for (const RunGroup& group : groups) verdicts.push_back(verdict_of(group));
  return winner_sentence(verdicts);
}

}  // namespace

std::string render_markdown(const Report& report, const std::string& chart_stem) {
  std::string commits;
  for (const std::string& commit : report.commits()) commits += (commits.empty() ? "" : ", ") + commit;
  std::string md = fmt::format(
      "# flinksim comparison report\n\nDatabase `{}`: {} runs, simulated by flinksim {}. Report by flinksim "
      "{}. Times are virtual milliseconds; \"n/a\" marks metrics the runs did not record.\n\n",
      report.database(), report.runs(), commits.empty() ? "-" : commits, build_commit());
  for (size_t index = 0; index < report.sections().size(); ++index) {
    const ReportSection& section = report.sections()[index];
    md += fmt::format("## Scenario `{}`\n\n### Verdict\n\n{}\n\n", section.scenario, verdict_sentence(section.groups));
    md += "### Comparison (median, min-max over seeds)\n\n";
    md += table(section.groups, comparison_rows(section.groups));
    md += "### Distributions over seeds (min / median / p90 / max)\n\n" +
          table(section.groups, distribution_rows(section.groups));
    md += "### Charts\n\n";
    if (!report.charts_absent().empty()) md += "Charts are absent: " + report.charts_absent() + ".\n\n";
    for (const Chart& chart : section.charts.charts) {
      md += fmt::format("![{}]({})\n\n", chart.title, chart_file(chart_stem, index, chart));
    }
    for (const std::string& same : section.charts.identical) md += same + ".\n\n";
    for (const std::string& note : section.charts.notes) md += "No chart: " + note + ".\n\n";
  }
  return md;
}

void write_markdown_report(const Report& report, const std::string& path) {
  const std::filesystem::path markdown(path);
  const std::string stem = markdown.stem().string();
  for (size_t index = 0; index < report.sections().size(); ++index) {
    for (const Chart& chart : report.sections()[index].charts.charts) {
      const std::filesystem::path file = markdown.parent_path() / chart_file(stem, index, chart);
      std::ofstream out(file, std::ios::binary);
      out << chart.svg;
      out.close();
      if (!out) throw std::runtime_error(file.string() + ": cannot write the chart");
    }
  }
  std::ofstream out(path, std::ios::binary);
  out << render_markdown(report, stem);
  out.close();
  if (!out) throw std::runtime_error(path + ": cannot write the report");
}

}  // namespace flinksim::reports
