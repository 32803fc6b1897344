#include "model/cluster.h"

#include <algorithm>
#include <utility>

#include "sim/assert.h"

namespace flinksim::model {

Cluster::Cluster(sim::Context& context, ClusterOptions options, FaultPlan plan)
    : context_(context),
      options_(std::move(options)),
      plan_(std::move(plan)),
      fault_applied_(plan_.faults.size(), false),
      action_applied_(plan_.actions.size(), false) {
  options_.seed = context_.seed();
  sink_store_ = std::make_unique<SinkStoreProcess>(context_, context_.network().add_host("sink-store"));
  directory_.sink_store = sink_store_->endpoint();
  checkpoint_storage_ = std::make_unique<checkpoint::CheckpointStorageProcess>(
      context_, context_.network().add_host("checkpoint-storage"),
      options_.checkpoint_storage);
  directory_.checkpoint_storage = checkpoint_storage_->endpoint();
  directory_.stats = &metrics_.data_plane;
  JobManagerProcess::Services services;
  services.checkpoint_storage = checkpoint_storage_->endpoint();
  if (options_.high_availability.enabled) {
    zookeeper_ =
        std::make_unique<ha::ZooKeeperProcess>(context_, context_.network().add_host("zookeeper"));
    services.zookeeper = zookeeper_->endpoint();
    directory_.zookeeper = zookeeper_->endpoint();
  }
  for (int i = 0; i < options_.jobmanagers; ++i) {
    const std::string name = "jobmanager-" + std::to_string(i);
    jobmanagers_.push_back(std::make_unique<JobManagerProcess>(
        context_, context_.network().add_host(name), name, options_, *this,
        [this] { add_taskmanager(options_.taskmanager_startup); }, services));
  }
  // Without high availability the ResourceManager's address is configured; with it, found by
  // leader retrieval.
  if (!options_.high_availability.enabled) {
    directory_.resource_manager = jobmanagers_.front()->resource_manager_endpoint();
  }
}

Cluster::~Cluster() { context_.trace().set_listener({}); }

void Cluster::add_taskmanager(sim::Duration startup_delay) {
  const std::string name = "taskmanager-" + std::to_string(taskmanagers_.size());
  taskmanagers_.push_back(std::make_unique<TaskManagerProcess>(
      context_, context_.network().add_host(name), name, options_, directory_));
  TaskManagerProcess* tm = taskmanagers_.back().get();
  context_.simulation().schedule_after(startup_delay, [tm] {
    if (!tm->alive()) tm->start();
  });
}

void Cluster::report_pod_terminated(const TaskManagerProcess& taskmanager) {
  // On Kubernetes the ResourceManager watches its pods (KubernetesResourceManagerDriver): a dead
  // TaskManager is reported after the pod watch's delay, not after heartbeats.
  if (options_.deployment != Deployment::kubernetes) return;
  const ResourceId resource_id = taskmanager.resource_id();
  context_.simulation().schedule_after(options_.pod_watch_delay, [this, resource_id] {
    context_.trace_event("kubernetes", "pod terminated", resource_id);
    for (auto& jm : jobmanagers_) jm->on_pod_terminated(resource_id);
  });
}

void Cluster::run() {
  context_.network().set_connect_timeout(options_.ask_timeout);
  sink_store_->start();
  checkpoint_storage_->start();
  if (zookeeper_) zookeeper_->start();
  for (auto& jm : jobmanagers_) jm->start();
  for (int i = 0; i < options_.taskmanagers + options_.standby_taskmanagers; ++i) {
    add_taskmanager(sim::Duration::zero());
  }
  for (size_t i = 0; i < plan_.faults.size(); ++i) schedule_fault(i);
  for (size_t i = 0; i < plan_.actions.size(); ++i) schedule_action(i);
  context_.trace().set_listener([this](const sim::TraceEvent& event) { on_trace_event(event); });
  if (plan_.random) {
    random_kill_rng_ = std::make_unique<sim::Rng>(context_.fork_rng("random-kill-taskmanager"));
    random_task_rng_ = std::make_unique<sim::Rng>(context_.fork_rng("random-fail-task"));
    if (plan_.random->kill_taskmanager_per_second > 0) schedule_random_kill(*random_kill_rng_);
    if (plan_.random->fail_task_per_second > 0) schedule_random_task_failure(*random_task_rng_);
  }
  context_.simulation().run_until(sim::Instant::zero() + options_.duration);
  // The job's final status is what a JobManager still knows of it.
  // What the newest leadership knows (a deposed leader may still hold a stale view).
  std::optional<JobStatus> known;
  LeaderSessionId newest;
  for (const auto& jm : jobmanagers_) {
    const auto status = jm->job_status();
    if (!status || (known && jm->leader_session() < newest)) continue;
    known = status;
    newest = jm->leader_session();
  }
  metrics_.checkpoints = merged_checkpoint_stats();
  // With high availability a job no JobManager runs lives on in the HA stores: SUSPENDED until a
  // leader takes it up (or its end, if it reached one).
  const JobStatus unknown = !options_.high_availability.enabled ? JobStatus::lost
                            : is_globally_terminal(job_status_) ? job_status_
                                                                : JobStatus::suspended;
  metrics_.final_status = known.value_or(unknown);
  metrics_.committed_output = sink_store_->committed();
  metrics_.sink_transactions_aborted = static_cast<int64_t>(sink_store_->aborted_transactions());
  metrics_.sink_transactions_timed_out = sink_store_->timed_out_transactions();
  metrics_.sink_records_timed_out = sink_store_->timed_out_records();
  if (metrics_.final_status == JobStatus::lost) close_lost_episode();
  close_unrecovered_episode(context_.now());
  record_faults_not_applied();
}

void Cluster::schedule_fault(size_t index) {
  if (plan_.faults[index].after) return;  // on_trace_event schedules it
  context_.simulation().schedule_at(plan_.faults[index].at, [this, index] {
    fault_applied_[index] = true;
    inject(plan_.faults[index]);
  });
}

void Cluster::on_trace_event(const sim::TraceEvent& event) {
  if (std::optional<std::string> violation = invariants_.on_event(event)) {
    // Stop where it happened, with what replays it.
    metrics_.invariant_violation = "SEED=" + std::to_string(context_.seed()) + ": " + *violation;
    context_.simulation().request_stop();
  }
  for (size_t index = 0; index < plan_.faults.size(); ++index) {
    Fault& fault = plan_.faults[index];
    if (!fault.after || fault.at != sim::Instant::max() || !fault.after->matches(event)) continue;
    fault.at = event.time + fault.after->delay;
    context_.simulation().schedule_at(fault.at, [this, index] {
      fault_applied_[index] = true;
      inject(plan_.faults[index]);
    });
  }
  for (size_t index = 0; index < plan_.actions.size(); ++index) {
    JobAction& action = plan_.actions[index];
    if (!action.after || action.at != sim::Instant::max() || !action.after->matches(event)) continue;
    action.at = event.time + action.after->delay;
    context_.simulation().schedule_at(action.at, [this, index] { perform_action(index); });
  }
}

void Cluster::record_faults_not_applied() {
  for (size_t i = 0; i < plan_.faults.size(); ++i) {
    if (!fault_applied_[i]) metrics_.faults_not_applied.push_back(plan_.faults[i]);
  }
}

sim::Process* Cluster::resolve(const std::string& name) {
  for (auto& jm : jobmanagers_) {
    if (jm->name() == name) return jm.get();
  }
  for (auto& tm : taskmanagers_) {
    if (tm->name() == name) return tm.get();
  }
  if (name == sink_store_->name()) return sink_store_.get();
  if (name == checkpoint_storage_->name()) return checkpoint_storage_.get();
  if (zookeeper_ && name == zookeeper_->name()) return zookeeper_.get();
  if (name == "jobmanager-leader") {
    for (auto& jm : jobmanagers_) {
      if (jm->is_leader()) return jm.get();
    }
    for (auto& jm : jobmanagers_) {
      if (jm->alive()) return jm.get();
    }
    return nullptr;
  }
  const std::string prefix = "taskmanager-of ";
  if (name.rfind(prefix, 0) == 0) {
    const std::string task = name.substr(prefix.size());
    const auto colon = task.rfind(':');
    const auto vertex = options_.job.find_vertex(task.substr(0, colon));
    if (!vertex || colon == std::string::npos) return nullptr;
    const graph::ExecutionVertexId id{*vertex, static_cast<uint32_t>(std::stoul(task.substr(colon + 1)))};
    for (auto& tm : taskmanagers_) {
      if (tm->runs(id)) return tm.get();
    }
  }
  return nullptr;
}

void Cluster::inject(const Fault& fault) {
  context_.trace_event("faults", "inject", fault.target);
  switch (fault.kind) {
    case Fault::Kind::kill:
      if (sim::Process* process = resolve(fault.target)) {
        note_fault(runs_tasks(*process));
        process->crash();
        if (const auto* tm = dynamic_cast<const TaskManagerProcess*>(process)) report_pod_terminated(*tm);
        note_job_lost_if_unknown();
      }
      break;
    case Fault::Kind::restart:
      if (sim::Process* process = resolve(fault.target); process && !process->alive()) {
        process->start();
      }
      break;
    case Fault::Kind::fail_task: {
      const auto colon = fault.target.rfind(':');
      const auto vertex = options_.job.find_vertex(fault.target.substr(0, colon));
      if (!vertex) break;
      const graph::ExecutionVertexId id{*vertex,
                                        static_cast<uint32_t>(std::stoul(fault.target.substr(colon + 1)))};
      for (auto& tm : taskmanagers_) {
        if (tm->fail_task(id, "injected failure")) {
          note_fault(true);
          break;
        }
      }
      break;
    }
    case Fault::Kind::outage: {
      sim::Process* service = resolve(fault.target);
      if (service == nullptr || !service->alive()) break;
      // Losing ZooKeeper costs the leader its leadership: a failure episode starts here.
      if (service == zookeeper_.get()) note_fault();
      service->crash();
      if (fault.duration) {
        context_.simulation().schedule_after(*fault.duration, [this, service, fault] {
          context_.trace_event("faults", "outage over", fault.target);
          if (!service->alive()) service->start();
        });
      }
      break;
    }
    case Fault::Kind::partition: {
      sim::Process* a = resolve(fault.target);
      sim::Process* b = resolve(fault.peer);
      if (a == nullptr || b == nullptr) break;
      note_fault();
      const sim::PartitionId partition = context_.network().partition(
          {a->host()}, {b->host()},
          fault.one_way ? sim::PartitionDirection::one_way : sim::PartitionDirection::both_ways);
      if (fault.duration) {
        context_.simulation().schedule_after(*fault.duration, [this, partition, fault] {
          context_.trace_event("faults", "heal", fault.target + " <-> " + fault.peer);
          context_.network().heal(partition);
        });
      }
      break;
    }
    case Fault::Kind::slow: slow_down(fault); break;
  }
}

void Cluster::slow_down(const Fault& fault) {
  sim::Process* a = resolve(fault.target);
  sim::Process* b = resolve(fault.peer);
  if (a == nullptr || b == nullptr) return;
  note_fault();
  // Hosts, not processes, are slowed: a TaskManager restarted on the same host stays behind the
  // slow link until the fault is over.
  const sim::HostId host_a = a->host();
  const sim::HostId host_b = b->host();
  context_.network().add_latency(host_a, host_b, fault.extra_latency);
  if (fault.duration) {
    context_.simulation().schedule_after(*fault.duration, [this, host_a, host_b, fault] {
      context_.trace_event("faults", "link restored", fault.target + " <-> " + fault.peer);
      context_.network().remove_latency(host_a, host_b, fault.extra_latency);
    });
  }
}

void Cluster::schedule_random_kill(sim::Rng& rng) {
  const double seconds = rng.exponential(1.0 / plan_.random->kill_taskmanager_per_second);
  const sim::Instant at = context_.now() + sim::Duration::nanoseconds(static_cast<int64_t>(seconds * 1e9));
  if (at > plan_.random->until) return;
  context_.simulation().schedule_at(at, [this, &rng] {
    std::vector<TaskManagerProcess*> alive;
    for (auto& tm : taskmanagers_) {
      if (tm->alive()) alive.push_back(tm.get());
    }
    if (!alive.empty()) {
      TaskManagerProcess* victim = alive[static_cast<size_t>(rng.uniform_int(0, alive.size() - 1))];
      inject(Fault{context_.now(), Fault::Kind::kill, victim->name(), {}, {}, false, {}, {}});
    }
    schedule_random_kill(rng);
  });
}

void Cluster::schedule_random_task_failure(sim::Rng& rng) {
  const double seconds = rng.exponential(1.0 / plan_.random->fail_task_per_second);
  const sim::Instant at = context_.now() + sim::Duration::nanoseconds(static_cast<int64_t>(seconds * 1e9));
  if (at > plan_.random->until) return;
  context_.simulation().schedule_at(at, [this, &rng] {
    std::vector<std::string> tasks;
    for (const graph::JobVertex& vertex : options_.job.vertices()) {
      for (int i = 0; i < vertex.parallelism; ++i) tasks.push_back(vertex.name + ":" + std::to_string(i));
    }
    const std::string& task = tasks[static_cast<size_t>(rng.uniform_int(0, tasks.size() - 1))];
    inject(Fault{context_.now(), Fault::Kind::fail_task, task, {}, {}, false, {}, {}});
    schedule_random_task_failure(rng);
  });
}

// ---- Recording ---------------------------------------------------------------------------------

std::optional<checkpoint::CheckpointStats> Cluster::merged_checkpoint_stats() const {
  std::vector<std::pair<sim::Instant, checkpoint::CheckpointStats>> all;
  for (const auto& jm : jobmanagers_) {
    all.insert(all.end(), jm->closed_checkpoint_stats().begin(),
               jm->closed_checkpoint_stats().end());
    if (const auto* stats = jm->checkpoint_stats()) all.emplace_back(context_.now(), *stats);
  }
  if (all.empty()) return std::nullopt;
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  checkpoint::CheckpointStats merged;
  for (const auto& [closed, stats] : all) {
    merged.completed += stats.completed;
    merged.failed += stats.failed;
    merged.restored_from.insert(merged.restored_from.end(), stats.restored_from.begin(),
                                stats.restored_from.end());
    merged.durations.insert(merged.durations.end(), stats.durations.begin(), stats.durations.end());
    merged.sizes_bytes.insert(merged.sizes_bytes.end(), stats.sizes_bytes.begin(), stats.sizes_bytes.end());
  }
  return merged;
}

void Cluster::note_fault(bool stops_tasks) {
  if (episode_start_) return;
  if (!pending_fault_) pending_fault_ = context_.now();
  if (stops_tasks && !pending_disruption_) pending_disruption_ = context_.now();
}

bool Cluster::runs_tasks(const sim::Process& process) const {
  for (const auto& tm : taskmanagers_) {
    if (tm.get() != &process) continue;
    for (const auto& [vertex, state] : task_states_) {
      if (!is_terminal(state) && tm->runs(vertex)) return true;
    }
  }
  return false;
}

bool Cluster::from_newest_leader(LeaderSessionId session) {
  if (session < newest_leader_) return false;
  if (newest_leader_ < session) {
    newest_leader_ = session;
    task_states_.clear();
  }
  return true;
}

// Tasks not deployed since they were last scheduled: still CREATED (never reported), waiting
// for a slot, or failed before deployment (NoResourceAvailableException).
int64_t Cluster::not_started(const std::vector<graph::ExecutionVertexId>& tasks) const {
  return std::count_if(tasks.begin(), tasks.end(), [this](const graph::ExecutionVertexId& task) {
    return !deployed_.contains(task);
  });
}

void Cluster::on_job_status(sim::Instant time, LeaderSessionId session, JobStatus status) {
  if (!from_newest_leader(session)) return;
  job_status_ = status;
  if (!plan_.actions.empty()) note_submission_status(time, status);
  if (status == JobStatus::finished) metrics_.finished_at = time;
  if (is_globally_terminal(status)) {
    metrics_.ended_at = time;
    update_episode();
    // A job that fails at a fault without any restart (no restart strategy) still had an
    // episode: the one it never recovers from.
    if (status == JobStatus::failed && !episode_start_ && pending_fault_) {
      episode_start_ = pending_fault_;
      metrics_.last_episode_start = episode_start_;
      episode_disruption_ = pending_disruption_.value_or(time);
      pending_fault_.reset();
      pending_disruption_.reset();
    }
    // A job that ends while tasks are still down never recovers from this episode.
    close_unrecovered_episode(time);
    // Let in-flight messages settle briefly, then end the run: nothing more can happen. With
    // high availability only once the end is recorded: a deposed leader may end its job in
    // vain while the new one runs it.
    // A job that an action submits again later goes on.
    if (!options_.high_availability.enabled && !resubmission_pending()) context_.simulation().request_stop();
  }
}

void Cluster::on_job_failing(sim::Instant, LeaderSessionId session, const std::string& reason) {
  if (from_newest_leader(session)) metrics_.failure_reason = reason;
}

void Cluster::on_job_result_recorded(sim::Instant, JobStatus) {
  context_.simulation().request_stop();
}

void Cluster::on_task_state(sim::Instant, LeaderSessionId session, graph::ExecutionVertexId vertex,
                            ExecutionState state) {
  if (!from_newest_leader(session)) return;
  task_states_[vertex] = state;
  // A new attempt is SCHEDULED; DEPLOYING is where it starts to run.
  if (state == ExecutionState::scheduled) deployed_.erase(vertex);
  if (state == ExecutionState::deploying) deployed_.insert(vertex);
  update_episode();
  note_submission_running();
}

void Cluster::on_failover(sim::Instant time, LeaderSessionId session,
                          std::optional<graph::ExecutionVertexId> failed,
                          const std::vector<graph::ExecutionVertexId>& restarted, sim::Duration delay,
                          const FailureCause& cause) {
  ++metrics_.failovers;
  metrics_.tasks_restarted += static_cast<int64_t>(restarted.size());
  metrics_.tasks_restarted_not_started += not_started(restarted);
  FailoverRecord record{time, failed ? task_name(options_.job, *failed) : "global", {}, delay,
                        cause.message, failure_origin(cause), {}};
  // Inputs come only with a task failure's failover; a global one has none.
  FailoverInputs inputs = std::exchange(next_failover_inputs_, {});
  if (failed) record.inputs = std::move(inputs);
  for (const auto& id : restarted) record.restarted_tasks.push_back(task_name(options_.job, id));
  std::sort(record.restarted_tasks.begin(), record.restarted_tasks.end());
  metrics_.failover_log.push_back(std::move(record));
  // A deposed leader restarting tasks in vain does not disrupt the job the new leader runs.
  if (!from_newest_leader(session)) return;
  if (!episode_start_) {
    episode_start_ = pending_fault_.value_or(time);
    metrics_.last_episode_start = episode_start_;
    // A JobManager failover stops the whole job from the fault on, and so does a fault that
    // stopped tasks (a killed TaskManager, a failed task) from that fault, however long its
    // detection takes: nothing downstream of a dead task commits meanwhile. Other faults (a
    // partition, a slow link, an outage) leave the tasks running until the failover.
    episode_disruption_ = leader_recovery_ ? *episode_start_ : pending_disruption_.value_or(time);
    pending_fault_.reset();
    pending_disruption_.reset();
  }
  leader_recovery_ = false;
}

void Cluster::on_failover_inputs(const FailoverInputs& inputs) { next_failover_inputs_ = inputs; }

void Cluster::on_leader_recovery(sim::Instant) {
  leader_recovery_ = true;
}

void Cluster::close_unrecovered_episode(sim::Instant time) {
  if (!episode_start_) return;
  ++metrics_.unrecovered_episodes;
  // No committed progress from the disruption on: all of it is downtime.
  metrics_.downtime += time - *episode_disruption_;
  episode_start_.reset();
  episode_disruption_.reset();
}

void Cluster::note_job_lost_if_unknown() {
  if (options_.high_availability.enabled || job_lost_at_) return;
  for (const auto& jm : jobmanagers_) {
    if (jm->job_status()) return;
  }
  job_lost_at_ = context_.now();
}

// A lost job never comes back. Its orphaned tasks run on, and an at-once sink goes on
// committing, until their TaskManager misses the JobManager's heartbeats and fails them: the job
// is down from its loss or from its last commit, whichever is later, to the end of the run.
void Cluster::close_lost_episode() {
  if (!job_lost_at_) return;
  metrics_.ended_at = job_lost_at_;
  if (!episode_start_) {
    sim::Instant last_commit = *job_lost_at_;
    for (const CommittedRecord& c : metrics_.committed_output) last_commit = std::max(last_commit, c.committed_at);
    episode_start_ = pending_fault_.value_or(*job_lost_at_);
    metrics_.last_episode_start = episode_start_;
    episode_disruption_ = last_commit;
  }
  close_unrecovered_episode(context_.now());
}

void Cluster::update_episode() {
  if (!episode_start_) return;
  size_t expected = 0;
  for (const graph::JobVertex& vertex : options_.job.vertices()) expected += static_cast<size_t>(vertex.parallelism);
  const bool all_up =
      task_states_.size() == expected &&
      std::all_of(task_states_.begin(), task_states_.end(), [](const auto& entry) {
        return entry.second == ExecutionState::running || entry.second == ExecutionState::finished;
      });
  if (!all_up || job_status_ == JobStatus::failed) return;
  const sim::Instant now = context_.now();
  const sim::Duration recovery = now - *episode_start_;
  metrics_.recovery_time_max = std::max(metrics_.recovery_time_max.value_or(sim::Duration::zero()), recovery);
  metrics_.downtime += now - *episode_disruption_;
  metrics_.last_episode_recovered = now;
  episode_start_.reset();
  episode_disruption_.reset();
}

}  // namespace flinksim::model
