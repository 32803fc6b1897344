// Goal: each failover restarts what its strategy prescribes. Full failover restarts every task;
// region failover restarts the failed task's pipelined region, a subset of what full failover
// restarts; a global failure restarts every task under both. In a batch job every task is its own
// region (BLOCKING results) and region failover restarts the failed task's region and every
// region consuming its results, transitively (Flink's RestartPipelinedRegionFailoverStrategy);
// where a TaskManager was lost, also producers whose finished results went with it, and their
// consumers in turn. Method: RapidCheck generates a scenario; it runs once with `full` and once
// with `region`; every entry of each run's failover log is checked against the job's tasks, its
// pipelined regions as model/graph computes them and, for batch jobs, a brute-force closure over
// the execution graph's consumers.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "model/graph/execution_graph.h"
#include "model/graph/pipelined_regions.h"
#include "property_tests/property_check.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

using TaskSet = std::set<std::string>;

// Each task's region, as the set of the region's tasks.
std::map<std::string, TaskSet> regions_by_task(const scenarios::ScenarioSpec& spec) {
  const sim::Result<graph::ExecutionGraph> graph = graph::ExecutionGraph::build(*spec.job);
  if (!graph) throw std::logic_error("execution graph: " + graph.error().message);
  std::map<std::string, TaskSet> regions;
  const graph::PipelinedRegions computed = graph::compute_pipelined_regions(*graph);
  for (const std::vector<std::string>& region : graph::region_task_names(*graph, computed)) {
    for (const std::string& task : region) regions[task] = TaskSet(region.begin(), region.end());
  }
  return regions;
}

std::string describe(const model::FailoverRecord& failover) {
  return "failover at " + sim::format_seconds(failover.time) + " of '" + failover.failed_task +
         "' restarted " + std::to_string(failover.restarted_tasks.size()) + " tasks";
}

Violation check_full(const model::FailoverRecord& failover, const TaskSet& all_tasks) {
  if (TaskSet(failover.restarted_tasks.begin(), failover.restarted_tasks.end()) == all_tasks) {
    return std::nullopt;
  }
  return "full: " + describe(failover) + " of " + std::to_string(all_tasks.size());
}

// A global failure (a checkpoint failure beyond the tolerable ones, say) has no failed task and
// restarts every task under either strategy, as Flink's handleGlobalFailure does.
bool is_global(const model::FailoverRecord& failover) {
  return failover.failed_task == "global";
}

// Streaming jobs have only pipelined edges, so every consumer of a region's partitions is in
// the region itself: Flink's RestartPipelinedRegionFailoverStrategy restarts exactly the failed
// task's region.
Violation check_region(const model::FailoverRecord& failover,
                       const std::map<std::string, TaskSet>& regions, const TaskSet& all_tasks) {
  if (is_global(failover)) return check_full(failover, all_tasks);
  const auto failed_region = regions.find(failover.failed_task);
  if (failed_region == regions.end()) {
    return "region: " + describe(failover) + ", an unknown failed task";
  }
  const TaskSet restarted(failover.restarted_tasks.begin(), failover.restarted_tasks.end());
  if (restarted != failed_region->second) {
    return "region: " + describe(failover) + ", its region has " +
           std::to_string(failed_region->second.size());
  }
  return std::nullopt;
}

// Each task's consumers, by task name, from the execution graph.
std::map<std::string, TaskSet> consumers_by_task(const scenarios::ScenarioSpec& spec) {
  const sim::Result<graph::ExecutionGraph> graph = graph::ExecutionGraph::build(*spec.job);
  if (!graph) throw std::logic_error("execution graph: " + graph.error().message);
  std::map<std::string, TaskSet> consumers;
  for (const graph::ExecutionVertex& vertex : graph->vertices()) {
    TaskSet& of_vertex = consumers[graph->task_name(vertex.id)];
    for (graph::PartitionIndex partition : vertex.produced_partitions) {
      for (graph::GroupIndex group : graph->partition(partition).consumer_vertex_groups) {
        for (graph::VertexIndex consumer : graph->consumer_vertex_groups()[group].vertices) {
          of_vertex.insert(graph->task_name(consumer));
        }
      }
    }
  }
  return consumers;
}

// The tasks' regions and every region consuming from them, transitively.
TaskSet downstream_closure(TaskSet tasks, const std::map<std::string, TaskSet>& regions,
                           const std::map<std::string, TaskSet>& consumers) {
  std::vector<std::string> frontier(tasks.begin(), tasks.end());
  while (!frontier.empty()) {
    const std::string task = frontier.back();
    frontier.pop_back();
    TaskSet next = regions.at(task);
    next.insert(consumers.at(task).begin(), consumers.at(task).end());
    for (const std::string& other : next) {
      if (tasks.insert(other).second) frontier.push_back(other);
    }
  }
  return tasks;
}

// Whether `task` had FINISHED (and not been reset since) by `time`, from the task's state events.
bool finished_by(const scenarios::RunOutcome& outcome, const std::string& task, sim::Instant time) {
  bool finished = false;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.time > time) break;
    if (event.component != task) continue;
    if (event.kind == "FINISHED") finished = true;
    if (event.kind == "DEPLOYING" || event.kind == "CANCELED" || event.kind == "FAILED") {
      finished = false;
    }
  }
  return finished;
}

// Batch: at least the failed task's region and its consumers' regions, transitively; beyond
// that only what Flink's producer rule adds (a producer whose result is unavailable, e.g. one
// being restarted itself or lost with its TaskManager) and, in turn, its consumers. A producer
// that had FINISHED is restarted only if a TaskManager was lost by then (its result may have
// gone with it).
Violation check_batch_region(const model::FailoverRecord& failover,
                             const std::map<std::string, TaskSet>& regions,
                             const std::map<std::string, TaskSet>& consumers,
                             const TaskSet& all_tasks, const scenarios::RunOutcome& run,
                             std::optional<sim::Instant> first_taskmanager_loss) {
  if (is_global(failover)) return check_full(failover, all_tasks);
  if (!regions.contains(failover.failed_task)) {
    return "region: " + describe(failover) + ", an unknown failed task";
  }
  const TaskSet required = downstream_closure({failover.failed_task}, regions, consumers);
  const TaskSet restarted(failover.restarted_tasks.begin(), failover.restarted_tasks.end());
  for (const std::string& task : required) {
    if (!restarted.contains(task)) {
      return "region (batch): " + describe(failover) + " without '" + task +
             "', a consumer of its results";
    }
  }
  if (downstream_closure(restarted, regions, consumers) != restarted) {
    return "region (batch): " + describe(failover) + ", not every consumer of them";
  }
  const bool taskmanager_lost = first_taskmanager_loss && *first_taskmanager_loss <= failover.time;
  for (const std::string& task : restarted) {
    if (required.contains(task)) continue;
    // An extra task either produces for a restarted task (the producer rule) or consumes from
    // another extra one (the consumers of a restarted producer).
    const TaskSet& of_task = consumers.at(task);
    const bool producer = std::any_of(of_task.begin(), of_task.end(), [&](const std::string& c) {
      return restarted.contains(c);
    });
    if (!producer) {
      return "region (batch): " + describe(failover) + " with '" + task +
             "', neither its region, a consumer, nor a producer of a restarted task";
    }
    if (!taskmanager_lost && finished_by(run, task, failover.time)) {
      return "region (batch): " + describe(failover) + " with '" + task +
             "', a producer that had finished with no TaskManager lost";
    }
  }
  return std::nullopt;
}

GeneratedScenario with_failover(GeneratedScenario scenario, FailoverStrategy strategy) {
  scenario.configuration.failover = strategy;
  return scenario;
}

// The scenario run under `full` and under `region` failover, with what the checks need.
struct BothStrategies {
  scenarios::ScenarioSpec region;
  TaskSet all_tasks;
  std::map<std::string, TaskSet> regions;
  scenarios::RunOutcome full_run;
  scenarios::RunOutcome region_run;
};

BothStrategies run_under_both(const GeneratedScenario& scenario, bool trace_region_run) {
  BothStrategies runs;
  const scenarios::ScenarioSpec full =
      load_generated(with_failover(scenario, FailoverStrategy::full));
  runs.region = load_generated(with_failover(scenario, FailoverStrategy::region));
  const std::vector<std::string> task_ids = scenario.job.task_ids();
  runs.all_tasks = TaskSet(task_ids.begin(), task_ids.end());
  runs.regions = regions_by_task(runs.region);
  runs.full_run = scenarios::run_once(full, true, false);
  runs.region_run = scenarios::run_once(runs.region, true, trace_region_run);
  return runs;
}

// `full` restarts every task on every failover.
Violation check_full_run(const BothStrategies& runs) {
  for (const model::FailoverRecord& failover : runs.full_run.metrics.failover_log) {
    if (Violation violation = check_full(failover, runs.all_tasks)) return violation;
  }
  return std::nullopt;
}

Violation expect_both_finished(const BothStrategies& runs) {
  if (Violation violation = expect_finished(runs.full_run, "full failover run")) return violation;
  return expect_finished(runs.region_run, "region failover run");
}

Violation restarts_follow_strategy(const GeneratedScenario& scenario) {
  const BothStrategies runs = run_under_both(scenario, false);
  // The scope first: a wrong scope often leaves the job stuck too, and the scope says why.
  if (Violation violation = check_full_run(runs)) return violation;
  for (const model::FailoverRecord& failover : runs.region_run.metrics.failover_log) {
    if (Violation violation = check_region(failover, runs.regions, runs.all_tasks)) {
      return violation;
    }
  }
  return expect_both_finished(runs);
}

Violation batch_restarts_follow_strategy(const GeneratedScenario& scenario) {
  std::optional<sim::Instant> first_taskmanager_loss;
  for (const FaultCommand& command : scenario.faults) {
    if (!std::holds_alternative<KillTaskManager>(command)) continue;
    const sim::Instant at = sim::Instant::zero() + strikes_at(command);
    if (!first_taskmanager_loss || at < *first_taskmanager_loss) first_taskmanager_loss = at;
  }
  const BothStrategies runs = run_under_both(scenario, true);
  const std::map<std::string, TaskSet> consumers = consumers_by_task(runs.region);
  if (Violation violation = check_full_run(runs)) return violation;
  for (const model::FailoverRecord& failover : runs.region_run.metrics.failover_log) {
    if (Violation violation = check_batch_region(failover, runs.regions, consumers, runs.all_tasks,
                                                 runs.region_run, first_taskmanager_loss)) {
      return violation;
    }
  }
  return expect_both_finished(runs);
}

TEST(RestartScopeProperty, FullRestartsEveryTaskAndRegionRestartsTheFailedTasksRegion) {
  ScenarioShape shape;
  shape.name = "restart-scope";
  shape.modes = {CheckpointingMode::exactly_once};
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape),
                 restarts_follow_strategy);
}

TEST(RestartScopeProperty, BatchRegionFailoverRestartsTheFailedTaskAndEveryConsumerRegion) {
  ScenarioShape shape;
  shape.name = "restart-scope-batch";
  shape.batch = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape),
                 batch_restarts_follow_strategy);
}

}  // namespace
}  // namespace flinksim::property_tests
