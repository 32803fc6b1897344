// The TaskExecutor's INITIALIZING phase: restoring a task's state before it runs (Flink's
// StreamTaskStateInitializerImpl, which the state backends' restore operations serve). The time
// a restore takes follows the state's size: from the checkpoint storage at the read bandwidth it
// shares with other transfers, or, with execution.state-recovery.from-local, from this
// TaskManager's disk when it kept a copy of that checkpoint's snapshot (Flink's
// TaskLocalStateStore; a task rescheduled elsewhere reads the storage). A storage that cannot
// be reached fails the task with an IOException, which its restart strategy counts.

#include "model/taskexecutor/task_executor.h"

namespace flinksim::model {

void TaskExecutor::initialize(const ExecutionAttemptId& attempt) {
  transition(attempt, ExecutionState::initializing);
  if (is_initializing(attempt)) restore_state(attempt);
}

bool TaskExecutor::is_initializing(const ExecutionAttemptId& attempt) const {
  const auto it = tasks_.find(attempt);
  return it != tasks_.end() && it->second.state == ExecutionState::initializing;
}

void TaskExecutor::restore_state(const ExecutionAttemptId& attempt) {
  const TaskDeploymentDescriptor& deployment = tasks_.at(attempt).deployment;
  if (!deployment.restore) return open_task(attempt);
  tasks_[attempt].restore_started = process_.now();
  if (const std::optional<int64_t> bytes = local_copy(deployment)) {
    process_.context().trace_event(deployment.task_name, "restore-local", "bytes=" + std::to_string(*bytes));
    const int64_t nanoseconds = static_cast<int64_t>(
        static_cast<__int128>(*bytes) * 1'000'000'000 / options_.local_recovery.disk_bytes_per_second);
    tasks_[attempt].timer =
        process_.set_timer(sim::Duration::nanoseconds(nanoseconds), [this, attempt] { open_task(attempt); });
    return;
  }
  download_state(attempt);
}

std::optional<int64_t> TaskExecutor::local_copy(const TaskDeploymentDescriptor& deployment) const {
  if (!options_.local_recovery.enabled) return std::nullopt;
  const auto subtask = local_state_.find(deployment.attempt.vertex);
  if (subtask == local_state_.end()) return std::nullopt;
  const auto copy = subtask->second.find(deployment.restored_checkpoint);
  if (copy == subtask->second.end()) return std::nullopt;
  return copy->second;
}

void TaskExecutor::download_state(const ExecutionAttemptId& attempt) {
  const TaskDeploymentDescriptor& deployment = tasks_.at(attempt).deployment;
  auto request = std::make_shared<checkpoint::DownloadState>();
  request->attempt = attempt;
  request->checkpoint = deployment.restored_checkpoint;
  request->bytes = deployment.restore->state_bytes;
  process_.context().trace_event(deployment.task_name, "restore-download", "bytes=" + std::to_string(request->bytes));
  process_.send(endpoint_, directory_.checkpoint_storage, std::move(request), [this, attempt](sim::DeliveryFailure) {
    if (!is_initializing(attempt)) return;
    transition(attempt, ExecutionState::failed,
               FailureCause{FailureCause::Kind::task_exception,
                            "IOException: could not read the checkpoint's state from the checkpoint storage", {}});
  });
}

void TaskExecutor::on_state_downloaded(const checkpoint::DownloadComplete& done) {
  if (is_initializing(done.attempt)) open_task(done.attempt);
}

void TaskExecutor::open_task(const ExecutionAttemptId& attempt) {
  if (const std::optional<sim::Instant> started = tasks_[attempt].restore_started) {
    stats().restores.emplace_back(*started, process_.now() - *started);
  }
  tasks_[attempt].timer = process_.set_timer(options_.task_initialize_time, [this, attempt] {
    transition(attempt, ExecutionState::running);
  });
}

void TaskExecutor::keep_local_copy(const graph::ExecutionVertexId& vertex, checkpoint::CheckpointId checkpoint,
                                   int64_t bytes) {
  if (options_.local_recovery.enabled) local_state_[vertex][checkpoint] = bytes;
}

}  // namespace flinksim::model
