// The Dispatcher's side of operator actions (Flink's Dispatcher#triggerSavepoint,
// #stopWithSavepoint, #cancelJob and #submitJob with SavepointRestoreSettings): requests are
// handed to the JobMaster of the job; a resubmission closes the JobMaster of the ended job and
// starts a new one, restored from the given snapshot. Without high availability only: with it,
// the new submission would go through the HA stores (not simulated).

#include "model/dispatcher/job_manager_process.h"

namespace flinksim::model {

bool JobManagerProcess::trigger_savepoint(checkpoint::SnapshotType type,
                                          checkpoint::SavepointCallback done) {
  if (!alive() || !job_master_) return false;
  job_master_->trigger_savepoint(type, std::move(done));
  return true;
}

bool JobManagerProcess::cancel_job() {
  if (!alive() || !job_master_) return false;
  job_master_->cancel();
  return true;
}

std::optional<checkpoint::CompletedCheckpoint> JobManagerProcess::latest_checkpoint() const {
  if (!alive() || !job_master_ || job_master_->latest_checkpoint() == nullptr) return std::nullopt;
  return *job_master_->latest_checkpoint();
}

bool JobManagerProcess::resubmit_job(checkpoint::CompletedCheckpoint restore) {
  if (!alive() || options_.high_availability.enabled) return false;
  if (job_master_ && !is_globally_terminal(job_master_->status())) return false;
  if (job_master_ && job_master_->checkpoint_stats()) {
    closed_checkpoint_stats_.emplace_back(now(), *job_master_->checkpoint_stats());
  }
  job_master_.reset();
  trace("job submitted", options_.job.name() + " from snapshot " + std::to_string(restore.id));
  ha::RecoveredJob recovered;
  // CheckpointCoordinator#restoreSavepoint: the checkpoint id counter continues after the
  // snapshot's id.
  recovered.next_checkpoint_id = restore.id + 1;
  recovered.latest_checkpoint = std::move(restore);
  recovered.resubmitted = true;
  start_job_master(LeaderSessionId{next_leader_session_++}, std::move(recovered));
  return true;
}

}  // namespace flinksim::model
