// Goal: checkpoint lineage stays consistent through any healing fault schedule: completed
// checkpoint ids strictly increase, restores never go back to an older checkpoint, every restore
// uses a checkpoint that completed, and the latest one: without HA a checkpoint completes only
// while every task runs, so between a failover and its restore nothing completes, and each
// restore must use the checkpoint that was the latest completed at some failover (in order).
// With ZooKeeper HA, across leader changes: triggered and completed ids strictly increase over
// every leader of the run (the checkpoint id counter), and a new leader restores the latest
// checkpoint its HA store holds: at least the latest that completed before its recovery, and
// one that was triggered (a leader killed after ZooKeeper took a pointer but before it heard
// back never traces the completion). Method: RapidCheck generates a scenario; it runs with its
// trace captured; the coordinator's `checkpoint-triggered` and `checkpoint-completed` events,
// the JobMasters' `failover` events and the new leaders' `job recovered ... from checkpoint N`
// events give the timeline, the run's checkpoint statistics the restores.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
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

// The latest completed checkpoint id at each JobMaster `failover` event, in trace order (0: none
// completed yet).
std::vector<int64_t> latest_at_failovers(const scenarios::RunOutcome& outcome) {
  std::vector<int64_t> latest_at;
  int64_t latest = 0;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.component == "checkpoint-coordinator" && event.kind == "checkpoint-completed") {
      latest = checkpoint_id_of(event);
    } else if (event.kind == "failover" && event.component.starts_with("jobmanager-")) {
      latest_at.push_back(latest);
    }
  }
  return latest_at;
}

// Without HA: each restore, in order, used what was the latest completed checkpoint at one of
// the failovers from the one the previous restore matched on.
Violation check_restores_use_latest(const scenarios::RunOutcome& outcome,
                                    const model::checkpoint::CheckpointStats& stats) {
  const std::vector<int64_t> latest_at = latest_at_failovers(outcome);
  size_t failover = 0;
  for (int64_t id : stats.restored_from) {
    while (failover < latest_at.size() && latest_at[failover] != id) ++failover;
    if (failover == latest_at.size()) {
      return "restore from checkpoint " + std::to_string(id) +
             ", which was not the latest completed checkpoint at any failover since the previous "
             "restore; latest at each failover: " +
             join(latest_at) + ", restores " + join(stats.restored_from);
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
  if (Violation violation = check_restores(completed, *outcome.metrics.checkpoints)) {
    return violation;
  }
  return check_restores_use_latest(outcome, *outcome.metrics.checkpoints);
}

// ---- Across leader changes (ZooKeeper HA) ------------------------------------------------------

std::vector<int64_t> triggered_ids(const scenarios::RunOutcome& outcome) {
  std::vector<int64_t> ids;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.component == "checkpoint-coordinator" && event.kind == "checkpoint-triggered") {
      ids.push_back(checkpoint_id_of(event));
    }
  }
  return ids;
}

// Each new leader's recovery ("job recovered JOB from checkpoint N" or "... without
// checkpoint") against the completed and triggered checkpoints traced before it.
Violation check_leader_recoveries(const scenarios::RunOutcome& outcome, int64_t& recoveries) {
  const std::string from = " from checkpoint ";
  int64_t latest_completed = 0;
  std::set<int64_t> triggered;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.component == "checkpoint-coordinator" && event.kind == "checkpoint-completed") {
      latest_completed = checkpoint_id_of(event);
    } else if (event.component == "checkpoint-coordinator" &&
               event.kind == "checkpoint-triggered") {
      triggered.insert(checkpoint_id_of(event));
    } else if (event.kind == "job recovered" && event.component.starts_with("jobmanager-")) {
      const size_t at = event.detail.find(from);
      const bool without = event.detail.ends_with(" without checkpoint");
      if (at == std::string::npos && !without) continue;  // the JobMaster's "N tasks to deploy"
      ++recoveries;
      const int64_t restored = without ? 0 : std::stoll(event.detail.substr(at + from.size()));
      const std::string when = " at " + sim::format_seconds(event.time);
      if (restored < latest_completed) {
        return event.component + " recovered the job from " +
               (without ? "no checkpoint" : "checkpoint " + std::to_string(restored)) +
               when + ", but checkpoint " + std::to_string(latest_completed) +
               " had completed before";
      }
      if (!without && !triggered.contains(restored)) {
        return event.component + " recovered the job from checkpoint " +
               std::to_string(restored) + when + ", which no leader triggered";
      }
    }
  }
  return std::nullopt;
}

int64_t leader_recoveries_checked = 0;

Violation lineage_consistent_across_leaders(const GeneratedScenario& scenario) {
  const scenarios::RunOutcome outcome = scenarios::run_once(load_generated(scenario), true, true);
  if (!outcome.metrics.checkpoints) return "no checkpoint statistics with checkpointing on";
  const std::vector<int64_t> triggered = triggered_ids(outcome);
  if (std::adjacent_find(triggered.begin(), triggered.end(), std::greater_equal<>()) !=
      triggered.end()) {
    return "triggered checkpoint ids do not strictly increase across leaders: " + join(triggered);
  }
  const std::vector<int64_t> completed = completed_ids(outcome);
  if (Violation violation = check_completed(completed, *outcome.metrics.checkpoints)) {
    return violation;
  }
  int64_t recoveries = 0;
  if (Violation violation = check_leader_recoveries(outcome, recoveries)) return violation;
  leader_recoveries_checked += recoveries;
  // A stale leader's restarts in vain (tolerated suspension) use its own, older, latest
  // checkpoint and interleave with the new leader's restores, so restores need not be ordered
  // across leaders; each must still use a checkpoint some leader triggered.
  const std::set<int64_t> known(triggered.begin(), triggered.end());
  for (int64_t id : outcome.metrics.checkpoints->restored_from) {
    if (!known.contains(id)) {
      return "restore from checkpoint " + std::to_string(id) + ", which no leader triggered";
    }
  }
  return expect_finished(outcome, "faulty run");
}

TEST(CheckpointLineageProperty, IdsIncreaseAndRestoresUseCompletedCheckpointsInOrder) {
  ScenarioShape shape;
  shape.name = "checkpoint-lineage";
  shape.jitter = true;
  shape.modes = {CheckpointingMode::exactly_once, CheckpointingMode::at_least_once};
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), lineage_consistent);
}

TEST(CheckpointLineageProperty, IdsIncreaseAcrossLeaderChangesAndNewLeadersRestoreTheLatest) {
  ScenarioShape shape;
  shape.name = "checkpoint-lineage-high-availability";
  shape.jitter = true;
  shape.high_availability = true;
  shape.leader_change = true;
  shape.varied_configuration = true;
  shape.modes = {CheckpointingMode::exactly_once, CheckpointingMode::at_least_once};
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape),
                 lineage_consistent_across_leaders);
  std::cout << "checkpoint-lineage-high-availability: " << leader_recoveries_checked
            << " leader recoveries checked" << std::endl;
}

}  // namespace
}  // namespace flinksim::property_tests
