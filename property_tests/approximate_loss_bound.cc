#include "property_tests/approximate_loss_bound.h"

#include "property_tests/run_verdicts.h"

#include <algorithm>
#include <map>
#include <set>

namespace flinksim::property_tests {
namespace {

// The trigger time of the latest checkpoint completed at or before `time`; zero when none was.
sim::Instant restored_checkpoint_trigger(const std::vector<sim::TraceEvent>& trace,
                                         sim::Instant time) {
  std::map<int64_t, sim::Instant> triggered;
  sim::Instant latest = sim::Instant::zero();
  for (const sim::TraceEvent& event : trace) {
    if (event.time > time) break;
    if (event.component != "checkpoint-coordinator") continue;
    if (event.kind == "checkpoint-triggered") triggered[checkpoint_id_of(event)] = event.time;
    if (event.kind != "checkpoint-completed") continue;
    if (const auto it = triggered.find(checkpoint_id_of(event)); it != triggered.end()) latest = it->second;
  }
  return latest;
}

// When every one of `tasks` runs again after `time`, or the end of the run if one never does.
sim::Instant all_running_again(const std::vector<sim::TraceEvent>& trace, sim::Instant time,
                               const std::vector<std::string>& tasks) {
  std::set<std::string> waiting(tasks.begin(), tasks.end());
  for (const sim::TraceEvent& event : trace) {
    if (event.time < time || event.kind != "RUNNING") continue;
    waiting.erase(event.component);
    if (waiting.empty()) return event.time;
  }
  return trace.empty() ? time : trace.back().time;
}

// The operators a restarted task runs: its chain's, found by the task's Flink name in the job
// as it ran, or the vertex of a "vertex:subtask".
std::vector<std::string> operators_of(const std::string& task, const graph::JobGraph* chained) {
  for (uint32_t v = 0; chained != nullptr && v < chained->vertices().size(); ++v) {
    const graph::JobVertex& vertex = chained->vertices()[v];
    for (int subtask = 0; subtask < vertex.parallelism; ++subtask) {
      if (graph::task_name(*chained, {graph::JobVertexId{v}, static_cast<uint32_t>(subtask)}) != task) continue;
      std::vector<std::string> names;
      for (const graph::ChainedOperator& op : vertex.operators) names.push_back(op.name);
      return names;
    }
  }
  return {task.substr(0, task.rfind(':'))};
}

// The vertices from which records reach any of the tasks' vertices, and those vertices.
std::vector<const GeneratedVertex*> upstream_of(const GeneratedJob& job,
                                                const std::vector<std::string>& tasks,
                                                const graph::JobGraph* chained) {
  std::set<std::string> reached;
  for (const std::string& task : tasks) {
    for (std::string& name : operators_of(task, chained)) reached.insert(std::move(name));
  }
  // Edges point downstream, so walk them backwards until nothing new is reached.
  for (bool grew = true; grew;) {
    grew = false;
    for (const GeneratedEdge& edge : job.edges) {
      if (reached.contains(edge.target) && reached.insert(edge.source).second) grew = true;
    }
  }
  std::vector<const GeneratedVertex*> upstream;
  for (const GeneratedVertex& vertex : job.vertices) {
    if (reached.contains(vertex.name)) upstream.push_back(&vertex);
  }
  return upstream;
}

// How far before the trigger the records a window result reflects may reach: the windows'
// sizes added up, the sources' out-of-orderness and a watermark interval (200 ms, Flink's
// pipeline.auto-watermark-interval) per window, which delay its firing.
sim::Duration look_back(const std::vector<const GeneratedVertex*>& upstream) {
  sim::Duration out_of_orderness = sim::Duration::zero();
  sim::Duration windows = sim::Duration::zero();
  for (const GeneratedVertex* vertex : upstream) {
    if (vertex->kind == graph::OperatorKind::source) {
      out_of_orderness = std::max(out_of_orderness, vertex->out_of_orderness);
    }
    if (vertex->kind == graph::OperatorKind::window) {
      windows += vertex->window_size + sim::Duration::milliseconds(200);
    }
  }
  return windows == sim::Duration::zero() ? windows : windows + out_of_orderness;
}

// What a source vertex can emit in `window`: its rate per subtask, rounded up and one more for
// a record emitted at the window's edge, at most its whole input.
int64_t emitted_at_most(const GeneratedVertex& source, sim::Duration window) {
  const int64_t per_subtask =
      (source.rate_per_second * window.count_nanoseconds() + 999'999'999) / 1'000'000'000 + 1;
  const int64_t input_per_subtask = (source.records + source.parallelism - 1) / source.parallelism;
  return std::min(per_subtask, input_per_subtask) * source.parallelism;
}

}  // namespace

LossBound approximate_loss_bound(const scenarios::RunOutcome& run, const GeneratedJob& job,
                                 const graph::JobGraph* chained) {
  LossBound bound;
  for (const model::FailoverRecord& failover : run.metrics.failover_log) {
    const std::vector<const GeneratedVertex*> upstream = upstream_of(job, failover.restarted_tasks, chained);
    const sim::Instant trigger = restored_checkpoint_trigger(run.trace, failover.time);
    const sim::Duration back = std::min(look_back(upstream), trigger - sim::Instant::zero());
    const sim::Instant from = trigger - back;
    const sim::Instant until = all_running_again(run.trace, failover.time, failover.restarted_tasks);
    int64_t records = 0;
    for (const GeneratedVertex* vertex : upstream) {
      // A record a broadcast edge copies is lost once per copy the restarted tasks missed.
      if (vertex->kind == graph::OperatorKind::source) {
        records += emitted_at_most(*vertex, until - from) * job.broadcast_copies_after(vertex->name);
      }
    }
    bound.records += records;
    bound.explanation += "failover at " + sim::format_seconds(failover.time) + ": sources emit " +
                         std::to_string(records) + " records at most from " +
                         sim::format_seconds(from) + " to " + sim::format_seconds(until) + "; ";
  }
  return bound;
}

}  // namespace flinksim::property_tests
