// Goal: checkpoint lineage stays consistent through any healing fault schedule: completed
// checkpoint ids strictly increase, restores never go back to an older checkpoint, and every
// restore uses a checkpoint that completed. Method: RapidCheck generates a scenario; it runs
// with its trace captured; the coordinator's `checkpoint-completed` events give the completed
// ids, the run's checkpoint statistics the restores.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "property_tests/property_check.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

std::vector<int64_t> completed_ids(const scenarios::RunOutcome& outcome) {
  std::vector<int64_t> ids;
  for (const CompletedCheckpoint& completed : completed_checkpoints(outcome)) {
    ids.push_back(completed.id);
  }
  return ids;
}

std::string join(const std::vector<int64_t>& ids) {
  std::string text;
  for (int64_t id : ids) text += (text.empty() ? "" : ", ") + std::to_string(id);
  return "[" + text + "]";
}

Violation check_completed(const std::vector<int64_t>& completed,
                          const model::checkpoint::CheckpointStats& stats) {
  if (static_cast<int64_t>(completed.size()) != stats.completed) {
    return "the trace shows " + std::to_string(completed.size()) +
           " completed checkpoints, the statistics " + std::to_string(stats.completed);
  }
  if (std::adjacent_find(completed.begin(), completed.end(), std::greater_equal<>()) !=
      completed.end()) {
    return "completed checkpoint ids do not strictly increase: " + join(completed);
  }
  if (!completed.empty() && completed.front() < 1) return "checkpoint ids start below 1";
  return std::nullopt;
}

Violation check_restores(const std::vector<int64_t>& completed,
                         const model::checkpoint::CheckpointStats& stats) {
  std::vector<int64_t> restored(stats.restored_from.begin(), stats.restored_from.end());
  if (!std::is_sorted(restored.begin(), restored.end())) {
    return "restores go back to an older checkpoint: " + join(restored);
  }
  const std::set<int64_t> known(completed.begin(), completed.end());
  for (int64_t id : restored) {
    if (!known.contains(id)) {
      return "restore from checkpoint " + std::to_string(id) +
             ", which never completed; completed " + join(completed);
    }
  }
  return std::nullopt;
}

Violation lineage_consistent(const GeneratedScenario& scenario) {
  const scenarios::RunOutcome outcome = scenarios::run_once(load_generated(scenario), true, true);
  if (Violation violation = expect_finished(outcome, "faulty run")) return violation;
  if (!outcome.metrics.checkpoints) return "no checkpoint statistics with checkpointing on";
  const std::vector<int64_t> completed = completed_ids(outcome);
  if (Violation violation = check_completed(completed, *outcome.metrics.checkpoints)) {
    return violation;
  }
  return check_restores(completed, *outcome.metrics.checkpoints);
}

TEST(CheckpointLineageProperty, IdsIncreaseAndRestoresUseCompletedCheckpointsInOrder) {
  ScenarioShape shape;
  shape.name = "checkpoint-lineage";
  shape.jitter = true;
  shape.modes = {CheckpointingMode::exactly_once, CheckpointingMode::at_least_once};
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), lineage_consistent);
}

}  // namespace
}  // namespace flinksim::property_tests
