// The JobMaster's side of high availability: recovery by a new leader, suspension on lost
// leadership, the HA stores behind checkpoints, and FLIP-383 batch job recovery (Flink's
// DefaultBatchJobRecoveryHandler with the JobEventManager): while a batch job runs, finished and
// reset vertices are recorded as job events; a new leader replays them, RECONCILES with the
// partitions the TaskExecutors still hold, keeps the finished work whose results survive and
// re-runs the rest.

#include <algorithm>

#include "model/jobmaster/job_master.h"

namespace flinksim::model {

bool JobMaster::records_job_events() const {
  return ha_ != nullptr && options_.batch_job_recovery.enabled &&
         options_.job.mode() == graph::JobMode::batch;
}

void JobMaster::start_recovered() {
  register_at_resource_manager();
  if (checkpoints_) {
    checkpoints_->recover(recovered_->latest_checkpoint, recovered_->next_checkpoint_id);
  }
  if (records_job_events() && !recovered_->events.empty()) return start_reconciling();
  // Dispatcher.recoverJobs → JobMaster start: the job runs again from the latest completed
  // checkpoint (a batch job without job recovery: from scratch); every task is deployed anew, as
  // running tasks do not survive a JobManager failover.
  std::vector<graph::VertexIndex> all;
  for (graph::VertexIndex v = 0; v < graph_.vertex_count(); ++v) all.push_back(v);
  run_recovered(all);
}

void JobMaster::run_recovered(const std::vector<graph::VertexIndex>& vertices) {
  set_status(JobStatus::running);
  if (checkpoints_) {
    if (const auto* latest = checkpoints_->latest_completed())
      checkpoints_->note_restore(latest->id);
  }
  std::vector<graph::ExecutionVertexId> ids;
  for (graph::VertexIndex v : vertices) ids.push_back(graph_.vertex(v).id);
  if (recovered_->resubmitted) {
    process_.trace("job restored", std::to_string(vertices.size()) + " tasks to deploy");
    return schedule(vertices);
  }
  process_.trace("job recovered", std::to_string(vertices.size()) + " tasks to deploy");
  observer_.on_leader_recovery(process_.now());
  observer_.on_failover(process_.now(), leader_session_, std::nullopt, ids, sim::Duration::zero(),
                        FailureCause{FailureCause::Kind::global_failure,
                                     "a new JobManager leader recovered the job", {}, {}});
  schedule(vertices);
}

void JobMaster::suspend(const std::string& reason) {
  process_.trace("job suspended", reason);
  if (checkpoints_) checkpoints_->stop_scheduler();
  if (reconciliation_) process_.cancel_timer(reconciliation_->timeout);
  reconciliation_.reset();
  for (const auto& [resource_id, tm] : task_managers_) {
    auto disconnect = std::make_shared<DisconnectJobManager>();
    disconnect->leader_session = leader_session_;
    disconnect->reason = "JobManager lost the leadership: " + reason;
    process_.send(endpoint_, tm.endpoint, std::move(disconnect));
  }
  task_managers_.clear();
  pending_restarts_.clear();
  set_status(JobStatus::suspended);
}

void JobMaster::persist_completed(const checkpoint::CompletedCheckpoint& checkpoint,
                                  std::function<void(bool)> done) {
  if (!ha_) return done(true);
#ifdef FLINKSIM_PLANTED_BUG_FENCED_LEADER_COMMITS
  // Planted bug fenced-leader-commits (cmake/planted_bugs.cmake): the checkpoint completes, and
  // the sinks commit, without waiting for ZooKeeper to take its pointer, so a leader whose
  // session is gone or cut off goes on committing.
  ha_->add_completed_checkpoint(checkpoint, [](bool) {});
  return done(true);
#endif
  ha_->add_completed_checkpoint(checkpoint, std::move(done));
}

void JobMaster::acquire_checkpoint_id(checkpoint::CheckpointId id, std::function<void(bool)> done) {
  if (!ha_) return done(true);
#ifdef FLINKSIM_PLANTED_BUG_FENCED_LEADER_COMMITS
  // Planted bug fenced-leader-commits: nor for the checkpoint id counter before a trigger.
  ha_->acquire_checkpoint_id(id, [](bool) {});
  return done(true);
#endif
  ha_->acquire_checkpoint_id(id, std::move(done));
}

// ---- FLIP-383: job events ----------------------------------------------------------------------

void JobMaster::start_job_event_store() {
  // JobEventManager.start with the JobMaster: the store's flusher ticks from here.
  if (records_job_events()) {
    job_events_ = std::make_unique<ha::JobEventWriter>(process_, *ha_,
                                                       options_.batch_job_recovery.flush_interval);
  }
}

bool JobMaster::job_vertex_finished(graph::VertexIndex vertex) const {
  const graph::JobVertexId job_vertex = graph_.vertex(vertex).id.vertex;
  const int parallelism = options_.job.vertex(job_vertex).parallelism;
  for (uint32_t subtask = 0; subtask < static_cast<uint32_t>(parallelism); ++subtask) {
    const graph::ExecutionVertexId id{job_vertex, subtask};
    if (executions_[graph_.index_of(id)].state != ExecutionState::finished) return false;
  }
  return true;
}

void JobMaster::record_vertex_finished(graph::VertexIndex vertex) {
  const Execution& execution = executions_[vertex];
  if (!execution.allocation || slots_.count(*execution.allocation) == 0) return;
  ha::JobEvent event;
  event.kind = ha::JobEvent::Kind::vertex_finished;
  event.vertices.push_back(graph_.vertex(vertex).id);
  event.location = slots_.at(*execution.allocation).resource_id;
  // DefaultBatchJobRecoveryHandler.onExecutionFinished: the event carries a snapshot when its
  // job vertex finished or snapshot.min-pause has passed since the last one (the first one takes
  // one: Flink's last snapshot time starts at 0 on a clock counted from the machine's boot); an
  // event that finishes its job vertex cuts the block, so it is written at once.
  const bool vertex_done = job_vertex_finished(vertex);
  const sim::Instant now = process_.now();
  event.snapshot =
      vertex_done || !last_job_event_snapshot_ ||
      now - *last_job_event_snapshot_ >= options_.batch_job_recovery.snapshot_min_pause;
  if (event.snapshot) last_job_event_snapshot_ = now;
  job_events_->write(std::move(event), vertex_done);
}

void JobMaster::record_vertices_reset(const std::vector<graph::VertexIndex>& vertices) {
  ha::JobEvent event;
  event.kind = ha::JobEvent::Kind::vertices_reset;
  for (graph::VertexIndex v : vertices) event.vertices.push_back(graph_.vertex(v).id);
  job_events_->write(std::move(event), false);
}

// ---- FLIP-383: reconciliation ------------------------------------------------------------------

void JobMaster::start_reconciling() {
  // Replay: a reset event takes back the finished record of its vertices; trailing finishes
  // without a snapshot are dropped (ha::replay_finished).
  Reconciliation reconciliation;
  for (const ha::ReplayedFinish& finish : ha::replay_finished(recovered_->events)) {
    if (graph_.contains(finish.vertex))
      reconciliation.finished[graph_.index_of(finish.vertex)] = finish.location;
  }
  for (const auto& [vertex, location] : reconciliation.finished)
    reconciliation.awaited.insert(location);
  process_.trace("job reconciling", std::to_string(reconciliation.finished.size()) +
                                        " finished tasks replayed, waiting for " +
                                        std::to_string(reconciliation.awaited.size()) +
                                        " TaskManagers");
  reconciliation.timeout =
      process_.set_timer(options_.batch_job_recovery.previous_worker_recovery_timeout,
                         lifetime_.guard([this] { finish_reconciling(); }));
  reconciliation_ = std::move(reconciliation);
  set_status(JobStatus::reconciling);
  if (reconciliation_->awaited.empty()) finish_reconciling();
}

void JobMaster::on_partitions_reported(const RegisterTaskManagerAtJobMaster& request) {
  if (!reconciliation_) return;
  for (const graph::ResultPartitionId& partition : request.partitions) {
    if (!graph_.contains(partition)) continue;
    reconciliation_->reported[graph_.index_of(partition)] = request.resource_id;
  }
  reconciliation_->awaited.erase(request.resource_id);
  if (reconciliation_->awaited.empty()) finish_reconciling();
}

bool JobMaster::partition_survived(graph::PartitionIndex partition) const {
  const auto reported = reconciliation_->reported.find(partition);
  const auto producer = reconciliation_->finished.find(graph_.partition(partition).producer);
  return reported != reconciliation_->reported.end() &&
         producer != reconciliation_->finished.end() && reported->second == producer->second;
}

void JobMaster::finish_reconciling() {
  if (!reconciliation_) return;
  process_.cancel_timer(reconciliation_->timeout);
  std::map<graph::VertexIndex, ResourceId>& finished = reconciliation_->finished;
  // A finished producer whose partition is gone must run again if some consumer still needs it
  // (is not finished); resetting it may make its own producers needed again: to a fixpoint.
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto it = finished.begin(); it != finished.end();) {
      bool needed_and_missing = false;
      for (graph::PartitionIndex p : graph_.vertex(it->first).produced_partitions) {
        if (partition_survived(p)) continue;
        const auto& consumers =
            graph_.consumer_vertex_groups()[graph_.partition(p).consumer_vertex_groups.front()]
                .vertices;
        needed_and_missing |=
            std::any_of(consumers.begin(), consumers.end(),
                        [&](graph::VertexIndex c) { return finished.count(c) == 0; });
      }
      if (needed_and_missing) {
        it = finished.erase(it);
        changed = true;
      } else {
        ++it;
      }
    }
  }
  std::vector<graph::VertexIndex> to_run;
  for (graph::VertexIndex v = 0; v < graph_.vertex_count(); ++v) {
    if (finished.count(v) == 0) {
      to_run.push_back(v);
      continue;
    }
    // Kept: finished, its partitions tracked where they survived.
    set_state(v, ExecutionState::finished);
    for (graph::PartitionIndex p : graph_.vertex(v).produced_partitions) {
      if (partition_survived(p)) tracked_partitions_[p] = finished.at(v);
    }
  }
  process_.trace("job reconciled", std::to_string(graph_.vertex_count() - to_run.size()) +
                                       " finished tasks kept, " + std::to_string(to_run.size()) +
                                       " to run");
  reconciliation_.reset();
  run_recovered(to_run);
  check_job_end();
}

}  // namespace flinksim::model
