// Goal: approximate local recovery (FLIP-135) restarts only the failed task and what is
// downstream of it, and, since nothing rewinds while no source restarts, duplicates nothing
// then; a run without failovers loses nothing either. Method: RapidCheck generates a scenario
// with EXACTLY_ONCE aligned checkpoints (Flink rejects approximate recovery with unaligned
// ones); it runs with approximate-local-recovery on, and with its faults removed as the
// reference; every failover is checked against the downstream closure of the failed task in the
// execution graph, and the oracle's verdict against the sources that restarted. The records lost
// are bounded by what the sources feeding the restarted tasks emitted between the restored
// checkpoint's trigger and the restarted tasks running again (approximate_loss_bound.h): the
// oracle counts records lost per key and window, not which ones, so the check is a count.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <set>

#include "model/graph/execution_graph.h"
#include "property_tests/approximate_loss_bound.h"
#include "property_tests/property_check.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

using TaskSet = std::set<std::string>;

// The given tasks and every task that consumes, directly or transitively, what they produce.
TaskSet downstream_closure(const graph::ExecutionGraph& graph, const TaskSet& from) {
  std::vector<bool> involved(graph.vertex_count(), false);
  std::deque<graph::VertexIndex> queue;
  for (const std::string& task : from) {
    const sim::Result<graph::ExecutionVertexId> id = graph.parse_task(task);
    if (!id) throw std::logic_error("task: " + id.error().message);
    queue.push_back(graph.index_of(*id));
    involved[queue.back()] = true;
  }
  TaskSet tasks;
  while (!queue.empty()) {
    const graph::VertexIndex v = queue.front();
    queue.pop_front();
    tasks.insert(graph.task_name(v));
    for (graph::PartitionIndex p : graph.vertex(v).produced_partitions) {
      for (graph::GroupIndex g : graph.partition(p).consumer_vertex_groups) {
        for (graph::VertexIndex consumer : graph.consumer_vertex_groups()[g].vertices) {
          if (involved[consumer]) continue;
          involved[consumer] = true;
          queue.push_back(consumer);
        }
      }
    }
  }
  return tasks;
}

// The tasks as they run (the generated operators chained by Flink's rules), by Flink's names.
TaskSet all_tasks_of(const graph::ExecutionGraph& graph) {
  TaskSet tasks;
  for (graph::VertexIndex v = 0; v < graph.vertex_count(); ++v) tasks.insert(graph.task_name(v));
  return tasks;
}

// The tasks that run a source: a source heads its chain.
TaskSet source_tasks(const graph::ExecutionGraph& graph, const graph::JobGraph& job) {
  TaskSet tasks;
  for (graph::VertexIndex v = 0; v < graph.vertex_count(); ++v) {
    const graph::JobVertex& vertex = job.vertex(graph.vertex(v).id.vertex);
    if (vertex.operators.front().spec.kind == graph::OperatorKind::source) tasks.insert(graph.task_name(v));
  }
  return tasks;
}

bool is_partition_error(const std::string& cause) {
  return cause.find("PartitionNotFoundException") != std::string::npos ||
         cause.find("PartitionConnectionException") != std::string::npos;
}

// The tasks whose partitions `task` reads.
TaskSet direct_producers(const graph::ExecutionGraph& graph, const std::string& task) {
  const sim::Result<graph::ExecutionVertexId> id = graph.parse_task(task);
  if (!id) throw std::logic_error("task: " + id.error().message);
  TaskSet producers;
  for (graph::GroupIndex g : graph.vertex(graph.index_of(*id)).consumed_partition_groups) {
    for (graph::PartitionIndex p : graph.consumed_partition_groups()[g].partitions) {
      producers.insert(graph.task_name(graph.partition(p).producer));
    }
  }
  return producers;
}

std::string describe(const model::FailoverRecord& failover) {
  return "failover at " + sim::format_seconds(failover.time) + " of '" + failover.failed_task +
         "' restarted " + std::to_string(failover.restarted_tasks.size()) + " tasks";
}

// Every task is its own region, so a failover restarts the failed task and its downstream
// (the consumer rule). A producer joins only when a partition the restarted tasks read is not
// available (the producer rule), which approximate partitions are unless their producer is
// itself restarting: so any other task restarted must have been restarted before (or is
// downstream of one that was). A global failover (a checkpoint failure beyond the tolerable
// ones) restarts every task.
Violation check_scope(const model::FailoverRecord& failover, const graph::ExecutionGraph& graph,
                      const TaskSet& all_tasks, const TaskSet& restarted_before) {
  const TaskSet restarted(failover.restarted_tasks.begin(), failover.restarted_tasks.end());
  if (failover.failed_task == "global") {
    if (restarted == all_tasks) return std::nullopt;
    return describe(failover) + " of " + std::to_string(all_tasks.size());
  }
  const TaskSet required = downstream_closure(graph, {failover.failed_task});
  if (!std::includes(restarted.begin(), restarted.end(), required.begin(), required.end())) {
    return describe(failover) + ", not all of the " + std::to_string(required.size()) +
           " that it and its downstream are";
  }
  TaskSet from = restarted_before;
  from.insert(failover.failed_task);
  // A partition error (the restarted consumer cannot reach its producer) marks the partition
  // failed, and the producer rule restarts its producer: any direct producer may join.
  if (is_partition_error(failover.cause)) {
    const TaskSet producers = direct_producers(graph, failover.failed_task);
    from.insert(producers.begin(), producers.end());
  }
  const TaskSet allowed = downstream_closure(graph, from);
  if (!std::includes(allowed.begin(), allowed.end(), restarted.begin(), restarted.end())) {
    return describe(failover) + ", more than it, its downstream and tasks restarted before";
  }
  return std::nullopt;
}

bool restarted_a_source(const std::vector<model::FailoverRecord>& failovers,
                        const TaskSet& sources) {
  for (const model::FailoverRecord& failover : failovers) {
    for (const std::string& task : failover.restarted_tasks) {
      if (sources.contains(task)) return true;
    }
  }
  return false;
}

// A filter decides on the record, so a window result that lost records may pass where the
// complete one was filtered out: the oracle, which compares per key and window, then counts that
// window's records as duplicated though nothing was processed twice.
bool has_filter(const GeneratedJob& job) {
  return std::any_of(job.vertices.begin(), job.vertices.end(), [](const GeneratedVertex& vertex) {
    return vertex.kind == graph::OperatorKind::filter;
  });
}

Violation check_verdict(const scenarios::RunResult& result, const GeneratedJob& job,
                        const graph::ExecutionGraph& graph, const graph::JobGraph& chained) {
  const TaskSet sources = source_tasks(graph, chained);
  if (!result.exactly_once) return "the runner gave no exactly-once verdict";
  const checks::ExactlyOnceVerdict& verdict = *result.exactly_once;
  const std::vector<model::FailoverRecord>& failovers = result.run.metrics.failover_log;
  if (failovers.empty() && !verdict.exactly_once()) {
    return "no failover, yet " + std::to_string(verdict.records_lost) + " records lost and " +
           std::to_string(verdict.records_duplicated) + " duplicated";
  }
  if (!has_filter(job) && !restarted_a_source(failovers, sources) &&
      verdict.records_duplicated > 0) {
    return std::to_string(verdict.records_duplicated) + " records duplicated after " +
           std::to_string(failovers.size()) + " failovers, none of which restarted a source";
  }
  const LossBound bound = approximate_loss_bound(result.run, job, &chained);
  if (verdict.records_lost > bound.records) {
    return std::to_string(verdict.records_lost) + " records lost, more than the " +
           std::to_string(bound.records) + " the restarted tasks could have missed: " +
           bound.explanation;
  }
  return std::nullopt;
}

Violation approximate_recovery_holds(const GeneratedScenario& scenario) {
  const scenarios::ScenarioSpec spec = load_generated(scenario);
  const scenarios::RunResult result = scenarios::run_scenario(spec, {.capture_trace = true});
  if (Violation violation = expect_finished(result.reference, "failure-free reference")) {
    return violation;
  }
  if (Violation violation = expect_finished(result.run, "faulty run")) return violation;
  const sim::Result<graph::ExecutionGraph> graph = graph::ExecutionGraph::build(*spec.job);
  if (!graph) throw std::logic_error("execution graph: " + graph.error().message);
  const TaskSet all_tasks = all_tasks_of(*graph);
  TaskSet restarted_before;
  for (const model::FailoverRecord& failover : result.run.metrics.failover_log) {
    if (Violation violation = check_scope(failover, *graph, all_tasks, restarted_before)) {
      return violation;
    }
    restarted_before.insert(failover.restarted_tasks.begin(), failover.restarted_tasks.end());
  }
  return check_verdict(result, scenario.job, *graph, *spec.job);
}

TEST(ApproximateRecoveryProperty,
     RestartsTheFailedTasksDownstreamAndDuplicatesNothingWithoutASourceRestart) {
  ScenarioShape shape;
  shape.name = "approximate-recovery";
  shape.jitter = true;
  shape.delivery = graph::SinkDelivery::exactly_once;
  shape.modes = {CheckpointingMode::exactly_once};
  shape.expect = ExpectedOutcome{.finished = true};
  shape.approximate_local_recovery = true;
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape),
                 approximate_recovery_holds);
}

}  // namespace
}  // namespace flinksim::property_tests
