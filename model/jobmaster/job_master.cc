#include "model/jobmaster/job_master.h"

#include <algorithm>

#include "model/graph/result_partition_type.h"
#include "sim/assert.h"

namespace flinksim::model {
namespace {

bool is_active(ExecutionState state) {
  return state == ExecutionState::deploying || state == ExecutionState::initializing ||
         state == ExecutionState::running;
}

bool is_pipelined(graph::ResultPartitionType type) {
  return graph::must_be_pipelined_consumed(type) ||
         type == graph::ResultPartitionType::pipelined_approximate;
}

// The stream partitioner of an edge: the one the scenario named, or for the low-level form the
// one Flink's DataStream API would pick (forward/rescale for pointwise edges, hash in front of a
// keyed operator, rebalance otherwise).
graph::Partitioner partitioner_of(const graph::JobGraph& job, graph::JobEdgeId id) {
  const graph::JobEdge& edge = job.edge(id);
  if (edge.partitioner) return *edge.partitioner;
  if (edge.distribution == graph::DistributionPattern::pointwise) {
    return job.vertex(edge.producer).parallelism == job.vertex(edge.consumer).parallelism
               ? graph::Partitioner::forward
               : graph::Partitioner::rescale;
  }
  const graph::OperatorKind kind = job.vertex(edge.consumer).operator_spec.kind;
  return kind == graph::OperatorKind::aggregate || kind == graph::OperatorKind::window
             ? graph::Partitioner::hash
             : graph::Partitioner::rebalance;
}

bool may_be_unaligned(graph::Partitioner partitioner) {
  return partitioner == graph::Partitioner::hash || partitioner == graph::Partitioner::rebalance;
}

}  // namespace

JobMaster::JobMaster(sim::Process& process, sim::EndpointId endpoint,
                     sim::EndpointId resource_manager, const ClusterOptions& options,
                     LeaderSessionId leader_session, JobObserver& observer,
                     ha::JobMasterHaServices* ha, std::optional<ha::RecoveredJob> recovered)
    : process_(process),
      endpoint_(endpoint),
      resource_manager_(resource_manager),
      options_(options),
      leader_session_(leader_session),
      observer_(observer),
      id_(process.name() + "/jobmaster"),
      graph_(graph::ExecutionGraph::build(options.job).value()),
      regions_(graph::compute_pipelined_regions(graph_)),
      restart_rng_(process.context().fork_rng("restart-backoff")),
      task_manager_heartbeats_(
          process, endpoint, id_, options.heartbeat, HeartbeatManager::Role::sender,
          [this](const std::string& tm) {
            disconnect_task_manager(
                tm, FailureCause{FailureCause::Kind::heartbeat_timeout,
                                 "Heartbeat of TaskManager with id " + tm + " timed out.",
                                 {}, tm});
          },
          [this](const std::string& tm) {
            disconnect_task_manager(
                tm, FailureCause{FailureCause::Kind::taskmanager_unreachable,
                                 "TaskManager with id " + tm + " is no longer reachable.",
                                 {}, tm});
          }),
      resource_manager_heartbeats_(
          process, endpoint, id_, options.heartbeat, HeartbeatManager::Role::receiver,
          [this](const std::string&) {
            registered_at_resource_manager_ = false;
            register_at_resource_manager();
          },
          [this](const std::string&) {
            registered_at_resource_manager_ = false;
            register_at_resource_manager();
          }),
      ha_(ha),
      recovered_(std::move(recovered)) {
  task_manager_heartbeats_.set_payload_exchange(
      {[this](const std::string& tm) { return allocated_slot_report(tm); },
       [this](const std::string& tm, const HeartbeatPayload& payload) {
         if (const auto* report = dynamic_cast<const ExecutionDeploymentReport*>(&payload)) {
           reconcile_deployments(tm, *report);
         }
       }});
  const strategies::FailoverStrategyKind kind =
      options.failover_strategy == FailoverStrategyKind::full
          ? strategies::FailoverStrategyKind::full
          : strategies::FailoverStrategyKind::region;
  failover_strategy_ = strategies::make_failover_strategy(kind, graph_, regions_, *this);
  // The scenario loader validated the options, so creation cannot fail here.
  restart_strategy_ =
      strategies::create_restart_backoff_time_strategy(options.restart_strategy, restart_rng_)
          .value();
  executions_.resize(graph_.vertex_count());
  if (options.checkpointing.enabled()) {
    checkpoints_ = std::make_unique<checkpoint::CheckpointCoordinator>(
        process, options.checkpointing, *this, leader_session,
        process.context().fork_rng("checkpoint-coordinator"));
  }
  for (const graph::JobVertex& vertex : options.job.vertices()) {
    slots_required_ = std::max(slots_required_, static_cast<uint32_t>(vertex.parallelism));
  }
}

JobMaster::~JobMaster() {
  if (reconciliation_) process_.cancel_timer(reconciliation_->timeout);
  process_.cancel_timer(registration_timer_);
  cancel_slot_request_checks();
}

void JobMaster::start() {
  start_job_event_store();
  if (recovered_) return start_recovered();
  register_at_resource_manager();
  set_status(JobStatus::running);
  std::vector<graph::VertexIndex> all(graph_.vertex_count());
  for (graph::VertexIndex v = 0; v < all.size(); ++v) all[v] = v;
  schedule(all);
}

void JobMaster::report_resubmission() {
  std::vector<graph::ExecutionVertexId> ids;
  for (graph::VertexIndex v = 0; v < graph_.vertex_count(); ++v) ids.push_back(graph_.vertex(v).id);
  observer_.on_leader_recovery(process_.now());
  observer_.on_failover(process_.now(), leader_session_, std::nullopt, ids, sim::Duration::zero(),
                        FailureCause{FailureCause::Kind::global_failure,
                                     "the JobManager restarted and ran the application again: a "
                                     "new job, from no state (no high availability)",
                                     {}, {}});
}

// ---- ResourceManager ---------------------------------------------------------------------------

void JobMaster::register_at_resource_manager() {
  auto request = std::make_shared<RegisterJobMasterRequest>();
  request->job_master_id = id_;
  request->job_master = endpoint_;
  request->leader_session = leader_session_;
  process_.send(endpoint_, resource_manager_, std::move(request));
  process_.cancel_timer(registration_timer_);
  registration_timer_ = process_.set_timer(options_.registration_max_timeout, [this] {
    if (!registered_at_resource_manager_) register_at_resource_manager();
  });
}

void JobMaster::declare_required_resources() {
  if (!registered_at_resource_manager_) return;
  auto declaration = std::make_shared<DeclareRequiredResources>();
  declaration->leader_session = leader_session_;
  declaration->slots_required =
      is_globally_terminal(status_) ? 0 : static_cast<int>(slots_required_);
  process_.send(endpoint_, resource_manager_, std::move(declaration));
}

// ---- TaskManagers and slots --------------------------------------------------------------------

void JobMaster::register_task_manager(const RegisterTaskManagerAtJobMaster& request) {
  // A registration for another leadership is fenced off: declined.
  const bool accepted = request.leader_session == leader_session_;
  if (accepted) {
    task_managers_[request.resource_id] = TaskManagerRegistration{request.task_executor};
    on_partitions_reported(request);
    task_manager_heartbeats_.monitor_target(request.resource_id, request.task_executor);
  }
  auto response = std::make_shared<RegistrationResponse>();
  response->registrar = RegistrationResponse::Registrar::job_master;
  response->accepted = accepted;
  response->responder = id_;
  process_.send(endpoint_, request.task_executor, std::move(response));
}

void JobMaster::on_offer_slots(const OfferSlots& offer) {
  const auto tm = task_managers_.find(offer.resource_id);
  if (tm == task_managers_.end() || offer.leader_session != leader_session_) return;
  auto response = std::make_shared<OfferSlotsResponse>();
  response->leader_session = leader_session_;
  response->offer_id = offer.offer_id;
  if (!is_globally_terminal(status_)) {
    // DeclarativeSlotPool#offerSlots: a slot already in the pool is accepted again; a new one
    // only while the pool holds fewer slots than the job requires.
    for (const AllocationId& allocation : offer.allocations) {
      const auto known = slots_.find(allocation);
      if (known != slots_.end() && known->second.resource_id != offer.resource_id) continue;
      if (known == slots_.end() && slots_.size() >= slots_required_) continue;
      slots_.try_emplace(allocation, PooledSlot{offer.resource_id, std::nullopt});
      response->accepted.push_back(allocation);
    }
  }
  process_.send(endpoint_, tm->second.endpoint, std::move(response));
  try_deploy();
}

void JobMaster::disconnect_task_manager(const ResourceId& resource_id, const FailureCause& cause) {
  const auto tm = task_managers_.find(resource_id);
  if (tm == task_managers_.end()) return;
  process_.trace("disconnect taskmanager", resource_id + ": " + cause.message);
  auto disconnect = std::make_shared<DisconnectJobManager>();
  disconnect->leader_session = leader_session_;
  disconnect->reason = cause.message;
  process_.send(endpoint_, tm->second.endpoint, std::move(disconnect));
  task_managers_.erase(tm);
  task_manager_heartbeats_.unmonitor_target(resource_id);
  // The partition tracker stops tracking everything the TaskManager held.
  std::erase_if(tracked_partitions_,
                [&](const auto& entry) { return entry.second == resource_id; });
  std::set<AllocationId> released;
  for (const auto& [allocation, slot] : slots_) {
    if (slot.resource_id == resource_id) released.insert(allocation);
  }
  release_slots(released, cause);
}

void JobMaster::fail_slot(const FailSlot& request) {
  const auto slot = slots_.find(request.allocation);
  if (task_managers_.count(request.resource_id) == 0 || slot == slots_.end() ||
      slot->second.resource_id != request.resource_id) {
    return;
  }
  process_.trace("slot failed", request.resource_id + ": " + request.reason);
  release_slots({request.allocation},
                FailureCause{FailureCause::Kind::task_exception, request.reason, {}});
}

void JobMaster::release_slots(const std::set<AllocationId>& allocations,
                              const FailureCause& cause) {
  for (const AllocationId& allocation : allocations) slots_.erase(allocation);
  // Release the slots' payloads: every execution in them fails with the cause (in vertex order).
  for (graph::VertexIndex v = 0; v < executions_.size(); ++v) {
    Execution& execution = executions_[v];
    if (!execution.allocation || allocations.count(*execution.allocation) == 0) continue;
    execution.allocation.reset();
    if (execution.state == ExecutionState::canceling) {
      set_state(v, ExecutionState::canceled);
    } else if (is_active(execution.state)) {
      handle_task_failure(v, cause);
    }
  }
  maybe_restart();
  if (is_terminating()) check_job_end();
  declare_required_resources();
}

HeartbeatPayloadPtr JobMaster::allocated_slot_report(const ResourceId& resource_id) const {
  auto report = std::make_shared<AllocatedSlotReport>();
  for (const auto& [allocation, slot] : slots_) {
    if (slot.resource_id == resource_id) report->allocations.push_back(allocation);
  }
  return report;
}

void JobMaster::reconcile_deployments(const ResourceId& resource_id,
                                      const ExecutionDeploymentReport& report) {
  const std::set<ExecutionAttemptId> reported(report.executions.begin(), report.executions.end());
  const auto expected_here = [&](const Execution& execution) {
    return execution.deployed_on == resource_id && !is_terminal(execution.state);
  };
  // Missing: acknowledged here, but the TaskExecutor no longer runs it (its final state was
  // lost). Pending submissions are not missing yet.
  std::vector<ExecutionAttemptId> missing;
  for (graph::VertexIndex v = 0; v < executions_.size(); ++v) {
    const Execution& execution = executions_[v];
    const ExecutionAttemptId attempt{graph_.vertex(v).id, execution.attempt};
    if (expected_here(execution) && execution.deployment_acknowledged &&
        reported.count(attempt) == 0) {
      missing.push_back(attempt);
    }
  }
  // Unknown: running there, but not an execution the JobMaster expects there.
  std::vector<ExecutionAttemptId> unknown;
  for (const ExecutionAttemptId& attempt : report.executions) {
    const Execution* execution =
        graph_.contains(attempt.vertex) ? &executions_[graph_.index_of(attempt.vertex)] : nullptr;
    if (!execution || execution->attempt != attempt.attempt || !expected_here(*execution)) {
      unknown.push_back(attempt);
    }
  }
  for (const ExecutionAttemptId& attempt : missing) {
    UpdateTaskExecutionState update;
    update.leader_session = leader_session_;
    update.attempt = attempt;
    update.state = ExecutionState::failed;
    update.cause =
        FailureCause{FailureCause::Kind::task_exception,
                     "Execution " + graph_.task_name(graph_.index_of(attempt.vertex)) +
                         " is unexpectedly no longer running on task executor " + resource_id + ".",
                     {}};
    on_task_state(update);
  }
  for (const ExecutionAttemptId& attempt : unknown) cancel_on(resource_id, attempt);
}

void JobMaster::cancel_on(const ResourceId& resource_id, const ExecutionAttemptId& attempt) {
  const auto tm = task_managers_.find(resource_id);
  if (tm == task_managers_.end()) return;
  auto cancel = std::make_shared<CancelTask>();
  cancel->leader_session = leader_session_;
  cancel->attempt = attempt;
  process_.send(endpoint_, tm->second.endpoint, std::move(cancel));
}

// ---- Scheduling --------------------------------------------------------------------------------

void JobMaster::schedule(const std::vector<graph::VertexIndex>& vertices) {
  for (graph::VertexIndex v : vertices) set_state(v, ExecutionState::scheduled);
  // Declaring again makes the ResourceManager check the requirements now (as a new slot request
  // of the slot pool does in Flink).
  declare_required_resources();
  check_slot_requests_of(vertices);
  try_deploy();
}

bool JobMaster::inputs_ready(graph::VertexIndex vertex) const {
  for (graph::GroupIndex group : graph_.vertex(vertex).consumed_partition_groups) {
    const graph::ConsumedPartitionGroup& consumed = graph_.consumed_partition_groups()[group];
    if (is_pipelined(consumed.type)) continue;
    for (graph::PartitionIndex partition : consumed.partitions) {
      if (executions_[graph_.partition(partition).producer].state != ExecutionState::finished) {
        return false;
      }
    }
  }
  return true;
}

bool JobMaster::pipelined_producers_placed(graph::VertexIndex vertex) const {
  // Producers in the consumer's own region are placed with it; only other regions' count (a
  // lookup of the producer's region, not a search of the region: that was cubic at p1024).
  const graph::RegionIndex region = regions_.region_of[vertex];
  for (graph::GroupIndex group : graph_.vertex(vertex).consumed_partition_groups) {
    const graph::ConsumedPartitionGroup& consumed = graph_.consumed_partition_groups()[group];
    if (!is_pipelined(consumed.type)) continue;
    for (graph::PartitionIndex partition : consumed.partitions) {
      const graph::VertexIndex producer = graph_.partition(partition).producer;
      if (regions_.region_of[producer] == region) continue;
      if (!location_of(producer)) return false;
    }
  }
  return true;
}

std::optional<AllocationId> JobMaster::slot_for_group(uint32_t sharing_group) {
  for (const auto& [allocation, slot] : slots_) {
    if (slot.sharing_group == sharing_group) return allocation;
  }
  for (auto& [allocation, slot] : slots_) {
    if (!slot.sharing_group) {
      slot.sharing_group = sharing_group;
      return allocation;
    }
  }
  return std::nullopt;
}

void JobMaster::try_deploy() {
  if (!is_schedulable()) return;
  // A region is deployed as a whole once its inputs are ready and every slot it needs is there.
  for (const std::vector<graph::VertexIndex>& region : regions_.regions) {
    std::vector<graph::VertexIndex> candidates;
    for (graph::VertexIndex v : region) {
      if (executions_[v].state == ExecutionState::scheduled) candidates.push_back(v);
    }
    if (candidates.empty()) continue;
    if (!std::all_of(candidates.begin(), candidates.end(),
                     [this](graph::VertexIndex v) { return inputs_ready(v); })) {
      continue;
    }
    // A consumer of another region's pipelined (approximate) partitions waits until those
    // producers have their slots: its channels need to know where to ask.
    const bool producers_placed =
        std::all_of(candidates.begin(), candidates.end(),
                    [&](graph::VertexIndex v) { return pipelined_producers_placed(v); });
    if (!producers_placed) continue;
    std::vector<AllocationId> allocations;
    for (graph::VertexIndex v : candidates) {
      const auto slot = slot_for_group(graph_.vertex(v).id.subtask);
      if (!slot) break;
      allocations.push_back(*slot);
    }
    if (allocations.size() != candidates.size()) continue;
    for (size_t i = 0; i < candidates.size(); ++i) {
      executions_[candidates[i]].allocation = allocations[i];
    }
    for (size_t i = 0; i < candidates.size(); ++i) deploy(candidates[i], allocations[i]);
  }
}

std::optional<sim::EndpointId> JobMaster::location_of(graph::VertexIndex vertex) const {
  const auto& allocation = executions_[vertex].allocation;
  if (!allocation) return std::nullopt;
  const auto slot = slots_.find(*allocation);
  if (slot == slots_.end()) return std::nullopt;
  const auto tm = task_managers_.find(slot->second.resource_id);
  if (tm == task_managers_.end()) return std::nullopt;
  return tm->second.endpoint;
}

uint32_t JobMaster::subpartition_of(graph::VertexIndex vertex, graph::GroupIndex consumers,
                                    SubpartitionLookup& lookup) const {
  // The partitions of an ALL_TO_ALL group share one consumer group: one search for all of them
  // keeps deployment linear in the channels (it was a search per channel, cubic in parallelism).
  if (lookup.group != consumers) {
    const auto& vertices = graph_.consumer_vertex_groups()[consumers].vertices;
    lookup.group = consumers;
    lookup.position = static_cast<uint32_t>(std::find(vertices.begin(), vertices.end(), vertex) - vertices.begin());
  }
  return lookup.position;
}

std::vector<runtime::InputChannelDescriptor> JobMaster::input_channels(
    graph::VertexIndex vertex) const {
  std::vector<runtime::InputChannelDescriptor> channels;
  SubpartitionLookup lookup;
  for (graph::GroupIndex group : graph_.vertex(vertex).consumed_partition_groups) {
    const graph::ConsumedPartitionGroup& consumed = graph_.consumed_partition_groups()[group];
    const bool pipelined = is_pipelined(consumed.type);
    for (graph::PartitionIndex index : consumed.partitions) {
      const graph::ResultPartition& partition = graph_.partition(index);
      runtime::InputChannelDescriptor channel;
      channel.partition = partition.id;
      channel.producer = graph_.vertex(partition.producer).id;
      channel.blocking = !pipelined;
      channel.may_be_unaligned = may_be_unaligned(partitioner_of(options_.job, partition.id.edge));
      channel.subpartition = subpartition_of(vertex, partition.consumer_vertex_groups.front(), lookup);
      if (pipelined) {
        channel.location = location_of(partition.producer).value_or(sim::EndpointId{});
      } else if (const auto tracked = tracked_partitions_.find(index);
                 tracked != tracked_partitions_.end()) {
        const auto holder = task_managers_.find(tracked->second);
        if (holder != task_managers_.end()) channel.location = holder->second.endpoint;
      }
      channels.push_back(channel);
    }
  }
  return channels;
}

std::vector<runtime::ResultPartitionDescriptor> JobMaster::output_partitions(
    graph::VertexIndex vertex) const {
  std::vector<runtime::ResultPartitionDescriptor> outputs;
  for (graph::PartitionIndex index : graph_.vertex(vertex).produced_partitions) {
    const graph::ResultPartition& partition = graph_.partition(index);
    const graph::ConsumerVertexGroup& consumers =
        graph_.consumer_vertex_groups()[partition.consumer_vertex_groups.front()];
    const graph::JobEdge& edge = options_.job.edge(partition.id.edge);
    runtime::ResultPartitionDescriptor descriptor;
    descriptor.id = partition.id;
    descriptor.partitioner = partitioner_of(options_.job, partition.id.edge);
    descriptor.may_be_unaligned = may_be_unaligned(descriptor.partitioner);
    descriptor.blocking = !is_pipelined(partition.type);
    descriptor.subpartitions = static_cast<uint32_t>(consumers.vertices.size());
    descriptor.consumer_max_parallelism = options_.job.vertex(edge.consumer).max_parallelism;
    descriptor.producer_subtask = partition.id.producer_subtask;
    outputs.push_back(descriptor);
  }
  return outputs;
}

void JobMaster::deploy(graph::VertexIndex vertex, AllocationId allocation) {
  TaskDeploymentDescriptor descriptor;
  descriptor.attempt = ExecutionAttemptId{graph_.vertex(vertex).id, executions_[vertex].attempt};
  descriptor.allocation = allocation;
  descriptor.leader_session = leader_session_;
  descriptor.task_name = graph_.task_name(vertex);
  descriptor.inputs = input_channels(vertex);
  descriptor.outputs = output_partitions(vertex);
  if ((executions_[vertex].attempt > 0 || recovered_) && checkpoints_) {
    // SchedulerBase.restoreState: restarted tasks, and all tasks of a job a new leader
    // recovered, start from the latest completed checkpoint.
    if (const checkpoint::CompletedCheckpoint* latest = checkpoints_->latest_completed()) {
      const auto state = latest->states.find(graph_.vertex(vertex).id);
      if (state != latest->states.end()) descriptor.restore = state->second;
      descriptor.restored_checkpoint = latest->id;
    }
  }
  if (checkpoints_) descriptor.last_aborted_checkpoint = checkpoints_->last_aborted();
  const auto endpoint = location_of(vertex);
  FLINKSIM_ASSERT(endpoint.has_value());
  // Execution.registerProducedPartitions: the partition tracker follows blocking partitions from
  // deployment on, so a running producer's results count as available to failover decisions.
  for (const runtime::ResultPartitionDescriptor& output : descriptor.outputs) {
    if (output.blocking)
      tracked_partitions_[graph_.index_of(output.id)] = slots_.at(allocation).resource_id;
  }
  set_state(vertex, ExecutionState::deploying);
  Execution& execution = executions_[vertex];
  execution.deployed_on = slots_.at(allocation).resource_id;
  execution.deployment_acknowledged = false;
  auto submit = std::make_shared<SubmitTask>();
  submit->leader_session = leader_session_;
  submit->deployment = std::move(descriptor);
  const uint32_t attempt = execution.attempt;
  // A TaskManager process that is gone refuses the connection: Flink's DeadLettersActor answers
  // the RPC with a RecipientUnreachableException within a round trip. The JobMaster may still
  // pool that TaskManager's slots (its heartbeats have not told yet), so a restart can land there
  // and fail a second time (FLINK-24706).
  process_.send(endpoint_, *endpoint, std::move(submit),
                lifetime_.guard([this, vertex, attempt](sim::DeliveryFailure failure) {
                  const Execution& e = executions_[vertex];
                  if (failure != sim::DeliveryFailure::refused || e.attempt != attempt ||
                      !e.deployed_on || e.deployment_acknowledged) {
                    return;
                  }
                  fail_deployment(vertex, "RecipientUnreachableException: could not submit " +
                                              graph_.task_name(vertex) +
                                              ", the TaskManager is unreachable.");
                }));
  // The submission is an RPC with the ask timeout: no answer in time fails the deployment.
  process_.cancel_timer(execution.submit_timeout);
  execution.submit_timeout =
      process_.set_timer(options_.ask_timeout, lifetime_.guard([this, vertex, attempt] {
        Execution& e = executions_[vertex];
        e.submit_timeout = sim::TimerId();
        if (e.attempt != attempt || !e.deployed_on || e.deployment_acknowledged) return;
        fail_deployment(vertex, "TimeoutException: the submission of the task timed out after " +
                                    sim::format_duration(options_.ask_timeout) + ".");
      }));
}

void JobMaster::on_submit_response(const SubmitTaskResponse& response) {
  if (!graph_.contains(response.attempt.vertex)) return;
  const graph::VertexIndex v = graph_.index_of(response.attempt.vertex);
  Execution& execution = executions_[v];
  if (execution.attempt != response.attempt.attempt || !execution.deployed_on) return;
  process_.cancel_timer(execution.submit_timeout);
  if (response.failure) {
    fail_deployment(v, *response.failure);
  } else {
    execution.deployment_acknowledged = true;
  }
}

void JobMaster::fail_deployment(graph::VertexIndex vertex, const std::string& message) {
  Execution& execution = executions_[vertex];
  if (is_terminal(execution.state)) return;
  // Execution#deploy: the failed submission fails the execution, and a task that did start
  // after all (only its answer was lost) is cancelled.
  if (execution.deployed_on) {
    cancel_on(*execution.deployed_on,
              ExecutionAttemptId{graph_.vertex(vertex).id, execution.attempt});
  }
  if (execution.state == ExecutionState::canceling) {
    set_state(vertex, ExecutionState::canceled);
    maybe_restart();
    if (is_terminating()) check_job_end();
    return;
  }
  handle_task_failure(
      vertex, FailureCause{
                  FailureCause::Kind::task_exception, "Could not deploy the task: " + message, {}});
}

void JobMaster::on_not_enough_resources() {
  // DeclarativeSlotPoolBridge fails pending streaming slot requests at once; the first waiting
  // execution's failure starts a failover that resets the others.
  if (options_.job.mode() == graph::JobMode::batch) return;
  for (graph::VertexIndex v = 0; v < executions_.size(); ++v) {
    if (executions_[v].state == ExecutionState::scheduled && !executions_[v].allocation) {
      handle_task_failure(v, FailureCause{FailureCause::Kind::no_resource,
                                          "NoResourceAvailableException: Could not acquire the "
                                          "minimum required resources.",
                                          {}});
      return;
    }
  }
}

// ---- Execution states and failures -------------------------------------------------------------

void JobMaster::set_state(graph::VertexIndex vertex, ExecutionState state) {
  Execution& execution = executions_[vertex];
  if (execution.state == state) return;
  execution.state = state;
  if (is_terminal(state)) {
    // The deployment tracker stops tracking executions in a final state.
    process_.cancel_timer(execution.submit_timeout);
    execution.deployed_on.reset();
    execution.deployment_acknowledged = false;
  }
  // A failed or cancelled producer's partitions are released and no longer tracked.
  if (state == ExecutionState::failed || state == ExecutionState::canceled) {
    for (graph::PartitionIndex p : graph_.vertex(vertex).produced_partitions)
      tracked_partitions_.erase(p);
  }
  observer_.on_task_state(process_.now(), leader_session_, graph_.vertex(vertex).id, state);
}

void JobMaster::on_task_state(const UpdateTaskExecutionState& update) {
  if (update.leader_session != leader_session_) return;  // a predecessor's task (fenced)
  if (!graph_.contains(update.attempt.vertex)) return;
  const graph::VertexIndex v = graph_.index_of(update.attempt.vertex);
  Execution& execution = executions_[v];
  // Planted bug stale-attempt-state-accepted (cmake/planted_bugs.cmake): no attempt fencing, a
  // report of an earlier attempt of the vertex (a zombie cut off by a partition, a cancelled one
  // whose report was late) counts for the current one.
#ifdef FLINKSIM_PLANTED_BUG_STALE_ATTEMPT_STATE_ACCEPTED
  if (is_terminal(execution.state)) return;
#else
  if (update.attempt.attempt != execution.attempt || is_terminal(execution.state)) return;
#endif
  switch (update.state) {
    case ExecutionState::initializing:
    case ExecutionState::running:
      if (execution.state != ExecutionState::canceling) set_state(v, update.state);
      break;
    case ExecutionState::finished:
      if (execution.state == ExecutionState::canceling) {
        // Execution#markFinished: the task finished before the cancel call arrived; no
        // CANCELED report will follow.
        set_state(v, ExecutionState::canceled);
        maybe_restart();
        break;
      }
      set_state(v, ExecutionState::finished);
      if (checkpoints_ && checkpoints_after_tasks_finish()) {
        checkpoints_->on_task_finished(update.attempt);
      }
      if (records_job_events()) record_vertex_finished(v);
      for (graph::PartitionIndex p : graph_.vertex(v).produced_partitions) {
        if (execution.allocation && slots_.count(*execution.allocation) > 0) {
          tracked_partitions_[p] = slots_.at(*execution.allocation).resource_id;
        }
      }
      check_job_end();
      try_deploy();
      break;
    case ExecutionState::canceled:
      set_state(v, ExecutionState::canceled);
      maybe_restart();
      break;
    case ExecutionState::failed:
      if (execution.state == ExecutionState::canceling) {
        set_state(v, ExecutionState::canceled);
        maybe_restart();
      } else {
        handle_task_failure(v, update.cause.value_or(FailureCause{}));
      }
      break;
    default:
      break;
  }
  if (is_terminating()) check_job_end();
}

void JobMaster::handle_task_failure(graph::VertexIndex vertex, const FailureCause& cause) {
  set_state(vertex, ExecutionState::failed);
  process_.trace("task failed", graph_.task_name(vertex) + ": " + cause.message);
  if (!is_schedulable()) return;
  strategies::FailureCause strategy_cause;
  if (cause.kind == FailureCause::Kind::partition_error)
    strategy_cause.partition_error = cause.partition;
  const std::vector<graph::ExecutionVertexId> to_restart =
      failover_strategy_->tasks_needing_restart(graph_.vertex(vertex).id, strategy_cause);
  observer_.on_failover_inputs(failover_inputs(strategy_cause));
  restart_tasks(graph_.vertex(vertex).id, to_restart, cause);
}

FailoverInputs JobMaster::failover_inputs(const strategies::FailureCause& cause) const {
  FailoverInputs inputs;
  for (const auto& [partition, holder] : tracked_partitions_) {
    inputs.tracked_partitions.push_back(graph_.partition(partition).id);
  }
  std::sort(inputs.tracked_partitions.begin(), inputs.tracked_partitions.end());
  inputs.failed_partition = cause.partition_error;
  return inputs;
}

void JobMaster::handle_global_failure(const std::string& reason) {
  if (!is_schedulable()) return;
  process_.trace("global failure", reason);
  // ExecutionFailureHandler: a global failure restarts every vertex, whatever the failover
  // strategy; the restart strategy still decides whether and when.
  std::vector<graph::ExecutionVertexId> all;
  for (graph::VertexIndex v = 0; v < graph_.vertex_count(); ++v) all.push_back(graph_.vertex(v).id);
  restart_tasks(std::nullopt, all, FailureCause{FailureCause::Kind::global_failure, reason, {}, {}});
}

void JobMaster::restart_tasks(std::optional<graph::ExecutionVertexId> failed,
                              const std::vector<graph::ExecutionVertexId>& to_restart, const FailureCause& cause) {
  restart_strategy_->notify_failure(process_.now());
  if (!restart_strategy_->can_restart(process_.now())) {
    fail_job("Recovery is suppressed by " + restart_strategy_->describe());
    return;
  }
  const sim::Duration delay = restart_strategy_->backoff_time(process_.now()).value();
  std::vector<graph::VertexIndex> vertices;
  for (const graph::ExecutionVertexId& id : to_restart) vertices.push_back(graph_.index_of(id));
  observer_.on_failover(process_.now(), leader_session_, failed, to_restart, delay, cause);
  process_.trace("failover",
                 (failed ? graph_.task_name(graph_.index_of(*failed)) : "global failure") +
                     " restarts " + std::to_string(vertices.size()) + " tasks after " +
                     sim::format_duration(delay));
  restart_after_backoff(std::move(vertices), delay);
}

void JobMaster::restart_after_backoff(std::vector<graph::VertexIndex> vertices,
                                      sim::Duration delay) {
  if (records_job_events()) record_vertices_reset(vertices);
  PendingRestart restart;
  restart.id = next_restart_id_++;
  for (graph::VertexIndex v : vertices) {
    ++executions_[v].version;
    restart.versions.push_back(executions_[v].version);
    cancel_execution(v);
  }
  restart.vertices = std::move(vertices);
  const uint64_t id = restart.id;
  pending_restarts_.push_back(std::move(restart));
  // DefaultScheduler: the job is RESTARTING while any vertex waits for its restart.
  set_status(JobStatus::restarting);
  // DefaultScheduler: after the backoff delay, wait for the cancellations, then restart.
  process_.set_timer(delay, lifetime_.guard([this, id] {
    for (PendingRestart& pending : pending_restarts_) {
      if (pending.id == id) pending.delay_elapsed = true;
    }
    maybe_restart();
  }));
}

void JobMaster::cancel_execution(graph::VertexIndex vertex) {
  Execution& execution = executions_[vertex];
  switch (execution.state) {
    case ExecutionState::created:
    case ExecutionState::scheduled:
      set_state(vertex, ExecutionState::canceled);
      return;
    case ExecutionState::deploying:
    case ExecutionState::initializing:
    case ExecutionState::running: {
      const auto slot = execution.allocation ? slots_.find(*execution.allocation) : slots_.end();
      const auto tm = slot == slots_.end() ? task_managers_.end()
                                           : task_managers_.find(slot->second.resource_id);
      if (tm == task_managers_.end()) {
        set_state(vertex, ExecutionState::canceled);
        return;
      }
      set_state(vertex, ExecutionState::canceling);
      auto cancel = std::make_shared<CancelTask>();
      cancel->leader_session = leader_session_;
      cancel->attempt = ExecutionAttemptId{graph_.vertex(vertex).id, execution.attempt};
      // A cancel RPC that cannot be delivered leaves the execution cancelled (its TaskManager is
      // gone, and with it the task).
      const uint32_t attempt = execution.attempt;
      process_.send(endpoint_, tm->second.endpoint, std::move(cancel),
                    lifetime_.guard([this, vertex, attempt](sim::DeliveryFailure) {
                      Execution& e = executions_[vertex];
                      if (e.attempt != attempt || e.state != ExecutionState::canceling) return;
                      set_state(vertex, ExecutionState::canceled);
                      maybe_restart();
                      if (is_terminating()) check_job_end();
                    }));
      return;
    }
    default:
      return;
  }
}

void JobMaster::maybe_restart() {
  if (!is_schedulable()) return;
  // SchedulerBase.restoreState takes the checkpoint coordinator's lock, which a checkpoint holds
  // while ZooKeeper takes its pointer: a restart restores only once that outcome is known, so it
  // never restores an older checkpoint than one the HA store may already hold.
  if (!pending_restarts_.empty() && checkpoints_ && checkpoints_->finalizing()) {
    if (awaiting_finalization_) return;
    awaiting_finalization_ = true;
    process_.trace("restore waits", "a completed checkpoint is being added to the HA store");
    checkpoints_->when_finalized(lifetime_.guard([this] {
      awaiting_finalization_ = false;
      maybe_restart();
    }));
    return;
  }
  std::vector<graph::VertexIndex> restarted;
  for (auto it = pending_restarts_.begin(); it != pending_restarts_.end();) {
    std::vector<graph::VertexIndex> owned;
    bool ready = it->delay_elapsed;
    for (size_t i = 0; i < it->vertices.size(); ++i) {
      const graph::VertexIndex v = it->vertices[i];
      if (executions_[v].version != it->versions[i]) continue;  // a later failover owns it
      owned.push_back(v);
      if (!is_terminal(executions_[v].state)) ready = false;
    }
    if (!ready) {
      ++it;
      continue;
    }
    for (graph::VertexIndex v : owned) {
      Execution& execution = executions_[v];
      ++execution.attempt;
      execution.state = ExecutionState::created;
      restarted.push_back(v);
    }
    it = pending_restarts_.erase(it);
  }
  if (pending_restarts_.empty() && status_ == JobStatus::restarting) set_status(JobStatus::running);
  if (!restarted.empty() && checkpoints_) {
    // SchedulerBase.restoreState aborts what is pending (JOB_FAILOVER_REGION); since leaving
    // RUNNING already aborted everything (CHECKPOINT_COORDINATOR_SUSPEND) this rarely finds any.
    checkpoints_->abort_pending("JOB_FAILOVER_REGION");
    if (const auto* latest = checkpoints_->latest_completed())
      checkpoints_->note_restore(latest->id);
  }
  if (!restarted.empty()) schedule(restarted);
}

void JobMaster::fail_job(const std::string& reason) {
  process_.trace("job failing", reason);
  observer_.on_job_failing(process_.now(), leader_session_, reason);
  set_status(JobStatus::failing);  // stops the checkpoint scheduler, aborting what is pending
  pending_restarts_.clear();
  for (graph::VertexIndex v = 0; v < executions_.size(); ++v) cancel_execution(v);
  check_job_end();
}

void JobMaster::check_job_end() {
  if (is_terminating()) {
    const bool all_terminal = std::all_of(executions_.begin(), executions_.end(),
                                          [](const Execution& e) { return is_terminal(e.state); });
    if (all_terminal) {
      set_status(status_ == JobStatus::failing ? JobStatus::failed : JobStatus::canceled);
      release_resources();
    }
    return;
  }
  if (!is_schedulable()) return;
  const bool all_finished =
      std::all_of(executions_.begin(), executions_.end(),
                  [](const Execution& e) { return e.state == ExecutionState::finished; });
  if (all_finished) {
    set_status(JobStatus::finished);
    release_resources();
  }
}

void JobMaster::set_status(JobStatus status) {
  if (status_ == status) return;
  status_ = status;
  // CheckpointCoordinatorDeActivator: the scheduler runs only while the job is RUNNING, and each
  // return to RUNNING (after every failover, partial ones too: DefaultScheduler's
  // addVerticesToRestartPending makes the job RESTARTING until every vertex waiting for its
  // restart is restarted) starts it with a fresh random initial delay.
  if (checkpoints_) {
    if (status == JobStatus::running) {
      checkpoints_->start_scheduler();
    } else {
      checkpoints_->stop_scheduler();
    }
  }
  process_.trace("job " + std::string(to_string(status)));
  observer_.on_job_status(process_.now(), leader_session_, status);
  if (ha_ && is_globally_terminal(status)) {
    ha_->job_reached_globally_terminal_state(status, lifetime_.guard([this, status](bool recorded) {
      if (recorded) observer_.on_job_result_recorded(process_.now(), status);
    }));
  }
}

void JobMaster::release_resources() {
  cancel_slot_request_checks();
  for (const auto& [allocation, slot] : slots_) {
    const auto tm = task_managers_.find(slot.resource_id);
    if (tm == task_managers_.end()) continue;
    auto free = std::make_shared<FreeSlot>();
    free->leader_session = leader_session_;
    free->allocation = allocation;
    process_.send(endpoint_, tm->second.endpoint, std::move(free));
  }
  slots_.clear();
  declare_required_resources();
}

bool JobMaster::checkpoints_after_tasks_finish() const {
  return options_.checkpointing.checkpoints_after_tasks_finish &&
         options_.job.mode() == graph::JobMode::streaming;
}

std::optional<std::vector<checkpoint::CheckpointCoordinatorHost::RunningTask>>
JobMaster::tasks_to_checkpoint() const {
  // DefaultCheckpointPlanCalculator. Without checkpoints after finished tasks (or in a batch
  // job), every task must be running and the sources are triggered.
  const bool with_finished_tasks = checkpoints_after_tasks_finish();
  std::vector<bool> finished(executions_.size(), false);
  for (graph::VertexIndex v = static_cast<graph::VertexIndex>(executions_.size()); v-- > 0;) {
    if (!with_finished_tasks) break;
    finished[v] = executions_[v].state == ExecutionState::finished;
    // calculateRunningTasks: a running task with a finished consumer has finished too (its
    // FINISHED report is still on the way); vertices are in topological order.
    if (executions_[v].state != ExecutionState::running) continue;
    for (graph::PartitionIndex p : graph_.vertex(v).produced_partitions) {
      for (graph::GroupIndex g : graph_.partition(p).consumer_vertex_groups) {
        for (graph::VertexIndex consumer : graph_.consumer_vertex_groups()[g].vertices) {
          if (finished[consumer]) finished[v] = true;
        }
      }
    }
  }
  std::vector<RunningTask> tasks;
  for (graph::VertexIndex v = 0; v < executions_.size(); ++v) {
    const ExecutionAttemptId attempt{graph_.vertex(v).id, executions_[v].attempt};
    if (finished[v]) {
      tasks.push_back(RunningTask{attempt, sim::EndpointId{}, false, true});
      continue;
    }
    if (executions_[v].state != ExecutionState::running) return std::nullopt;
    const auto location = location_of(v);
    if (!location) return std::nullopt;
    // Triggered: a source, or a running task whose producers all finished.
    bool trigger = true;
    for (graph::GroupIndex g : graph_.vertex(v).consumed_partition_groups) {
      for (graph::PartitionIndex p : graph_.consumed_partition_groups()[g].partitions) {
        if (!finished[graph_.partition(p).producer]) trigger = false;
      }
    }
    tasks.push_back(RunningTask{attempt, *location, trigger, false});
  }
  return tasks;
}

void JobMaster::send_to_task(sim::EndpointId location, sim::MessagePtr message,
                             sim::FailureCallback on_failure) {
  process_.send(endpoint_, location, std::move(message), std::move(on_failure));
}

void JobMaster::on_tolerable_failures_exceeded(const std::string& reason) {
  handle_global_failure(reason);
}

bool JobMaster::is_available(const graph::ResultPartitionId& partition) const {
  const graph::PartitionIndex index = graph_.index_of(partition);
  // A PIPELINED_APPROXIMATE partition outlives its consumer: the producer keeps running and a
  // restarted consumer reconnects to it (FLIP-135).
  if (graph_.partition(index).type == graph::ResultPartitionType::pipelined_approximate) {
    const Execution& producer = executions_[graph_.partition(index).producer];
    return producer.state == ExecutionState::running || producer.state == ExecutionState::finished;
  }
  return tracked_partitions_.count(index) > 0;
}

void JobMaster::on_message(sim::EndpointId source, const sim::MessagePtr& message) {
  (void)source;
  if (const auto* m = message->as<HeartbeatRequest>()) {
    resource_manager_heartbeats_.on_request(*m);
  } else if (const auto* m = message->as<HeartbeatResponse>()) {
    task_manager_heartbeats_.on_response(*m);
  } else if (const auto* m = message->as<RegistrationResponse>()) {
    if (!registered_at_resource_manager_ && m->accepted) {
      registered_at_resource_manager_ = true;
      resource_manager_heartbeats_.monitor_target(m->responder, resource_manager_);
      declare_required_resources();
    }
  } else if (const auto* m = message->as<RegisterTaskManagerAtJobMaster>()) {
    register_task_manager(*m);
  } else if (const auto* m = message->as<OfferSlots>()) {
    on_offer_slots(*m);
  } else if (const auto* m = message->as<UpdateTaskExecutionState>()) {
    on_task_state(*m);
  } else if (const auto* m = message->as<SubmitTaskResponse>()) {
    on_submit_response(*m);
  } else if (const auto* m = message->as<FailSlot>()) {
    fail_slot(*m);
  } else if (const auto* m = message->as<DisconnectTaskManager>()) {
    // From the ResourceManager, which learned that the TaskManager's pod died (FLINK-34526).
    disconnect_task_manager(m->resource_id,
                            FailureCause{FailureCause::Kind::pod_terminated, m->reason, {}, m->resource_id});
  } else if (const auto* m = message->as<checkpoint::AcknowledgeCheckpoint>()) {
    if (checkpoints_) checkpoints_->on_acknowledge(*m);
  } else if (const auto* m = message->as<checkpoint::DeclineCheckpoint>()) {
    if (checkpoints_) checkpoints_->on_decline(*m);
  } else if (message->as<NotifyNotEnoughResourcesAvailable>() != nullptr) {
    on_not_enough_resources();
  }
}

}  // namespace flinksim::model
