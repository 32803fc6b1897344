// Goal: each failover restarts exactly what its strategy prescribes, nothing less and nothing
// more. Full failover restarts every task; a global failure restarts every task under both
// strategies. Region failover restarts exactly the tasks of the regions Flink's
// RestartPipelinedRegionFailoverStrategy involves: the failed task's region, every region
// consuming from an involved one (whatever its state), and every region producing a partition an
// involved one consumes that is not available (not tracked, named by a PartitionException, or not
// re-consumable). In a streaming job that is the failed task's pipelined region; in a batch job
// (every result BLOCKING, every task its own region) the consumers transitively, the producers of
// lost results (a TaskManager gone) and, in turn, their other consumers. Method: RapidCheck
// generates a scenario; it runs once with `full` and once with `region`; every entry of each run's
// failover log is checked against the job's tasks and against flink_region_rule.h, applied to the
// partitions the JobMaster's tracker held at that failover (model::FailoverInputs).
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <iterator>
#include <map>
#include <set>

#include "model/graph/execution_graph.h"
#include "model/graph/pipelined_regions.h"
#include "property_tests/flink_region_rule.h"
#include "property_tests/property_check.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

using TaskSet = std::set<std::string>;

graph::ExecutionGraph execution_graph(const scenarios::ScenarioSpec& spec) {
  sim::Result<graph::ExecutionGraph> graph = graph::ExecutionGraph::build(*spec.job);
  if (!graph) throw std::logic_error("execution graph: " + graph.error().message);
  return std::move(*graph);
}

// Each task's region, as the set of the region's tasks.
std::map<std::string, TaskSet> regions_by_task(const scenarios::ScenarioSpec& spec) {
  const std::optional<graph::ExecutionGraph> graph = execution_graph(spec);
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

std::string names(const TaskSet& tasks) {
  std::string text;
  for (const std::string& task : tasks) text += (text.empty() ? "'" : ", '") + task + "'";
  return text;
}

// Two-sided: a task failure restarts exactly the tasks Flink's rule gives for the partitions the
// JobMaster's tracker held at that moment (flink_region_rule.h), nothing less (a consumer left
// reading from a restarted producer, a producer whose lost result nobody makes again) and nothing
// more (work thrown away).
Violation check_flink_rule(const model::FailoverRecord& failover, const FlinkRegionRule& rule,
                           const TaskSet& all_tasks) {
  if (is_global(failover)) return check_full(failover, all_tasks);
  const TaskSet expected = rule.tasks_to_restart(failover.failed_task, failover.inputs);
  const TaskSet restarted(failover.restarted_tasks.begin(), failover.restarted_tasks.end());
  TaskSet missing;
  TaskSet extra;
  std::set_difference(expected.begin(), expected.end(), restarted.begin(), restarted.end(),
                      std::inserter(missing, missing.end()));
  std::set_difference(restarted.begin(), restarted.end(), expected.begin(), expected.end(),
                      std::inserter(extra, extra.end()));
  if (missing.empty() && extra.empty()) return std::nullopt;
  return "region: " + describe(failover) + ", Flink's rule restarts " +
         std::to_string(expected.size()) +
         (missing.empty() ? "" : "; missing " + names(missing)) +
         (extra.empty() ? "" : "; not required " + names(extra));
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
  std::optional<graph::ExecutionGraph> graph;
  scenarios::RunOutcome full_run;
  scenarios::RunOutcome region_run;
};

BothStrategies run_under_both(const GeneratedScenario& scenario) {
  BothStrategies runs;
  const scenarios::ScenarioSpec full =
      load_generated(with_failover(scenario, FailoverStrategy::full));
  runs.region = load_generated(with_failover(scenario, FailoverStrategy::region));
  runs.regions = regions_by_task(runs.region);
  runs.graph = execution_graph(runs.region);
  // The tasks as they run: the generated operators chained by Flink's rules (the loader's job).
  for (graph::VertexIndex v = 0; v < runs.graph->vertex_count(); ++v) {
    runs.all_tasks.insert(runs.graph->task_name(v));
  }
  runs.full_run = scenarios::run_once(full, true, false);
  runs.region_run = scenarios::run_once(runs.region, true, false);
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
  const BothStrategies runs = run_under_both(scenario);
  // The scope first: a wrong scope often leaves the job stuck too, and the scope says why.
  if (Violation violation = check_full_run(runs)) return violation;
  const FlinkRegionRule rule(*runs.graph);
  for (const model::FailoverRecord& failover : runs.region_run.metrics.failover_log) {
    if (Violation violation = check_region(failover, runs.regions, runs.all_tasks)) {
      return violation;
    }
    if (Violation violation = check_flink_rule(failover, rule, runs.all_tasks)) return violation;
  }
  return expect_both_finished(runs);
}

// How many failovers of the batch property needed the producer rule (some involved region's
// input was not available), printed at the end so that a change of generators that stops
// reaching it shows.
struct Exercised {
  int64_t failovers = 0;
  int64_t producer_rule = 0;
};
Exercised exercised;

void count_exercised(const model::FailoverRecord& failover, const FlinkRegionRule& rule,
                     const graph::ExecutionGraph& graph) {
  if (is_global(failover)) return;
  ++exercised.failovers;
  model::FailoverInputs everything_available;
  for (const graph::ResultPartition& partition : graph.partitions()) {
    everything_available.tracked_partitions.push_back(partition.id);
  }
  std::sort(everything_available.tracked_partitions.begin(),
            everything_available.tracked_partitions.end());
  if (rule.tasks_to_restart(failover.failed_task, failover.inputs) !=
      rule.tasks_to_restart(failover.failed_task, everything_available)) {
    ++exercised.producer_rule;
  }
}

Violation batch_restarts_follow_strategy(const GeneratedScenario& scenario) {
  const BothStrategies runs = run_under_both(scenario);
  if (Violation violation = check_full_run(runs)) return violation;
  const FlinkRegionRule rule(*runs.graph);
  for (const model::FailoverRecord& failover : runs.region_run.metrics.failover_log) {
    if (Violation violation = check_flink_rule(failover, rule, runs.all_tasks)) return violation;
    count_exercised(failover, rule, *runs.graph);
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
  shape.faults_while_consumers_read = true;
  shape.moment_faults = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 200}, generate_scenario(shape),
                 batch_restarts_follow_strategy);
  std::cout << "restart-scope-batch exercised: " << exercised.failovers
            << " task failovers, " << exercised.producer_rule
            << " of them restarting producers of unavailable partitions" << std::endl;
}

}  // namespace
}  // namespace flinksim::property_tests
