#include "reports/report.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace flinksim::reports {

std::vector<std::pair<const RunGroup*, const RunRecord*>> representative_runs(std::span<const RunGroup> groups) {
  std::vector<std::pair<const RunGroup*, const RunRecord*>> chosen;
  if (groups.empty() || groups.front().runs.empty()) return chosen;
  const uint64_t seed = groups.front().runs.front()->key.seed;
  for (const RunGroup& group : groups) {
    if (group.vary_value != groups.front().vary_value) continue;
    for (const RunRecord* run : group.runs) {
      if (run->key.seed == seed) chosen.emplace_back(&group, run);
    }
  }
  return chosen;
}

namespace {

// The run's job graph with its failed tasks and every task a failover restarted marked.
JobGraphView job_graph_view(const Graphviz& graphviz, const RunGroup& group, const RunRecord& run) {
  JobGraphView view{group.label(), 0, 0, "", ""};
  const nlohmann::json json = nlohmann::json::parse(run.run_json, nullptr, false);
  const nlohmann::json::json_pointer dot("/report/job_dot");
  if (!json.contains(dot) || !json[dot].is_string() || json[dot].get<std::string>().empty()) {
    view.error = "this run did not record its job graph (stored by an older flinksim)";
    return view;
  }
  std::set<std::string> failed;
  for (const auto& task : json["report"].value("tasks_failed", nlohmann::json::array())) failed.insert(task.get<std::string>());
  std::set<std::string> restarted;
  for (const auto& failover : json.value("failovers", nlohmann::json::array())) {
    for (const auto& task : failover.value("restarted", nlohmann::json::array())) restarted.insert(task.get<std::string>());
  }
  view.tasks_failed = failed.size();
  view.tasks_restarted = restarted.size();
  SvgResult svg = graphviz.render(mark_tasks(json[dot].get<std::string>(), failed, restarted));
  view.svg = std::move(svg.svg);
  view.error = std::move(svg.error);
  return view;
}

}  // namespace

Report::Report(const ResultsStore& store, const std::optional<Gnuplot>& gnuplot, std::string charts_absent,
               const std::optional<Graphviz>& graphviz, std::string graphs_absent)
    : database_(store.path()),
      records_(store.records()),
      charts_absent_(std::move(charts_absent)),
      graphs_absent_(graphviz ? "" : std::move(graphs_absent)) {
  std::set<std::string> commits;
  for (const RunRecord& record : records_) commits.insert(record.commit);
  commits_.assign(commits.begin(), commits.end());
  std::vector<RunGroup> groups = group_runs(records_);
  for (RunGroup& group : groups) {
    if (sections_.empty() || sections_.back().scenario != group.scenario) {
      sections_.push_back({group.scenario, {}, {}});
    }
    sections_.back().groups.push_back(std::move(group));
  }
  for (ReportSection& section : sections_) {
    if (gnuplot) section.charts = draw_charts(*gnuplot, section.groups);
    if (!graphviz) continue;
    for (const auto& [group, run] : representative_runs(section.groups)) {
      section.graphs.push_back(job_graph_view(*graphviz, *group, *run));
    }
  }
}

}  // namespace flinksim::reports
