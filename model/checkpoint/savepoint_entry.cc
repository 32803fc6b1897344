// The CheckpointCoordinator's savepoint entry point (CheckpointCoordinator#triggerSavepoint and
// #triggerSynchronousSavepoint with CheckpointProperties.forSavepoint / forSyncSavepoint).
// A savepoint shares the checkpoint id counter and the whole barrier protocol with checkpoints;
// what differs is kept here:
// - it is forced: the CheckpointRequestDecider's concurrency limit and min pause do not apply
//   ("these checks are not relevant for savepoints");
// - completed, it is not added to the CompletedCheckpointStore (completePendingCheckpoint adds
//   only `!props.isSavepoint()`), so failovers keep restoring the latest checkpoint;
// - only a synchronous savepoint subsumes older pending checkpoints and notifies the tasks
//   (cleanupAfterCompletedCheckpoint: `!props.isSavepoint() || props.isSynchronous()`), so an
//   intermediate savepoint commits no two-phase-commit transaction;
// - its completion still resets the failure counter and the min pause (reportCompletedCheckpoint,
//   lastCheckpointCompletionRelativeTime).

#include <algorithm>

#include "model/checkpoint/checkpoint_coordinator.h"

namespace flinksim::model::checkpoint {

void CheckpointCoordinator::trigger_savepoint(SnapshotType type, SavepointCallback done) {
  FLINKSIM_ASSERT(is_savepoint(type));
  SavepointResult refused{type, 0, process_.now(), std::nullopt, "NOT_ALL_REQUIRED_TASKS_RUNNING",
                          false, 0};
  const auto tasks = host_.tasks_to_checkpoint();
  const bool all_finished =
      tasks && std::all_of(tasks->begin(), tasks->end(), [](const auto& task) { return task.finished; });
  if (!tasks || tasks->empty() || all_finished) {
    process_.context().trace_event("checkpoint-coordinator", "savepoint-failed",
                                   std::string(to_string(type)) + " " + refused.failure);
    return done(refused);
  }
  const CheckpointId id = next_id_++;
  host_.acquire_checkpoint_id(
      id, lifetime_.guard([this, id, type, done = std::move(done), refused](bool acquired) mutable {
        if (!acquired) {
          on_trigger_failure(id);
          refused.failure = "TRIGGER_CHECKPOINT_FAILURE";
          return done(refused);
        }
        refused.id = id;
        SavepointCallback keep = done;
        if (!start_pending(id, type, std::move(done))) keep(refused);
      }));
}

void CheckpointCoordinator::complete_savepoint(PendingCheckpoint pending) {
  SavepointResult result{pending.type, pending.id, pending.triggered, std::nullopt, "", true, 0};
  for (const auto& [vertex, state] : pending.states) result.bytes += state.state_bytes;
  result.savepoint = CompletedCheckpoint{pending.id, pending.states};
  decider_.on_completion(process_.now());
  failure_manager_.on_success(pending.id);
  process_.context().trace_event("checkpoint-coordinator", "savepoint-completed",
                                 "id=" + std::to_string(pending.id) + " " +
                                     std::string(to_string(pending.type)));
  if (is_synchronous(pending.type)) {
    subsume_pending_older_than(pending.id);
    notify_complete(pending);
  }
  execute_queued_soon();
  if (pending.on_savepoint) pending.on_savepoint(result);
}

void CheckpointCoordinator::fail_savepoint(const PendingCheckpoint& pending, const std::string& reason) {
  if (!pending.on_savepoint) return;
  pending.on_savepoint(
      SavepointResult{pending.type, pending.id, pending.triggered, std::nullopt, reason, true, 0});
}

}  // namespace flinksim::model::checkpoint
