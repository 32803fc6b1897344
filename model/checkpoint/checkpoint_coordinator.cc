#include "model/checkpoint/checkpoint_coordinator.h"

#include <algorithm>

#include "sim/assert.h"

namespace flinksim::model::checkpoint {

CheckpointCoordinator::CheckpointCoordinator(sim::Process& process, const CheckpointOptions& options,
                                             CheckpointCoordinatorHost& host,
                                             LeaderSessionId leader_session, sim::Rng rng)
    : process_(process),
      options_(options),
      host_(host),
      leader_session_(leader_session),
      rng_(rng),
      decider_(options),
      store_(options.num_retained),
      failure_manager_(options.tolerable_failures) {}

CheckpointCoordinator::~CheckpointCoordinator() {
  process_.cancel_timer(trigger_timer_);
  process_.cancel_timer(queued_timer_);
  for (auto& [id, pending] : pending_) process_.cancel_timer(pending.canceller);
}

void CheckpointCoordinator::start_scheduler() {
  // CheckpointCoordinator.startCheckpointScheduler: called on every return to RUNNING
  // (CheckpointCoordinatorDeActivator); it stops a running schedule first, so each start draws a
  // fresh initial delay and the schedule's phase does not survive a failover.
  if (!options_.enabled()) return;
  stop_scheduler();
  scheduler_running_ = true;
  // getRandomInitDelay: uniformly within [min pause, interval] (at least 1 ms apart).
  const int64_t low = options_.min_pause.count_nanoseconds();
  const int64_t high = std::max(low, options_.interval->count_nanoseconds());
  schedule_trigger(sim::Duration::nanoseconds(rng_.uniform_int(low, high)));
}

void CheckpointCoordinator::stop_scheduler() {
  // CheckpointCoordinator.stopCheckpointScheduler, on every status but RUNNING: the periodic
  // trigger is cancelled and the pending and queued checkpoints are aborted with
  // CHECKPOINT_COORDINATOR_SUSPEND, which the CheckpointFailureManager does not count.
  scheduler_running_ = false;
  process_.cancel_timer(trigger_timer_);
  process_.cancel_timer(queued_timer_);
  decider_.abort_all();
  abort_pending("CHECKPOINT_COORDINATOR_SUSPEND");
}

void CheckpointCoordinator::schedule_trigger(sim::Duration delay) {
  process_.cancel_timer(trigger_timer_);
  trigger_timer_ = process_.set_timer(delay, [this] {
    if (scheduler_running_) schedule_trigger(*options_.interval);
    decider_.enqueue();
    execute_queued();
  });
}

void CheckpointCoordinator::execute_queued_soon() {
  // Asked when a checkpoint leaves the pending ones or a trigger ends, possibly from inside a
  // loop over the pending checkpoints: the queue is looked at once that is over.
  if (!scheduler_running_ || decider_.queued() == 0) return;
  process_.cancel_timer(queued_timer_);
  queued_timer_ = process_.set_timer(sim::Duration::zero(), [this] { execute_queued(); });
}

void CheckpointCoordinator::execute_queued() {
  // A checkpoint being finalized (its pointer on its way to the HA store) still counts as
  // pending, as in Flink, where it leaves the pending checkpoints only once it is completed.
  const CheckpointRequestDecider::Choice choice = decider_.choose(
      process_.now(), static_cast<int>(pending_.size()) + finalizing_, acquiring_id_);
  if (choice.reschedule_after && scheduler_running_) schedule_trigger(*choice.reschedule_after);
  if (choice.execute) trigger();
}

void CheckpointCoordinator::trigger() {
  // Pre-flight rejections are never counted as failures.
  const auto tasks = host_.tasks_to_checkpoint();
  if (!tasks || tasks->empty()) return;  // NOT_ALL_REQUIRED_TASKS_RUNNING
  // Every task finished: nothing left to checkpoint.
  if (std::all_of(tasks->begin(), tasks->end(), [](const auto& task) { return task.finished; })) return;
  const CheckpointId id = next_id_++;
  acquiring_id_ = true;
  host_.acquire_checkpoint_id(id, lifetime_.guard([this, id](bool acquired) {
    acquiring_id_ = false;
    if (acquired) {
      start_pending(id);
    } else {
      on_trigger_failure(id);
    }
    execute_queued_soon();
  }));
}

void CheckpointCoordinator::on_trigger_failure(CheckpointId id) {
  // CheckpointCoordinator.onTriggerFailure without a PendingCheckpoint: the counter did not
  // advance (the next trigger gets the same id), the statistics count a failed checkpoint
  // (reportFailedCheckpointsWithoutInProgress), and the CheckpointFailureManager ignores
  // TRIGGER_CHECKPOINT_FAILURE: it never counts against tolerable-failed-checkpoints.
  if (next_id_ == id + 1) next_id_ = id;
  ++stats_.failed;
  process_.context().trace_event(
      "checkpoint-coordinator", "checkpoint-trigger-failed",
      "TRIGGER_CHECKPOINT_FAILURE: the checkpoint id counter is unavailable");
}

bool CheckpointCoordinator::start_pending(CheckpointId id, SnapshotType type,
                                          SavepointCallback on_savepoint) {
  const auto tasks = host_.tasks_to_checkpoint();
  if (!tasks || tasks->empty()) return false;
  PendingCheckpoint pending;
  pending.id = id;
  pending.triggered = process_.now();
  pending.type = type;
  pending.on_savepoint = std::move(on_savepoint);
  for (const auto& task : *tasks) {
    if (!task.finished) {
      pending.awaiting[task.attempt] = task.location;
      continue;
    }
    // DefaultCheckpointPlanCalculator: finished tasks are neither triggered nor awaited; the
    // checkpoint records them finished, with the state of their final checkpoint.
    std::optional<TaskStateSnapshot> state = finished_state(task.attempt.vertex);
    if (!state) return false;
    pending.states[task.attempt.vertex] = std::move(*state);
  }
  if (pending.awaiting.empty()) return false;
  pending.canceller = process_.set_timer(options_.timeout, [this, id] {
    fail_pending(id, "CHECKPOINT_EXPIRED", true);
  });
  process_.context().trace_event("checkpoint-coordinator",
                                 is_savepoint(type) ? "savepoint-triggered" : "checkpoint-triggered",
                                 "id=" + std::to_string(id) +
                                     (is_savepoint(type) ? " " + std::string(to_string(type)) : ""));
  pending_.emplace(id, std::move(pending));
  for (const auto& task : *tasks) {
    if (!task.trigger || task.finished) continue;
    auto message = std::make_shared<TriggerCheckpoint>();
    message->leader_session = leader_session_;
    message->attempt = task.attempt;
    message->checkpoint = id;
    message->timestamp = process_.now();
    message->type = type;
    // The trigger is an RPC: when it fails (an unreachable TaskManager shows after the ask
    // timeout) the checkpoint is aborted (TRIGGER_CHECKPOINT_FAILURE, not counted by the
    // CheckpointFailureManager) rather than holding aligned channels until its own timeout.
    host_.send_to_task(task.location, std::move(message),
                       lifetime_.guard([this, id](sim::DeliveryFailure) {
                         fail_pending(id, "TRIGGER_CHECKPOINT_FAILURE", false);
                       }));
  }
  return true;
}

void CheckpointCoordinator::on_acknowledge(const AcknowledgeCheckpoint& ack) {
  const auto it = pending_.find(ack.checkpoint);
  if (it == pending_.end()) return;
  PendingCheckpoint& pending = it->second;
  const auto awaited = pending.awaiting.find(ack.attempt);
  if (awaited == pending.awaiting.end()) return;
  pending.acknowledged.insert(*awaited);
  pending.awaiting.erase(awaited);
  pending.states[ack.attempt.vertex] = ack.state;
  // Planted bug checkpoint-completes-on-first-ack (cmake/planted_bugs.cmake): the checkpoint
  // completes without the states of the tasks that have not acknowledged yet.
#ifndef FLINKSIM_PLANTED_BUG_CHECKPOINT_COMPLETES_ON_FIRST_ACK
  if (!pending.awaiting.empty()) return;
#endif
  PendingCheckpoint done = std::move(pending);
  pending_.erase(it);
  complete(std::move(done));
}

void CheckpointCoordinator::complete(PendingCheckpoint pending) {
  process_.cancel_timer(pending.canceller);
  if (is_savepoint(pending.type)) return complete_savepoint(std::move(pending));
  const CompletedCheckpoint completed{pending.id, pending.states};
  auto shared = std::make_shared<PendingCheckpoint>(std::move(pending));
  ++finalizing_;
  host_.persist_completed(completed, lifetime_.guard([this, shared](bool persisted) {
    --finalizing_;
    on_persisted(std::move(*shared), persisted);
    execute_queued_soon();
    if (finalizing_ > 0) return;
    std::vector<std::function<void()>> waiting = std::move(after_finalizing_);
    after_finalizing_.clear();
    for (const auto& callback : waiting) callback();
  }));
}

void CheckpointCoordinator::when_finalized(std::function<void()> callback) {
  if (finalizing_ == 0) return callback();
  after_finalizing_.push_back(std::move(callback));
}

void CheckpointCoordinator::on_persisted(PendingCheckpoint pending, bool persisted) {
  // With more than one concurrent checkpoint a newer one may have been finalized first; this one
  // is subsumed by it, and the store keeps completed checkpoints in id order.
  const std::optional<CheckpointId> newest = store_.newest_id();
  const bool subsumed = newest && *newest >= pending.id;
  if (!persisted || subsumed) {
    // Flink: FINALIZE_CHECKPOINT_FAILURE; the tasks abort it, and nothing may commit for it.
    ++stats_.failed;
    process_.context().trace_event(
        "checkpoint-coordinator", "checkpoint-failed",
        "id=" + std::to_string(pending.id) +
            (subsumed ? " CHECKPOINT_SUBSUMED" : " FINALIZE_CHECKPOINT_FAILURE"));
    for (const auto& [attempt, location] : pending.acknowledged) {
      auto aborted = std::make_shared<NotifyCheckpointAborted>();
      aborted->leader_session = leader_session_;
      aborted->attempt = attempt;
      aborted->checkpoint = pending.id;
      host_.send_to_task(location, std::move(aborted));
    }
    return;
  }
  ++stats_.completed;
  stats_.durations.push_back(process_.now() - pending.triggered);
  int64_t bytes = 0;
  // Flink's checkpointed data size: what this checkpoint uploaded (all of it unless incremental).
  for (const auto& [vertex, state] : pending.states) bytes += state.uploaded_bytes;
  stats_.sizes_bytes.push_back(bytes);
  decider_.on_completion(process_.now());
  failure_manager_.on_success(pending.id);
  process_.context().trace_event("checkpoint-coordinator", "checkpoint-completed",
                                 "id=" + std::to_string(pending.id));
  store_.add(CompletedCheckpoint{pending.id, pending.states});
  subsume_pending_older_than(pending.id);
  notify_complete(pending);
}

// Older pending checkpoints are subsumed (never counted).
void CheckpointCoordinator::subsume_pending_older_than(CheckpointId id) {
  std::vector<CheckpointId> older;
  for (const auto& [pending_id, other] : pending_) {
    if (pending_id < id) older.push_back(pending_id);
  }
  for (CheckpointId older_id : older) fail_pending(older_id, "CHECKPOINT_SUBSUMED", false);
}

void CheckpointCoordinator::notify_complete(const PendingCheckpoint& pending) {
  for (const auto& [attempt, location] : pending.acknowledged) {
    auto notify = std::make_shared<NotifyCheckpointComplete>();
    notify->leader_session = leader_session_;
    notify->attempt = attempt;
    notify->checkpoint = pending.id;
    host_.send_to_task(location, std::move(notify));
  }
}

std::optional<TaskStateSnapshot> CheckpointCoordinator::finished_state(
    const graph::ExecutionVertexId& vertex) const {
  const CompletedCheckpoint* latest = store_.latest();
  if (latest == nullptr) return std::nullopt;
  const auto it = latest->states.find(vertex);
  if (it == latest->states.end()) return std::nullopt;
  TaskStateSnapshot state = it->second;
  state.finished = true;
  state.uploaded_bytes = 0;  // a finished task uploads nothing (FinishedOperatorSubtaskState)
  return state;
}

void CheckpointCoordinator::on_task_finished(const ExecutionAttemptId& attempt) {
  std::vector<CheckpointId> done;
  for (auto& [id, pending] : pending_) {
    const auto awaited = pending.awaiting.find(attempt);
    if (awaited == pending.awaiting.end()) continue;
    std::optional<TaskStateSnapshot> state = finished_state(attempt.vertex);
    if (!state) continue;  // the checkpoint's timeout decides
    pending.awaiting.erase(awaited);
    pending.states[attempt.vertex] = std::move(*state);
    if (pending.awaiting.empty()) done.push_back(id);
  }
  for (CheckpointId id : done) {
    PendingCheckpoint pending = std::move(pending_.at(id));
    pending_.erase(id);
    complete(std::move(pending));
  }
}

void CheckpointCoordinator::on_decline(const DeclineCheckpoint& decline) {
  fail_pending(decline.checkpoint, decline.reason, decline.counted, true);
}

void CheckpointCoordinator::fail_pending(CheckpointId id, const std::string& reason, bool counted,
                                         bool task_level) {
  const auto it = pending_.find(id);
  if (it == pending_.end()) return;
  process_.cancel_timer(it->second.canceller);
  // CheckpointFailureManager: a savepoint's JobManager-side failure is never counted, a
  // synchronous one's task-side failure fails the job (the stop's handler does that), an
  // intermediate one's task-side failure counts as a checkpoint's would.
  const bool savepoint = is_savepoint(it->second.type);
  if (savepoint) counted = counted && task_level && !is_synchronous(it->second.type);
  std::optional<PendingCheckpoint> failed_savepoint;
  if (savepoint) failed_savepoint = it->second;
  std::map<ExecutionAttemptId, sim::EndpointId> tasks = it->second.awaiting;
  tasks.insert(it->second.acknowledged.begin(), it->second.acknowledged.end());
  pending_.erase(it);
  last_aborted_ = std::max(last_aborted_, id);
  for (const auto& [attempt, location] : tasks) {
    auto aborted = std::make_shared<NotifyCheckpointAborted>();
    aborted->leader_session = leader_session_;
    aborted->attempt = attempt;
    aborted->checkpoint = id;
    host_.send_to_task(location, std::move(aborted));
  }
  if (!savepoint) ++stats_.failed;
  process_.context().trace_event("checkpoint-coordinator",
                                 savepoint ? "savepoint-failed" : "checkpoint-failed",
                                 "id=" + std::to_string(id) + " " + reason);
  execute_queued_soon();
  if (failure_manager_.on_failure(id, counted)) {
    host_.on_tolerable_failures_exceeded("Exceeded checkpoint tolerable failure threshold.");
  }
  // Last: the requester may react with a failover, which aborts what is still pending.
  if (failed_savepoint) fail_savepoint(*failed_savepoint, reason);
}

void CheckpointCoordinator::abort_pending(const std::string& reason) {
  std::vector<CheckpointId> ids;
  for (const auto& [id, pending] : pending_) ids.push_back(id);
  for (CheckpointId id : ids) fail_pending(id, reason, false);
}

const CompletedCheckpoint* CheckpointCoordinator::latest_completed() const { return store_.latest(); }

void CheckpointCoordinator::recover(std::optional<CompletedCheckpoint> latest,
                                    CheckpointId next_id) {
  if (latest) {
    next_id = std::max(next_id, latest->id + 1);
    store_.add(std::move(*latest));
  }
  next_id_ = std::max(next_id_, next_id);
  // Whatever an earlier leader started and did not complete is over for this one.
  last_aborted_ = std::max(last_aborted_, next_id_ - 1);
}

}  // namespace flinksim::model::checkpoint
