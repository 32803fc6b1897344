// The HTML rendering of a Report: one self-contained file (inline CSS, SVG charts inlined, no
// scripts, no external resources) that opens in any browser and can be mailed around.

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

#include "reports/comparison_table.h"
#include "reports/report.h"
#include "reports/scenario_job.h"

namespace flinksim::reports {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* const kStyle = R"(
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f0f0; }
.note { color: #8a5a00; }
figure { margin: 1em 0; }
figcaption { font-size: 90%; color: #555; }
code { background: #f4f4f4; padding: 0 3px; }
)";

std::string table(std::span<const RunGroup> groups, const std::vector<TableRow>& rows) {
  std::string html = "<table>\n<thead><tr><th></th>";
  for (const RunGroup& group : groups) html += "<th>" + escape(group.label()) + "</th>";
  html += "</tr></thead>\n<tbody>\n";
  for (const TableRow& row : rows) {
    html += "<tr><td>" + escape(row.title) + "</td>";
    for (const std::string& cell : row.cells) html += "<td>" + escape(cell) + "</td>";
    html += "</tr>\n";
  }
  return html + "</tbody></table>\n";
}

std::string section(const ReportSection& section, const std::string& charts_absent) {
  size_t runs = 0;
  for (const RunGroup& group : section.groups) runs += group.runs.size();
  std::string html = fmt::format("<h2>Scenario <code>{}</code></h2>\n<p>{} runs.</p>\n",
                                 escape(section.scenario), runs);
  html += "<h3>Comparison (median, min-max over seeds)</h3>\n" + table(section.groups, comparison_rows(section.groups));
  html += "<h3>Distributions over seeds (min / median / p90 / max)</h3>\n" +
          table(section.groups, distribution_rows(section.groups));
  html += "<h3>Charts</h3>\n";
  if (!charts_absent.empty()) html += "<p class=\"note\">Charts are absent: " + escape(charts_absent) + ".</p>\n";
  for (const Chart& chart : section.charts.charts) {
    html += "<figure>\n" + chart.svg + "\n<figcaption>" + escape(chart.title) + "</figcaption></figure>\n";
  }
  for (const std::string& note : section.charts.notes) html += "<p class=\"note\">No chart: " + escape(note) + ".</p>\n";
  return html;
}

}  // namespace

std::string render_html(const Report& report) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                     "<title>flinksim comparison report</title>\n<style>" +
                     std::string(kStyle) + "</style></head><body>\n<h1>flinksim comparison report</h1>\n";
  std::string commits;
  for (const std::string& commit : report.commits()) commits += (commits.empty() ? "" : ", ") + escape(commit);
  html += fmt::format("<p>Database <code>{}</code>: {} runs, simulated by flinksim {}. Report by flinksim {}. "
                      "Times are virtual milliseconds; \"n/a\" marks metrics the runs did not record.</p>\n",
                      escape(report.database()), report.runs(), commits.empty() ? "-" : commits,
                      escape(build_commit()));
  if (report.sections().empty()) html += "<p class=\"note\">The database holds no runs.</p>\n";
  for (const ReportSection& s : report.sections()) html += section(s, report.charts_absent());
  return html + "</body></html>\n";
}

void write_html_report(const Report& report, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  out << render_html(report);
  out.close();
  if (!out) throw std::runtime_error(path + ": cannot write the report");
}

}  // namespace flinksim::reports
