// The JobMaster's operator actions: savepoints, stop-with-savepoint and cancel (Flink's
// SchedulerBase#triggerSavepoint / #stopWithSavepoint / #cancel with the
// StopWithSavepointTerminationHandlerImpl of the default scheduler).
// - A savepoint needs a target directory: without `execution.checkpointing.savepoint-dir` the
//   request fails at once and the job is untouched.
// - stop-with-savepoint stops the periodic checkpoint scheduler, then takes a synchronous
//   savepoint. When it completes, the tasks (which ended their data before its barrier) commit
//   and finish, and the job is FINISHED. When it fails the checkpoint scheduler starts again;
//   a failure before the trigger reached any task leaves the job running as it was, one after
//   it (the sources already ended their data: tasks are in an inconsistent state) triggers a
//   global failover, which restores the latest checkpoint; the job runs on either way.
// - cancel: CANCELLING, every execution is cancelled, then CANCELED. Nothing is committed for
//   anything after the last completed checkpoint (the open transactions are never committed).

#include "model/jobmaster/job_master.h"

namespace flinksim::model {

void JobMaster::trigger_savepoint(checkpoint::SnapshotType type, checkpoint::SavepointCallback done) {
  checkpoint::SavepointResult refused{type, 0, process_.now(), std::nullopt, "", false, 0};
  if (options_.job.mode() == graph::JobMode::batch) {
    // A batch job has no CheckpointCoordinator (StopWithSavepointTerminationManager's
    // preconditions): Flink refuses before it looks at the job's status.
    refused.failure = "Job " + options_.job.name() + " is not a streaming job.";
  } else if (!checkpoints_ || status_ != JobStatus::running || stopping_) {
    refused.failure = "the job is not running (" + std::string(to_string(status_)) + ")";
  } else if (!options_.checkpointing.savepoint_dir) {
    refused.failure =
        "No savepoint directory configured. Configure a default via key "
        "'execution.checkpointing.savepoint-dir'.";
  }
  if (!refused.failure.empty()) {
    process_.trace("savepoint refused", refused.failure);
    return done(refused);
  }
  if (!checkpoint::is_synchronous(type)) return checkpoints_->trigger_savepoint(type, std::move(done));
  process_.trace("stop with savepoint", std::string(to_string(type)));
  stopping_ = std::move(done);
  checkpoints_->stop_scheduler();
  checkpoints_->trigger_savepoint(type, lifetime_.guard([this](const checkpoint::SavepointResult& result) {
    on_stop_savepoint(result);
  }));
}

void JobMaster::on_stop_savepoint(const checkpoint::SavepointResult& result) {
  checkpoint::SavepointCallback done = std::move(*stopping_);
  stopping_.reset();
  if (!result.savepoint) {
    // The stop failed: the job keeps running.
    if (is_schedulable()) checkpoints_->start_scheduler();
    if (result.reached_tasks && is_schedulable()) {
      handle_global_failure("Stop-with-savepoint failed (" + result.failure +
                            "): the tasks ended their data for it; a global fail-over recovers the job.");
    }
  }
  // Success: the tasks commit on the notification and finish; check_job_end sets FINISHED.
  done(result);
}

void JobMaster::cancel() {
  if (is_globally_terminal(status_) || is_terminating()) return;
  process_.trace("job cancelling", "requested");
  if (checkpoints_) {
    checkpoints_->stop_scheduler();
    checkpoints_->abort_pending("CHECKPOINT_COORDINATOR_SHUTDOWN");
  }
  pending_restarts_.clear();
  set_status(JobStatus::cancelling);
  for (graph::VertexIndex v = 0; v < executions_.size(); ++v) {
    // A FINISHED execution stays finished (Execution#cancel leaves final states alone).
    if (!is_terminal(executions_[v].state)) cancel_execution(v);
  }
  check_job_end();
}

}  // namespace flinksim::model
