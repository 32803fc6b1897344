// The HTML rendering of a Report: one self-contained file (inline CSS, SVG charts inlined, no
// scripts, no external resources) that opens in any browser and can be mailed around.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include <fstream>
#include <stdexcept>

#include "reports/comparison_table.h"
#include "reports/report.h"
#include "reports/scenario_job.h"
#include "reports/verdict.h"

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
body { font-family: sans-serif; max-width: 1180px; margin: 1.5em auto; padding: 0 16px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f0f0; }
.scroll { overflow-x: auto; max-width: 100%; }
.note { color: #8a5a00; }
.winner { font-size: 110%; background: #f3f8ee; border-left: 4px solid #4d9221; padding: 8px 12px; }
td.verdict.held { background: #e5f5e0; font-weight: bold; }
td.verdict.violated { background: #fde0dd; font-weight: bold; }
td.verdict.not-checked { background: #f0f0f0; font-style: italic; }
figure { margin: 1em 0; }
figure svg { max-width: 100%; height: auto; }
.graphs { display: flex; flex-wrap: wrap; gap: 12px; }
.graphs figure { flex: 1 1 360px; min-width: 0; border: 1px solid #ddd; padding: 6px; }
figcaption { font-size: 90%; color: #555; }
code { background: #f4f4f4; padding: 0 3px; }
details { margin: 0.5em 0; }
)";

std::string table(std::span<const RunGroup> groups, const std::vector<TableRow>& rows) {
  std::string html = "<div class=\"scroll\"><table>\n<thead><tr><th></th>";
  for (const RunGroup& group : groups) html += "<th>" + escape(group.label()) + "</th>";
  html += "</tr></thead>\n<tbody>\n";
  for (const TableRow& row : rows) {
    html += "<tr><td>" + escape(row.title) + "</td>";
    for (const std::string& cell : row.cells) html += "<td>" + escape(cell) + "</td>";
    html += "</tr>\n";
  }
  return html + "</tbody></table></div>\n";
}

std::string optional_cell(const std::optional<int64_t>& value, const std::string& unit = "") {
  return value ? with_thousands(*value) + unit : "n/a";
}

const char* verdict_class(ExactlyOnce value) {
  switch (value) {
    case ExactlyOnce::held: return "held";
    case ExactlyOnce::violated: return "violated";
    case ExactlyOnce::not_checked: return "not-checked";
  }
  return "not-checked";
}

std::string tasks_cell(const StrategyVerdict& verdict) {
  if (!verdict.tasks_restarted) return "n/a";
  return with_thousands(*verdict.tasks_restarted) + (verdict.tasks ? " of " + with_thousands(*verdict.tasks) : "");
}

// One row per strategy, medians over seeds: the answer first, the details below it.
std::string verdict_table(std::span<const RunGroup> groups) {
  std::vector<StrategyVerdict> verdicts;
  std::string html = "<div class=\"scroll\"><table class=\"verdict-table\">\n<thead><tr><th>strategy</th>"
                     "<th>exactly-once</th><th>records lost</th><th>duplicated</th><th>missing</th>"
                     "<th>downtime</th><th>tasks restarted</th></tr></thead>\n<tbody>\n";
  for (const RunGroup& group : groups) {
    const StrategyVerdict& v = verdicts.emplace_back(verdict_of(group));
    html += fmt::format("<tr><td>{}</td><td class=\"verdict {}\">{}</td><td>{}</td><td>{}</td><td>{}</td>"
                        "<td>{}</td><td>{}</td></tr>\n",
                        escape(v.label), verdict_class(v.exactly_once), escape(exactly_once_text(v)),
                        optional_cell(v.records_lost), optional_cell(v.records_duplicated),
                        optional_cell(v.records_missing), optional_cell(v.downtime_ms, " ms"), tasks_cell(v));
  }
  html += "</tbody></table></div>\n";
  return "<p class=\"winner\">" + escape(winner_sentence(verdicts)) + "</p>\n" + html;
}

nlohmann::json run_json(const RunRecord& run) { return nlohmann::json::parse(run.run_json, nullptr, false); }

std::string text_list(const nlohmann::json& items, const std::string& empty) {
  if (!items.is_array() || items.empty()) return "<p>" + escape(empty) + "</p>\n";
  std::string html = "<ul>\n";
  for (const nlohmann::json& item : items) html += "<li><code>" + escape(item.get<std::string>()) + "</code></li>\n";
  return html + "</ul>\n";
}

std::string fault_list(const nlohmann::json& faults) {
  nlohmann::json lines = nlohmann::json::array();
  for (const nlohmann::json& fault : faults) {
    std::string line = fmt::format("at {:.3f} s: {}", static_cast<double>(fault.value("at_ms", int64_t{0})) / 1000,
                                   fault.value("fault", std::string()));
    if (fault.contains("until_ms") && fault["until_ms"].is_number()) {
      line += fmt::format(" until {:.3f} s", static_cast<double>(fault["until_ms"].get<int64_t>()) / 1000);
    }
    lines.push_back(line);
  }
  return text_list(lines, "No faults.");
}

// Description, configuration and faults, as the first run of the section recorded them.
std::string scenario_facts(const RunRecord& run) {
  const nlohmann::json json = run_json(run);
  if (!json.contains("report")) {
    return "<p class=\"note\">The runs did not record the scenario's description, configuration and faults "
           "(stored by an older flinksim).</p>\n";
  }
  const nlohmann::json& details = json["report"];
  std::string html = "<p>" + escape(details.value("description", std::string())) + "</p>\n";
  // The keys that make a strategy differ between the columns; the verdict names them instead.
  nlohmann::json configuration = nlohmann::json::array();
  for (const nlohmann::json& entry : details.value("configuration", nlohmann::json::array())) {
    const std::string text = entry.get<std::string>();
    if (!text.starts_with("jobmanager.execution.failover-strategy:") &&
        !text.starts_with("execution.state-recovery.approximate-local-recovery:")) configuration.push_back(text);
  }
  html += "<h3>Configuration</h3>\n<p>Besides the failover strategy of each column:</p>\n" +
          text_list(configuration, "Flink's defaults throughout.");
  return html + "<h3>Faults</h3>\n" + fault_list(details.value("faults", nlohmann::json::array()));
}

std::string job_graphs(const ReportSection& section, const std::string& graphs_absent) {
  std::string html = "<h3>Job graph</h3>\n";
  if (!graphs_absent.empty()) return html + "<p class=\"note\">No job graph: " + escape(graphs_absent) + ".</p>\n";
  html += "<p>One box per task, filled by pipelined region; a double red border marks a task that failed, "
          "a thick orange border one a failover restarted.</p>\n<div class=\"graphs\">\n";
  for (const JobGraphView& graph : section.graphs) {
    const std::string caption = fmt::format("{}: {} failed, {} restarted", graph.label, graph.tasks_failed, graph.tasks_restarted);
    if (graph.svg.empty()) {
      html += "<p class=\"note\">" + escape(graph.label) + ": no job graph: " + escape(graph.error) + ".</p>\n";
      continue;
    }
    html += "<figure class=\"graph\">\n" + graph.svg + "\n<figcaption>" + escape(caption) + "</figcaption></figure>\n";
  }
  return html + "</div>\n";
}

std::string seconds(const nlohmann::json& milliseconds) {
  if (!milliseconds.is_number()) return "-";
  return fmt::format("{:.3f} s", static_cast<double>(milliseconds.get<int64_t>()) / 1000);
}

std::string checkpoint_row(const nlohmann::json& checkpoint, const nlohmann::json& restored_from) {
  const int64_t id = checkpoint.value("id", int64_t{0});
  const int64_t restores = std::count(restored_from.begin(), restored_from.end(), nlohmann::json(id));
  const nlohmann::json ended = checkpoint.value("ended_at_ms", nlohmann::json());
  const std::string duration = ended.is_number()
      ? fmt::format("{} ms", ended.get<int64_t>() - checkpoint.value("triggered_at_ms", int64_t{0})) : "-";
  std::string status = checkpoint.value("status", std::string());
  if (checkpoint.contains("reason") && checkpoint["reason"].is_string()) status += " (" + checkpoint["reason"].get<std::string>() + ")";
  return fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>n/a</td><td>{}</td></tr>\n", id,
                     escape(status), seconds(checkpoint["triggered_at_ms"]), seconds(ended), duration,
                     restores == 0 ? "" : fmt::format("restored {}x", restores));
}

// Flink's web UI "History" tab for one run: one row per checkpoint, by id.
std::string checkpoint_history(const RunGroup& group, const RunRecord& run) {
  const nlohmann::json json = run_json(run);
  const nlohmann::json::json_pointer pointer("/report/checkpoint_history");
  const nlohmann::json restored = json.contains(nlohmann::json::json_pointer("/checkpoints/restored_from")) &&
                                          json["checkpoints"]["restored_from"].is_array()
                                      ? json["checkpoints"]["restored_from"] : nlohmann::json::array();
  const std::string summary = fmt::format("{}, seed {}", group.label(), run.key.seed);
  if (!json.contains(pointer) || json[pointer].empty()) {
    return "<p>" + escape(summary) + ": no checkpoint was triggered.</p>\n";
  }
  std::string html = "<details open><summary>" + escape(summary) + fmt::format(": {} checkpoints", json[pointer].size()) +
                     "</summary>\n<div class=\"scroll\"><table class=\"checkpoints\">\n<thead><tr><th>id</th><th>status</th>"
                     "<th>triggered</th><th>ended</th><th>end-to-end duration</th><th>size</th><th>restored from</th>"
                     "</tr></thead>\n<tbody>\n";
  for (const nlohmann::json& checkpoint : json[pointer]) html += checkpoint_row(checkpoint, restored);
  return html + "</tbody></table></div></details>\n";
}

std::string chart_figure(const Chart& chart) {
  return "<figure class=\"chart\" data-chart=\"" + escape(chart.name) + "\">\n" + chart.svg + "\n<figcaption>" +
         escape(chart.title) + "</figcaption></figure>\n";
}

std::string charts(const ReportSection& section, bool timeline) {
  std::string html;
  for (const Chart& chart : section.charts.charts) {
    if ((chart.name == "timeline") == timeline) html += chart_figure(chart);
  }
  return html;
}

std::string section(const ReportSection& section, const Report& report) {
  size_t runs = 0;
  for (const RunGroup& group : section.groups) runs += group.runs.size();
  std::string html = fmt::format("<h2>Scenario <code>{}</code></h2>\n", escape(section.scenario));
  html += scenario_facts(*section.groups.front().runs.front());
  html += fmt::format("<h3>Verdict</h3>\n<p>{} runs; medians over seeds.</p>\n", runs) + verdict_table(section.groups);
  html += job_graphs(section, report.graphs_absent());
  html += "<h3>Over time</h3>\n";
  if (!report.charts_absent().empty()) html += "<p class=\"note\">Charts are absent: " + escape(report.charts_absent()) + ".</p>\n";
  html += charts(section, true);
  html += "<h3>Checkpoint history</h3>\n<p>Sizes are not simulated.</p>\n";
  for (const auto& [group, run] : representative_runs(section.groups)) html += checkpoint_history(*group, *run);
  html += "<h3>Comparison (median, min-max over seeds)</h3>\n" + table(section.groups, comparison_rows(section.groups));
  html += "<h3>Distributions over seeds (min / median / p90 / max)</h3>\n" +
          table(section.groups, distribution_rows(section.groups));
  html += "<h3>Charts</h3>\n";
  for (const std::string& same : section.charts.identical) html += "<p class=\"identical\">" + escape(same) + ".</p>\n";
  html += charts(section, false);
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
  for (const ReportSection& s : report.sections()) html += section(s, report);
  return html + "</body></html>\n";
}

void write_html_report(const Report& report, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  out << render_html(report);
  out.close();
  if (!out) throw std::runtime_error(path + ": cannot write the report");
}

}  // namespace flinksim::reports
