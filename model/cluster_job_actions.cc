// The Cluster's operator actions (SCENARIOS.md §2): at their time, or after their protocol
// moment, the Cluster plays the Flink user at the REST API: it asks the Dispatcher for a
// savepoint, a stop or a cancellation, and submits the job again from the latest savepoint or
// retained checkpoint. It also records what the actions did: savepoints, submissions, downtimes.
// With high availability the requests go to the leading JobManager (Flink's REST handlers reach
// the leader's Dispatcher through the leader retrieval service); without a leader nothing runs.

#include "model/cluster.h"

namespace flinksim::model {

void Cluster::schedule_action(size_t index) {
  if (plan_.actions[index].after) return;  // on_trace_event schedules it
  context_.simulation().schedule_at(plan_.actions[index].at, [this, index] { perform_action(index); });
}

void Cluster::perform_action(size_t index) {
  action_applied_[index] = true;
  const JobAction& action = plan_.actions[index];
  context_.trace_event("actions", "perform", action.text);
  switch (action.kind) {
    case JobAction::Kind::savepoint:
    case JobAction::Kind::stop_with_savepoint: trigger_savepoint_action(action); break;
    case JobAction::Kind::cancel:
      if (!acting_jobmanager() || !acting_jobmanager()->cancel_job()) return refuse_action(action, "no job runs");
      if (!stopped_at_) stopped_at_ = context_.now();
      break;
    case JobAction::Kind::start_from_savepoint:
    case JobAction::Kind::start_from_checkpoint: resubmit_action(action); break;
  }
}

JobManagerProcess* Cluster::acting_jobmanager() const {
  for (const auto& jm : jobmanagers_) {
    if (jm->is_leader()) return jm.get();
  }
  return nullptr;
}

JobStatus Cluster::acting_job_status() const {
  const JobManagerProcess* jm = acting_jobmanager();
  return jm ? jm->job_status().value_or(JobStatus::lost) : JobStatus::lost;
}

void Cluster::refuse_action(const JobAction& action, const std::string& why) {
  context_.trace_event("actions", "refused", action.text + ": " + why);
  metrics_.actions_refused.push_back(sim::format_duration(context_.now() - sim::Instant::zero()) +
                                     " " + action.text + ": " + why);
}

void Cluster::trigger_savepoint_action(const JobAction& action) {
  const bool stop = action.kind == JobAction::Kind::stop_with_savepoint;
  const size_t record = metrics_.savepoints.size();
  metrics_.savepoints.push_back(SavepointRecord{0, std::string(checkpoint::to_string(action.snapshot_type())),
                                                context_.now(), std::nullopt, 0, ""});
  JobManagerProcess* jm = acting_jobmanager();
  const bool asked = jm != nullptr && jm->trigger_savepoint(
      action.snapshot_type(), [this, record, stop, native = action.native_format](const checkpoint::SavepointResult& result) {
        SavepointRecord& savepoint = metrics_.savepoints[record];
        savepoint.id = result.id;
        if (!result.savepoint) {
          savepoint.failure = result.failure;
          // The stop failed: the job runs on, nothing was stopped for good.
          if (stop) stopped_at_.reset();
          return;
        }
        savepoint.duration = context_.now() - savepoint.triggered;
        savepoint.size_bytes = result.bytes;
        latest_savepoint_ = result.savepoint;
        latest_savepoint_native_ = native;
      });
  if (!asked) {
    metrics_.savepoints[record].failure = "no job runs";
    return refuse_action(action, "no job runs");
  }
  // The sources stop with the trigger: the job is down from here if the stop succeeds.
  if (stop && !stopped_at_ && metrics_.savepoints[record].failure.empty()) stopped_at_ = context_.now();
}

std::optional<checkpoint::CompletedCheckpoint> Cluster::retained_checkpoint(std::string& refusal) const {
  // ExternalizedCheckpointRetention → CheckpointProperties: every policy deletes the checkpoint
  // of a FINISHED job; DELETE_ON_CANCELLATION keeps it only when the job FAILED,
  // RETAIN_ON_CANCELLATION also when it was CANCELED; NO_EXTERNALIZED_CHECKPOINTS never.
  using Retention = CheckpointOptions::Retention;
  const Retention retention = options_.checkpointing.retention;
  const JobStatus status = acting_job_status();
  const bool kept = (status == JobStatus::failed && retention != Retention::no_externalized_checkpoints) ||
                    (status == JobStatus::canceled && retention == Retention::retain_on_cancellation);
  if (!kept) {
    refusal = "no retained checkpoint: the job is " + std::string(to_string(status)) +
              " and execution.checkpointing.externalized-checkpoint-retention does not keep its checkpoints";
    return std::nullopt;
  }
  std::optional<checkpoint::CompletedCheckpoint> latest =
      acting_jobmanager() ? acting_jobmanager()->latest_checkpoint() : std::nullopt;
  if (!latest) refusal = "the job completed no checkpoint";
  return latest;
}

void Cluster::resubmit_action(const JobAction& action) {
  const bool from_savepoint = action.kind == JobAction::Kind::start_from_savepoint;
  std::string refusal = "no savepoint completed";
  std::optional<checkpoint::CompletedCheckpoint> restore =
      from_savepoint ? latest_savepoint_ : retained_checkpoint(refusal);
  if (!restore) return refuse_action(action, refusal);
  const JobStatus status = acting_job_status();
  if (!is_globally_terminal(status)) {
    return refuse_action(action, "the job is still " + std::string(to_string(status)) +
                                     " (a second job beside it is not simulated)");
  }
  context_.trace_event("actions", "claim-mode",
                       action.claim_mode == ClaimMode::claim ? "CLAIM" : "NO_CLAIM");
  // FLIP-193: only a claimed snapshot in the backend's own format can be the base of the new
  // job's incremental checkpoints; after NO_CLAIM, or a canonical savepoint, the first is full.
  const bool reusable = action.claim_mode == ClaimMode::claim && (!from_savepoint || latest_savepoint_native_);
  for (auto& [vertex, state] : restore->states) state.incremental_base = reusable;
  // Recorded first: the new JobMaster reports RUNNING while it is being submitted.
  if (metrics_.submissions.empty()) metrics_.submissions.push_back(JobSubmission{sim::Instant::zero()});
  metrics_.submissions.back().status = status;
  metrics_.submissions.push_back(JobSubmission{context_.now(), restore->id,
                                               from_savepoint ? "savepoint" : "checkpoint",
                                               JobStatus::created, std::nullopt, std::nullopt});
  if (!acting_jobmanager() || !acting_jobmanager()->resubmit_job(std::move(*restore))) {
    metrics_.submissions.pop_back();
    return refuse_action(action, "the JobManager cannot take a submission");
  }
  // The run goes on with the new submission.
  metrics_.ended_at.reset();
  metrics_.finished_at.reset();
}

bool Cluster::resubmission_pending() const {
  for (size_t i = 0; i < plan_.actions.size(); ++i) {
    if (plan_.actions[i].submits() && !action_applied_[i]) return true;
  }
  return false;
}

void Cluster::note_submission_status(sim::Instant time, JobStatus status) {
  if (metrics_.submissions.empty()) metrics_.submissions.push_back(JobSubmission{sim::Instant::zero()});
  JobSubmission& current = metrics_.submissions.back();
  current.status = status;
  if (is_globally_terminal(status)) current.ended_at = time;
}

void Cluster::note_submission_running() {
  // Every task of the current submission runs (or finished): an upgrade's downtime ends.
  if (!stopped_at_ || metrics_.submissions.size() < 2) return;
  size_t expected = 0;
  for (const graph::JobVertex& vertex : options_.job.vertices()) expected += static_cast<size_t>(vertex.parallelism);
  const bool all_up = task_states_.size() == expected &&
                      std::all_of(task_states_.begin(), task_states_.end(), [](const auto& entry) {
                        return entry.second == ExecutionState::running || entry.second == ExecutionState::finished;
                      });
  if (!all_up) return;
  metrics_.submissions.back().downtime = context_.now() - *stopped_at_;
  stopped_at_.reset();
}

}  // namespace flinksim::model
