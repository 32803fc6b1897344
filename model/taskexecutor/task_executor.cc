#include "model/taskexecutor/task_executor.h"

#include <algorithm>

#include "model/runtime/data_messages.h"

namespace flinksim::model {

TaskManagerProcess::TaskManagerProcess(sim::Context& context, sim::HostId host, std::string name,
                                       const ClusterOptions& options,
                                       const ClusterDirectory& directory)
    : sim::Process(context, host, std::move(name)), options_(options), directory_(directory) {
  endpoint_ = add_endpoint(this->name() + "/taskexecutor",
                           [this](sim::EndpointId source, const sim::MessagePtr& message) {
                             if (task_executor_) task_executor_->on_message(source, message);
                           });
  context.network().set_reset_listener(endpoint_, [this](sim::EndpointId remote) {
    if (task_executor_) task_executor_->on_connection_reset(remote);
  });
  if (options_.high_availability.enabled) {
    const bool kubernetes = options_.high_availability.kind == HighAvailabilityKind::kubernetes;
    ha_endpoint_ = add_endpoint(this->name() + (kubernetes ? "/kubernetes-client" : "/zookeeper-client"),
                                [this](sim::EndpointId, const sim::MessagePtr& message) {
                                  if (zookeeper_) zookeeper_->on_message(message);
                                  if (kubernetes_) kubernetes_->on_message(message);
                                });
  }
}

TaskManagerProcess::~TaskManagerProcess() = default;

void TaskManagerProcess::on_start() {
  // Flink generates a TaskManager's ResourceID at start-up (host:port plus a random suffix), so
  // a restarted TaskManager is a new one to the JobMaster and the ResourceManager.
  ++starts_;
  resource_id_ = starts_ == 1 ? name() : name() + "#" + std::to_string(starts_);
  task_executor_ =
      std::make_unique<TaskExecutor>(*this, endpoint_, resource_id_, options_, directory_);
  task_executor_->start();
  if (options_.high_availability.enabled) start_leader_retrieval();
}

void TaskManagerProcess::on_crash() {
  leader_retrieval_.reset();
  zookeeper_.reset();
  kubernetes_.reset();
  task_executor_.reset();
}

bool TaskManagerProcess::fail_task(graph::ExecutionVertexId vertex, const std::string& reason) {
  return task_executor_ && task_executor_->fail_task(vertex, reason);
}

bool TaskManagerProcess::runs(graph::ExecutionVertexId vertex) const {
  return task_executor_ && task_executor_->runs(vertex);
}

TaskExecutor::TaskExecutor(TaskManagerProcess& process, sim::EndpointId endpoint,
                           ResourceId resource_id, const ClusterOptions& options,
                           const ClusterDirectory& directory)
    : process_(process),
      endpoint_(endpoint),
      resource_id_(std::move(resource_id)),
      options_(options),
      directory_(directory),
      slots_(static_cast<size_t>(options.slots_per_taskmanager)),
      resource_manager_(directory.resource_manager),
      resource_manager_heartbeats_(
          process, endpoint, resource_id_, options.heartbeat, HeartbeatManager::Role::receiver,
          [this](const std::string&) {
            reconnect_to_resource_manager("heartbeat of ResourceManager timed out");
          },
          [this](const std::string&) {
            reconnect_to_resource_manager("ResourceManager is no longer reachable");
          }) {
  resource_manager_heartbeats_.set_payload_exchange(
      {[this](const std::string&) { return slot_report_payload(); }, nullptr});
}

TaskExecutor::~TaskExecutor() {
  for (auto& [attempt, task] : tasks_) {
    process_.cancel_timer(task.timer);
    task.invokable.reset();
  }
  for (TaskSlot& slot : slots_) process_.cancel_timer(slot.inactive_timeout);
  process_.cancel_timer(registration_timer_);
  process_.cancel_timer(job_master_registration_timer_);
}

void TaskExecutor::start() {
  // With high availability the ResourceManager is not known until leader retrieval finds it.
  if (!resource_manager_.valid()) return;
  register_at_resource_manager(options_.registration_initial_timeout);
}

// ---- ResourceManager connection ----------------------------------------------------------------

void TaskExecutor::register_at_resource_manager(sim::Duration timeout) {
  // Without a known ResourceManager (high availability, before leader retrieval names one) there
  // is nobody to register at, as in Flink's tryConnectToResourceManager: the leader's address,
  // when it comes, starts the registration.
  if (!resource_manager_.valid()) return;
  // Flink's RetryingRegistration: each attempt waits `timeout` for an answer, doubling it up to
  // the maximum; a failed connection waits `cluster.registration.error-delay`.
  const uint64_t attempt = ++registration_attempt_;
  auto request = std::make_shared<RegisterTaskExecutorRequest>();
  request->resource_id = resource_id_;
  request->task_executor = endpoint_;
  request->slots = static_cast<int>(slots_.size());
  process_.send(
      endpoint_, resource_manager_, std::move(request), [this, attempt](sim::DeliveryFailure) {
        if (registered_at_resource_manager_ || attempt != registration_attempt_) return;
        process_.cancel_timer(registration_timer_);
        registration_timer_ = process_.set_timer(options_.registration_error_delay, [this] {
          register_at_resource_manager(options_.registration_initial_timeout);
        });
      });
  process_.cancel_timer(registration_timer_);
  registration_timer_ = process_.set_timer(timeout, [this, timeout, attempt] {
    if (registered_at_resource_manager_ || attempt != registration_attempt_) return;
    register_at_resource_manager(std::min(timeout * 2, options_.registration_max_timeout));
  });
}

void TaskExecutor::on_resource_manager_registration(const RegistrationResponse& response) {
  if (registered_at_resource_manager_ || !response.accepted) return;
  registered_at_resource_manager_ = true;
  process_.cancel_timer(registration_timer_);
  process_.trace("registered at resourcemanager");
  resource_manager_id_ = response.responder;
  resource_manager_heartbeats_.monitor_target(response.responder, resource_manager_);
  send_slot_report();
}

void TaskExecutor::send_slot_report() {
  if (!registered_at_resource_manager_) return;
  auto report = std::make_shared<SendSlotReport>();
  report->resource_id = resource_id_;
  report->slots = slot_statuses();
  process_.send(endpoint_, resource_manager_, std::move(report));
}

std::vector<SlotStatus> TaskExecutor::slot_statuses() const {
  std::vector<SlotStatus> statuses;
  for (size_t index = 0; index < slots_.size(); ++index) {
    statuses.push_back(SlotStatus{static_cast<int>(index), slots_[index].allocation});
  }
  return statuses;
}

HeartbeatPayloadPtr TaskExecutor::slot_report_payload() const {
  auto payload = std::make_shared<TaskExecutorHeartbeatPayload>();
  payload->slots = slot_statuses();
  return payload;
}

void TaskExecutor::reconnect_to_resource_manager(const std::string& reason) {
  process_.trace("resourcemanager lost", reason);
  registered_at_resource_manager_ = false;
  register_at_resource_manager(options_.registration_initial_timeout);
}

// ---- JobMaster connection and slots ------------------------------------------------------------

void TaskExecutor::on_request_slot(const RequestSlot& request) {
  if (request.slot_index < 0 || static_cast<size_t>(request.slot_index) >= slots_.size()) return;
  if (fenced_out(request.leader_session)) return;
  TaskSlot& slot = slots_[static_cast<size_t>(request.slot_index)];
  if (slot.allocation.valid() && slot.allocation != request.allocation) {
    // The slot is taken: the request fails, and the report tells who holds the slot.
    auto failed = std::make_shared<SlotRequestFailed>();
    failed->resource_id = resource_id_;
    failed->allocation = request.allocation;
    if (resource_manager_.valid()) process_.send(endpoint_, resource_manager_, std::move(failed));
    send_slot_report();
    return;
  }
  if (!slot.allocation.valid()) {
    // TaskSlotTable#allocateSlot: a new allocation is inactive until the JobMaster accepts it,
    // and freed if that does not happen within the slot timeout.
    slot.allocation = request.allocation;
    mark_slot_inactive(slot);
  }
  send_slot_report();
  if (job_manager_ && job_manager_->leader_session == request.leader_session) {
    if (job_manager_->established) offer_slots();
    return;
  }
  connect_to_job_master(request.job_master, request.leader_session);
}

void TaskExecutor::connect_to_job_master(sim::EndpointId job_master,
                                         LeaderSessionId leader_session) {
  if (job_manager_heartbeats_) job_manager_heartbeats_->stop();
  job_manager_ = JobManagerConnection{job_master, leader_session, false};
  latest_offer_.reset();
  register_at_job_master(options_.registration_initial_timeout);
}

void TaskExecutor::register_at_job_master(sim::Duration timeout) {
  // The JobLeaderService registers with the same retrying registration as at the
  // ResourceManager: a lost request or answer is retried with a doubled timeout.
  if (!job_manager_ || job_manager_->established) return;
  const uint64_t attempt = ++job_master_registration_attempt_;
  auto request = std::make_shared<RegisterTaskManagerAtJobMaster>();
  request->resource_id = resource_id_;
  request->task_executor = endpoint_;
  request->leader_session = job_manager_->leader_session;
  request->partitions = finished_blocking_partitions();
  const auto pending = [this, attempt] {
    return job_manager_ && !job_manager_->established &&
           attempt == job_master_registration_attempt_;
  };
  process_.send(endpoint_, job_manager_->endpoint, std::move(request),
                [this, pending](sim::DeliveryFailure) {
                  if (!pending()) return;
                  process_.cancel_timer(job_master_registration_timer_);
                  job_master_registration_timer_ = process_.set_timer(
                      options_.registration_error_delay,
                      [this] { register_at_job_master(options_.registration_initial_timeout); });
                });
  process_.cancel_timer(job_master_registration_timer_);
  job_master_registration_timer_ = process_.set_timer(timeout, [this, timeout, pending] {
    if (pending()) register_at_job_master(std::min(timeout * 2, options_.registration_max_timeout));
  });
}

void TaskExecutor::on_job_master_registration(const RegistrationResponse& response) {
  if (!job_manager_ || job_manager_->established) return;
  process_.cancel_timer(job_master_registration_timer_);
  if (!response.accepted) {
    // The JobMaster is not the leader we registered for; the slots time out unless a new
    // leader claims them.
    process_.trace("jobmaster registration declined", response.responder);
    job_manager_.reset();
    return;
  }
  job_manager_->established = true;
  process_.trace("connected to jobmaster", response.responder);
  job_manager_heartbeats_ = std::make_unique<HeartbeatManager>(
      process_, endpoint_, resource_id_, options_.heartbeat, HeartbeatManager::Role::receiver,
      [this](const std::string&) { disconnect_job_manager("heartbeat of JobManager timed out"); },
      [this](const std::string&) { disconnect_job_manager("JobManager is no longer reachable"); });
  job_manager_heartbeats_->set_payload_exchange(
      {[this](const std::string&) { return execution_deployment_report(); },
       [this](const std::string&, const HeartbeatPayload& payload) {
         if (const auto* report = dynamic_cast<const AllocatedSlotReport*>(&payload)) {
           sync_slots_with_job_master(*report);
         }
       }});
  job_manager_heartbeats_->monitor_target(response.responder, job_manager_->endpoint);
  offer_slots();
}

void TaskExecutor::offer_slots() {
  if (!job_manager_ || !job_manager_->established) return;
  SlotOffer offer{next_offer_id_++, {}};
  for (const TaskSlot& slot : slots_) {
    if (slot.allocation.valid() && !slot.active) offer.allocations.push_back(slot.allocation);
  }
  if (offer.allocations.empty()) return;
  auto message = std::make_shared<OfferSlots>();
  message->resource_id = resource_id_;
  message->leader_session = job_manager_->leader_session;
  message->offer_id = offer.id;
  message->allocations = offer.allocations;
  latest_offer_ = std::move(offer);
  process_.send(endpoint_, job_manager_->endpoint, std::move(message));
}

void TaskExecutor::on_offer_response(const OfferSlotsResponse& response) {
  if (!job_manager_ || job_manager_->leader_session != response.leader_session) return;
  // Only the answer to the latest offer counts: an earlier answer may reject a slot the
  // JobMaster accepts in a later one (TaskExecutor#handleAcceptedSlotOffers).
  if (!latest_offer_ || latest_offer_->id != response.offer_id) return;
  const SlotOffer offer = std::move(*latest_offer_);
  latest_offer_.reset();
  for (const AllocationId& allocation : offer.allocations) {
    const bool accepted = std::find(response.accepted.begin(), response.accepted.end(),
                                    allocation) != response.accepted.end();
    TaskSlot* slot = slot_of(allocation);
    if (accepted && slot != nullptr) {
      mark_slot_active(*slot);
    } else if (accepted) {
      // Freed meanwhile: the JobMaster must not keep it in its pool.
      fail_slot_at_job_master(allocation, "Could not mark slot active.");
    } else if (slot != nullptr) {
      free_slot(allocation, "The slot was rejected by the JobManager.");
    }
  }
}

void TaskExecutor::disconnect_job_manager(const std::string& reason) {
  if (!job_manager_) return;
  process_.trace("jobmanager lost", reason);
  // Fail every task of the job: "JobManager responsible for the job lost the leadership."
  std::vector<ExecutionAttemptId> running;
  for (const auto& [attempt, task] : tasks_) {
    if (!is_terminal(task.state)) running.push_back(attempt);
  }
  for (const ExecutionAttemptId& attempt : running) {
    transition(attempt, ExecutionState::failed,
               FailureCause{FailureCause::Kind::jobmanager_lost,
                            "JobManager responsible for the job lost the leadership",
                            {}});
  }
  if (job_manager_heartbeats_) job_manager_heartbeats_->stop();
  const JobManagerConnection leader = *job_manager_;
  job_manager_.reset();
  latest_offer_.reset();
  process_.cancel_timer(job_master_registration_timer_);
  // Keep the slots for the leader; free them if it does not claim them in time.
  for (TaskSlot& slot : slots_) {
    if (slot.allocation.valid()) mark_slot_inactive(slot);
  }
  // JobLeaderService#reconnect: while slots are allocated to the job, register at its leader
  // again and offer them.
  // With high availability the JobLeaderService knows the leader only from retrieval.
  if (!has_allocated_slots()) return;
  if (!options_.high_availability.enabled) {
    connect_to_job_master(leader.endpoint, leader.leader_session);
  } else if (leader_) {
    connect_to_job_master(leader_->job_master, leader_->session);
  }
}

bool TaskExecutor::has_allocated_slots() const {
  return std::any_of(slots_.begin(), slots_.end(),
                     [](const TaskSlot& slot) { return slot.allocation.valid(); });
}

TaskExecutor::TaskSlot* TaskExecutor::slot_of(AllocationId allocation) {
  if (!allocation.valid()) return nullptr;
  for (TaskSlot& slot : slots_) {
    if (slot.allocation == allocation) return &slot;
  }
  return nullptr;
}

void TaskExecutor::mark_slot_active(TaskSlot& slot) {
  slot.active = true;
  process_.cancel_timer(slot.inactive_timeout);
}

void TaskExecutor::mark_slot_inactive(TaskSlot& slot) {
  slot.active = false;
  process_.cancel_timer(slot.inactive_timeout);
  const AllocationId allocation = slot.allocation;
  slot.inactive_timeout = process_.set_timer(options_.slot_timeout, [this, allocation] {
    const TaskSlot* timed_out = slot_of(allocation);
    if (timed_out != nullptr && !timed_out->active)
      free_slot(allocation, "The slot has timed out.");
  });
}

void TaskExecutor::free_slot(AllocationId allocation, const std::string& reason) {
  for (TaskSlot& slot : slots_) {
    if (slot.allocation != allocation) continue;
    process_.cancel_timer(slot.inactive_timeout);
    slot = TaskSlot{};
  }
  for (auto& [attempt, task] : tasks_) {
    if (task.deployment.allocation == allocation && !is_terminal(task.state)) {
      transition(attempt, ExecutionState::failed,
                 FailureCause{FailureCause::Kind::task_exception, reason, {}});
    }
  }
  send_slot_report();
}

// ---- Heartbeat payloads ------------------------------------------------------------------------

HeartbeatPayloadPtr TaskExecutor::execution_deployment_report() const {
  // Tasks leave the slot table when they reach a final state, before that state is reported.
  auto report = std::make_shared<ExecutionDeploymentReport>();
  for (const auto& [attempt, task] : tasks_) {
    if (!is_terminal(task.state)) report->executions.push_back(attempt);
  }
  return report;
}

void TaskExecutor::fail_slot_at_job_master(AllocationId allocation, const std::string& reason) {
  auto fail = std::make_shared<FailSlot>();
  fail->resource_id = resource_id_;
  fail->allocation = allocation;
  fail->reason = reason;
  process_.send(endpoint_, job_manager_->endpoint, std::move(fail));
}

void TaskExecutor::sync_slots_with_job_master(const AllocatedSlotReport& report) {
  if (!job_manager_) return;
  // Slots the JobMaster holds that are not allocated here: it must release them.
  for (const AllocationId& allocation : report.allocations) {
    if (slot_of(allocation) == nullptr) {
      fail_slot_at_job_master(allocation,
                              "Slot is not allocated on TaskExecutor " + resource_id_ + ".");
    }
  }
  // Active slots the JobMaster no longer holds: free them.
  std::vector<AllocationId> unused;
  for (const TaskSlot& slot : slots_) {
    if (!slot.active) continue;
    if (std::find(report.allocations.begin(), report.allocations.end(), slot.allocation) ==
        report.allocations.end()) {
      unused.push_back(slot.allocation);
    }
  }
  for (const AllocationId& allocation : unused) {
    free_slot(allocation, "The JobMaster no longer holds the slot.");
  }
}

// ---- Tasks -------------------------------------------------------------------------------------

void TaskExecutor::submit_task(sim::EndpointId source, const SubmitTask& submit) {
  const TaskDeploymentDescriptor& deployment = submit.deployment;
  if (!job_manager_ || job_manager_->leader_session != submit.leader_session) {
    reply_to_submission(
        source, deployment.attempt,
        "Could not submit task because there is no JobManager associated for the job.");
    return;
  }
  // TaskSlotTable#tryMarkSlotActive: a slot allocated to the job takes the task, even if the
  // JobMaster's answer to the offer has not arrived yet.
  TaskSlot* slot = slot_of(deployment.allocation);
  if (slot == nullptr) {
    reply_to_submission(source, deployment.attempt,
                        "No task slot allocated for allocation ID " +
                            std::to_string(deployment.allocation.value) + ".");
    return;
  }
  mark_slot_active(*slot);
  reply_to_submission(source, deployment.attempt, std::nullopt);
  Task& task = tasks_[deployment.attempt];
  task.deployment = deployment;
  task.state = ExecutionState::deploying;
  // The task's partitions are registered while it deploys, so early requests of its consumers
  // find them (Flink sets up the result partitions before the invokable runs).
  task.invokable = std::make_unique<runtime::StreamTask>(*this, options_, deployment);
  for (const runtime::ResultPartitionDescriptor& output : deployment.outputs) {
    task.produced.push_back(partitions_.at(output.id));
  }
  const ExecutionAttemptId attempt = deployment.attempt;
  process_.context().trace_event(deployment.task_name, "DEPLOYING", process_.name());
  task.timer = process_.set_timer(options_.task_deploy_time, [this, attempt] { initialize(attempt); });
}

void TaskExecutor::reply_to_submission(sim::EndpointId target, const ExecutionAttemptId& attempt,
                                       std::optional<std::string> failure) {
  auto response = std::make_shared<SubmitTaskResponse>();
  response->attempt = attempt;
  response->failure = std::move(failure);
  process_.send(endpoint_, target, std::move(response));
}

void TaskExecutor::transition(const ExecutionAttemptId& attempt, ExecutionState state,
                              std::optional<FailureCause> cause) {
  const auto it = tasks_.find(attempt);
  if (it == tasks_.end() || is_terminal(it->second.state)) return;
  Task& task = it->second;
  task.state = state;
  process_.context().trace_event(task.deployment.task_name, to_string(state),
                                 cause ? cause->message : std::string());
  if (job_manager_) {
    auto update = std::make_shared<UpdateTaskExecutionState>();
    update->leader_session = task.deployment.leader_session;
    update->attempt = attempt;
    update->state = state;
    update->cause = cause;
    // TaskExecutor#updateTaskExecutionState: a state that cannot be reported fails the task (a
    // task already over has left the slot table; the heartbeats' deployment report tells).
    process_.send(endpoint_, job_manager_->endpoint, std::move(update),
                  [this, attempt](sim::DeliveryFailure) {
                    transition(attempt, ExecutionState::failed,
                               FailureCause{FailureCause::Kind::task_exception,
                                            "Could not report the task's state to the JobManager.",
                                            {}});
                  });
  }
  if (is_terminal(state)) {
    process_.cancel_timer(task.timer);
    if (state != ExecutionState::finished) {
      // A failed or cancelled producer's partitions go with it (Task.releaseResources fails
      // them), blocking ones too: partly written, they must not pass for the finished partition
      // of an earlier attempt with the same id when the TaskManager reports what it holds.
      for (const std::shared_ptr<runtime::ResultPartition>& produced : task.produced) {
        const auto partition = partitions_.find(produced->descriptor().id);
        if (partition != partitions_.end() && partition->second == produced)
          partitions_.erase(partition);
      }
    }
    task.produced.clear();
    release_invokable(attempt);
    return;
  }
  if (state == ExecutionState::running && task.invokable) task.invokable->start();
}

void TaskExecutor::release_invokable(const ExecutionAttemptId& attempt) {
  // The invokable may be on the stack (it reported its own end): free it from a fresh event.
  process_.set_timer(sim::Duration::zero(), [this, attempt] {
    const auto it = tasks_.find(attempt);
    if (it != tasks_.end() && is_terminal(it->second.state)) it->second.invokable.reset();
  });
}

void TaskExecutor::cancel_task(const ExecutionAttemptId& attempt, LeaderSessionId leader_session) {
  const auto it = tasks_.find(attempt);
  if (it == tasks_.end() || is_terminal(it->second.state)) {
    // Unknown or already over: confirm, so the JobMaster does not wait forever.
    if (job_manager_ && it == tasks_.end()) {
      auto update = std::make_shared<UpdateTaskExecutionState>();
      update->leader_session = leader_session;
      update->attempt = attempt;
      update->state = ExecutionState::canceled;
      process_.send(endpoint_, job_manager_->endpoint, std::move(update));
    }
    return;
  }
  process_.cancel_timer(it->second.timer);
  it->second.state = ExecutionState::canceling;
  // Cancelling interrupts the invokable at once; the task reports CANCELED after cleaning up.
  it->second.invokable.reset();
  it->second.timer = process_.set_timer(options_.task_cancel_time, [this, attempt] {
    transition(attempt, ExecutionState::canceled);
  });
}

// ---- Data plane --------------------------------------------------------------------------------

sim::Process& TaskExecutor::process() {
  return process_;
}

std::shared_ptr<runtime::ResultPartition> TaskExecutor::create_partition(
    const runtime::ResultPartitionDescriptor& descriptor) {
  auto partition =
      std::make_shared<runtime::ResultPartition>(descriptor, options_.data_plane, *this);
  partitions_[descriptor.id] = partition;
  return partition;
}

void TaskExecutor::on_task_finished(const ExecutionAttemptId& attempt) {
  transition(attempt, ExecutionState::finished);
}

void TaskExecutor::on_task_failed(const ExecutionAttemptId& attempt, const FailureCause& cause) {
  transition(attempt, ExecutionState::failed, cause);
}

void TaskExecutor::send_data(sim::EndpointId target, sim::MessagePtr message,
                             sim::FailureCallback on_failure) {
  process_.send(endpoint_, target, std::move(message), std::move(on_failure));
}

void TaskExecutor::send_to_job_master(sim::MessagePtr message) {
  if (!job_manager_) return;
  // Checkpoint acknowledgements and declines are one-way RPCs. The simulated partition drops
  // what is in flight where a short real one only delays it (TCP retransmits, Pekko keeps the
  // association): an unreachable JobMaster gets the message again once this side learns of the
  // loss, so a checkpoint completes late instead of waiting for its timeout — which, with
  // tasks waiting for a final checkpoint (FLIP-147), would hold a bounded job for 10 minutes.
  const LeaderSessionId session = job_manager_->leader_session;
  process_.send(endpoint_, job_manager_->endpoint, message,
                [this, message, session](sim::DeliveryFailure failure) {
                  if (failure != sim::DeliveryFailure::unreachable) return;
                  if (!job_manager_ || job_manager_->leader_session != session) return;
                  send_to_job_master(message);
                });
}

void TaskExecutor::on_connection_reset(sim::EndpointId remote) {
  const sim::Network& network = process_.context().network();
  const std::string& name = network.host_name(network.host_of(remote));
  const std::string why = "RemoteTransportException: Connection unexpectedly closed by remote task manager '" +
                          name + "'. This might indicate that the remote task manager was lost.";
  std::vector<ExecutionAttemptId> attempts;
  for (const auto& [attempt, task] : tasks_) attempts.push_back(attempt);
  // A failing task reports to the JobMaster and may leave tasks_: look each one up afresh.
  for (const ExecutionAttemptId& attempt : attempts) {
    if (runtime::StreamTask* task = invokable_of(attempt)) task->on_connection_reset(remote, name, why);
  }
  for (auto& [id, partition] : partitions_) partition->remove_readers_at(remote);
}

void TaskExecutor::deliver_buffer(runtime::TransferBuffer& buffer) {
  if (runtime::StreamTask* task = invokable_of(buffer.channel.consumer)) task->on_buffer(buffer);
}

runtime::StreamTask* TaskExecutor::invokable_of(const ExecutionAttemptId& attempt) {
  const auto it = tasks_.find(attempt);
  if (it == tasks_.end() || is_terminal(it->second.state)) return nullptr;
  return it->second.invokable.get();
}

void TaskExecutor::on_subpartition_request(sim::EndpointId source,
                                           const runtime::RequestSubpartition& request) {
  const auto it = partitions_.find(request.channel.partition);
  if (it == partitions_.end() ||
      request.channel.subpartition >= it->second->descriptor().subpartitions) {
    auto not_found = std::make_shared<runtime::SubpartitionNotFound>();
    not_found->channel = request.channel;
    process_.send(endpoint_, source, std::move(not_found));
    return;
  }
  it->second->add_reader(request, source);
}

bool TaskExecutor::fail_task(graph::ExecutionVertexId vertex, const std::string& reason) {
  for (auto& [attempt, task] : tasks_) {
    if (attempt.vertex == vertex && !is_terminal(task.state)) {
      transition(attempt, ExecutionState::failed,
                 FailureCause{FailureCause::Kind::task_exception, reason, {}});
      return true;
    }
  }
  return false;
}

bool TaskExecutor::runs(graph::ExecutionVertexId vertex) const {
  for (const auto& [attempt, task] : tasks_) {
    if (attempt.vertex == vertex && !is_terminal(task.state)) return true;
  }
  return false;
}

void TaskExecutor::on_message(sim::EndpointId source, const sim::MessagePtr& message) {
  // The data plane's messages first: they are nearly all of what a TaskExecutor receives.
  if (const auto* m = message->as<runtime::TransferBuffer>()) {
    // The invokable takes the buffer's records; the message is not shared with anyone else.
    deliver_buffer(const_cast<runtime::TransferBuffer&>(*m));
  } else if (const auto* m = message->as<runtime::TransferBatch>()) {
    for (runtime::TransferBuffer& buffer : const_cast<runtime::TransferBatch&>(*m).buffers) deliver_buffer(buffer);
  } else if (const auto* m = message->as<runtime::AnnounceCredit>()) {
    const auto it = partitions_.find(m->channel.partition);
    if (it != partitions_.end()) it->second->add_credit(m->channel, m->credit);
  } else if (const auto* m = message->as<HeartbeatRequest>()) {
    resource_manager_heartbeats_.on_request(*m);
    if (job_manager_heartbeats_) job_manager_heartbeats_->on_request(*m);
  } else if (const auto* m = message->as<RegistrationResponse>()) {
    if (m->registrar == RegistrationResponse::Registrar::resource_manager) {
      on_resource_manager_registration(*m);
    } else {
      on_job_master_registration(*m);
    }
  } else if (const auto* m = message->as<RequestSlot>()) {
    on_request_slot(*m);
  } else if (const auto* m = message->as<OfferSlotsResponse>()) {
    on_offer_response(*m);
  } else if (const auto* m = message->as<SubmitTask>()) {
    submit_task(source, *m);
  } else if (const auto* m = message->as<CancelTask>()) {
    if (!from_other_job_master(m->leader_session)) cancel_task(m->attempt, m->leader_session);
  } else if (const auto* m = message->as<FreeSlot>()) {
    if (!from_other_job_master(m->leader_session)) {
      free_slot(m->allocation, "The JobMaster freed the slot.");
    }
  } else if (const auto* m = message->as<runtime::RequestSubpartition>()) {
    on_subpartition_request(source, *m);
  } else if (const auto* m = message->as<checkpoint::TriggerCheckpoint>()) {
    if (!job_manager_ || job_manager_->leader_session != m->leader_session) return;
    if (runtime::StreamTask* task = invokable_of(m->attempt))
      task->trigger_checkpoint(m->checkpoint, m->timestamp, m->type);
  } else if (const auto* m = message->as<checkpoint::NotifyCheckpointComplete>()) {
    if (!job_manager_ || job_manager_->leader_session != m->leader_session) return;
    // BUGGIFY checkpoint-notification-lost: notifyCheckpointComplete is best effort in Flink
    // (CheckpointListener); the next notification commits what this one would have
    // (StreamTask::notify_checkpoint_complete commits every transaction up to its id).
    if (process_.context().buggify().fire("checkpoint-notification-lost", 0.2)) {
      process_.trace("buggify", "checkpoint-notification-lost id=" + std::to_string(m->checkpoint));
      return;
    }
    if (runtime::StreamTask* task = invokable_of(m->attempt))
      task->notify_checkpoint_complete(m->checkpoint);
  } else if (const auto* m = message->as<checkpoint::NotifyCheckpointAborted>()) {
    if (!job_manager_ || job_manager_->leader_session != m->leader_session) return;
    if (runtime::StreamTask* task = invokable_of(m->attempt))
      task->notify_checkpoint_aborted(m->checkpoint);
  } else if (const auto* m = message->as<checkpoint::DownloadComplete>()) {
    on_state_downloaded(*m);
  } else if (const auto* m = message->as<checkpoint::UploadComplete>()) {
    if (runtime::StreamTask* task = invokable_of(m->attempt))
      task->on_upload_complete(m->checkpoint);
  } else if (const auto* m = message->as<SinkAck>()) {
    for (auto& [attempt, task] : tasks_) {
      if (attempt.vertex == m->sink && task.invokable && !is_terminal(task.state)) {
        task.invokable->on_sink_ack(m->sequence, m->refusal);
      }
    }
  } else if (const auto* m = message->as<runtime::CancelPartitionRequest>()) {
    const auto it = partitions_.find(m->channel.partition);
    if (it != partitions_.end()) it->second->remove_reader(m->channel);
  } else if (const auto* m = message->as<runtime::SubpartitionNotFound>()) {
    if (runtime::StreamTask* task = invokable_of(m->channel.consumer))
      task->on_not_found(m->channel);
  } else if (const auto* m = message->as<DisconnectJobManager>()) {
    if (job_manager_ && job_manager_->leader_session == m->leader_session) {
      disconnect_job_manager(m->reason);
    }
  } else if (const auto* m = message->as<DisconnectResourceManager>()) {
    reconnect_to_resource_manager(m->reason);
  }
}

}  // namespace flinksim::model
