#include "reports/run_details.h"

#include <map>
#include <set>

#include "model/graph/execution_graph.h"
#include "model/graph/graphviz.h"
#include "model/graph/pipelined_regions.h"
#include "scenarios/cluster_builder.h"

namespace flinksim::reports {
namespace {

using nlohmann::ordered_json;

int64_t milliseconds(sim::Instant instant) { return instant.milliseconds_since_start(); }

// "id=7 CHECKPOINT_EXPIRED" -> 7 and "CHECKPOINT_EXPIRED".
std::pair<int64_t, std::string> id_and_reason(const std::string& detail) {
  const size_t space = detail.find(' ');
  const std::string id = detail.substr(3, space == std::string::npos ? std::string::npos : space - 3);
  return {std::stoll(id), space == std::string::npos ? "" : detail.substr(space + 1)};
}

std::string job_dot(const scenarios::ScenarioSpec& spec) {
  if (!spec.job) return "";
  auto graph = graph::ExecutionGraph::build(*spec.job);
  if (!graph.ok()) return "";
  return graph::to_dot(graph.value(), graph::compute_pipelined_regions(graph.value()));
}

size_t task_count(const scenarios::ScenarioSpec& spec) {
  if (!spec.job) return 0;
  size_t tasks = 0;
  for (const graph::JobVertex& vertex : spec.job->vertices()) tasks += static_cast<size_t>(vertex.parallelism);
  return tasks;
}

ordered_json configuration(const scenarios::ScenarioSpec& spec) {
  ordered_json entries = ordered_json::array();
  for (const auto& [key, value] : spec.config.explicit_values()) entries.push_back(key + ": " + value);
  return entries;
}

// The planned faults (with how long they last), then faults the seed drew (random), from the
// trace: an injection at a time and target no planned fault has.
ordered_json faults(const scenarios::ScenarioSpec& spec, const std::vector<sim::TraceEvent>& trace) {
  ordered_json list = ordered_json::array();
  std::set<std::pair<int64_t, std::string>> planned;
  // Faults after a protocol moment strike when the run says; their injections are theirs.
  std::multiset<std::string> after_moments;
  for (const model::Fault& fault : scenarios::build_fault_plan(spec, scenarios::FaultSelection::as_written).faults) {
    if (fault.after) {
      after_moments.insert(fault.target);
      continue;
    }
    planned.emplace(milliseconds(fault.at), fault.target);
    list.push_back({{"at_ms", milliseconds(fault.at)},
                    {"until_ms", fault.duration ? ordered_json(milliseconds(fault.at + *fault.duration)) : ordered_json(nullptr)},
                    {"fault", scenarios::fault_text(fault)}});
  }
  for (const sim::TraceEvent& event : trace) {
    if (event.component != "faults" || event.kind != "inject") continue;
    if (planned.contains({milliseconds(event.time), event.detail})) continue;
    const auto moment = after_moments.find(event.detail);
    const bool after_moment = moment != after_moments.end();
    if (after_moment) after_moments.erase(moment);
    list.push_back({{"at_ms", milliseconds(event.time)}, {"until_ms", nullptr},
                    {"fault", (after_moment ? "fault after a moment on " : "random fault on ") + event.detail}});
  }
  return list;
}

bool is_terminal_state(const std::string& kind) {
  return kind == "FINISHED" || kind == "CANCELED" || kind == "FAILED";
}

}  // namespace

std::vector<std::string> tasks_failed(const std::vector<sim::TraceEvent>& trace) {
  std::map<std::string, std::string> deployed_on;  // running task -> its process
  std::set<std::string> failed;
  for (const sim::TraceEvent& event : trace) {
    if (event.kind == "DEPLOYING") deployed_on[event.component] = event.detail;
    if (is_terminal_state(event.kind) && deployed_on.erase(event.component) > 0 && event.kind == "FAILED") {
      failed.insert(event.component);
    }
    if (event.kind != "crashed") continue;
    // A killed TaskManager reports nothing: its tasks end with it.
    for (auto it = deployed_on.begin(); it != deployed_on.end();) {
      if (it->second != event.component) { ++it; continue; }
      failed.insert(it->first);
      it = deployed_on.erase(it);
    }
  }
  return {failed.begin(), failed.end()};
}

ordered_json checkpoint_history(const std::vector<sim::TraceEvent>& trace) {
  std::map<int64_t, ordered_json> checkpoints;
  for (const sim::TraceEvent& event : trace) {
    if (event.component != "checkpoint-coordinator") continue;
    const auto [id, reason] = id_and_reason(event.detail);
    if (event.kind == "checkpoint-triggered") {
      checkpoints[id] = {{"id", id}, {"triggered_at_ms", milliseconds(event.time)}, {"ended_at_ms", nullptr},
                         {"status", "pending"}, {"reason", nullptr}};
    } else if (checkpoints.contains(id) && checkpoints[id]["status"] == "pending") {
      checkpoints[id]["ended_at_ms"] = milliseconds(event.time);
      checkpoints[id]["status"] = event.kind == "checkpoint-completed" ? "completed" : "failed";
      if (!reason.empty()) checkpoints[id]["reason"] = reason;
    }
  }
  ordered_json history = ordered_json::array();
  for (auto& [id, checkpoint] : checkpoints) history.push_back(std::move(checkpoint));
  return history;
}

ordered_json run_details(const scenarios::ScenarioSpec& spec, const scenarios::RunResult& result) {
  return {{"description", spec.description},
          {"job_dot", job_dot(spec)},
          {"tasks", task_count(spec)},
          {"configuration", configuration(spec)},
          {"faults", faults(spec, result.run.trace)},
          {"tasks_failed", tasks_failed(result.run.trace)},
          {"checkpoint_history", checkpoint_history(result.run.trace)}};
}

}  // namespace flinksim::reports
