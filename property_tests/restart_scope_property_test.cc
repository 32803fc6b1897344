// Goal: each failover restarts what its strategy prescribes. Full failover restarts every task;
// region failover restarts the failed task's pipelined region, a subset of what full failover
// restarts; a global failure restarts every task under both. Method: RapidCheck generates a
// scenario; it runs once with `full` and once with `region`; every entry of each run's failover log
// is checked against the job's tasks and its pipelined regions as model/graph computes them.
#include <gtest/gtest.h>

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

GeneratedScenario with_failover(GeneratedScenario scenario, FailoverStrategy strategy) {
  scenario.configuration.failover = strategy;
  return scenario;
}

Violation restarts_follow_strategy(const GeneratedScenario& scenario) {
  const scenarios::ScenarioSpec full =
      load_generated(with_failover(scenario, FailoverStrategy::full));
  const scenarios::ScenarioSpec region =
      load_generated(with_failover(scenario, FailoverStrategy::region));
  const std::vector<std::string> task_ids = scenario.job.task_ids();
  const TaskSet all_tasks(task_ids.begin(), task_ids.end());
  const std::map<std::string, TaskSet> regions = regions_by_task(region);
  const scenarios::RunOutcome full_run = scenarios::run_once(full, true, false);
  const scenarios::RunOutcome region_run = scenarios::run_once(region, true, false);
  // The scope first: a wrong scope often leaves the job stuck too, and the scope says why.
  for (const model::FailoverRecord& failover : full_run.metrics.failover_log) {
    if (Violation violation = check_full(failover, all_tasks)) return violation;
  }
  for (const model::FailoverRecord& failover : region_run.metrics.failover_log) {
    if (Violation violation = check_region(failover, regions, all_tasks)) return violation;
  }
  if (Violation violation = expect_finished(full_run, "full failover run")) return violation;
  return expect_finished(region_run, "region failover run");
}

TEST(RestartScopeProperty, FullRestartsEveryTaskAndRegionRestartsTheFailedTasksRegion) {
  ScenarioShape shape;
  shape.name = "restart-scope";
  shape.modes = {CheckpointingMode::exactly_once};
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape),
                 restarts_follow_strategy);
}

}  // namespace
}  // namespace flinksim::property_tests
