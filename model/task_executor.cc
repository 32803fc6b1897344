#include "model/task_executor.h"

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
  if (options_.high_availability.enabled) {
    zookeeper_endpoint_ = add_endpoint(this->name() + "/zookeeper-client",
                                       [this](sim::EndpointId, const sim::MessagePtr& message) {
                                         if (zookeeper_) zookeeper_->on_message(message);
                                       });
  }
}

TaskManagerProcess::~TaskManagerProcess() = default;

void TaskManagerProcess::on_start() {
  // Flink generates a TaskManager's ResourceID at start-up (host:port plus a random suffix), so
  // a restarted TaskManager is a new one to the JobMaster and the ResourceManager.
  ++starts_;
  const std::string resource_id = starts_ == 1 ? name() : name() + "#" + std::to_string(starts_);
  task_executor_ = std::make_unique<TaskExecutor>(*this, endpoint_, resource_id, options_, directory_);
  task_executor_->start();
  if (options_.high_availability.enabled) start_leader_retrieval();
}

void TaskManagerProcess::on_crash() {
  leader_retrieval_.reset();
  zookeeper_.reset();
  task_executor_.reset();
}

bool TaskManagerProcess::fail_task(graph::ExecutionVertexId vertex, const std::string& reason) {
  return task_executor_ && task_executor_->fail_task(vertex, reason);
}

bool TaskManagerProcess::runs(graph::ExecutionVertexId vertex) const {
  return task_executor_ && task_executor_->runs(vertex);
}

TaskExecutor::TaskExecutor(TaskManagerProcess& process, sim::EndpointId endpoint, ResourceId resource_id,
                           const ClusterOptions& options, const ClusterDirectory& directory)
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
          }) {}

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
  // Flink's RetryingRegistration: each attempt waits `timeout` for an answer, doubling it up to
  // the maximum; a failed connection waits `cluster.registration.error-delay`.
  const uint64_t attempt = ++registration_attempt_;
  auto request = std::make_shared<RegisterTaskExecutorRequest>();
  request->resource_id = resource_id_;
  request->task_executor = endpoint_;
  request->slots = static_cast<int>(slots_.size());
  process_.send(endpoint_, resource_manager_, std::move(request),
                [this, attempt](sim::DeliveryFailure) {
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
  for (size_t index = 0; index < slots_.size(); ++index) {
    report->slots.push_back(SlotStatus{static_cast<int>(index), slots_[index].allocation});
  }
  process_.send(endpoint_, resource_manager_, std::move(report));
}

void TaskExecutor::reconnect_to_resource_manager(const std::string& reason) {
  process_.trace("resourcemanager lost", reason);
  registered_at_resource_manager_ = false;
  register_at_resource_manager(options_.registration_initial_timeout);
}

// ---- JobMaster connection and slots ------------------------------------------------------------

void TaskExecutor::on_request_slot(const RequestSlot& request) {
  if (request.slot_index < 0 || static_cast<size_t>(request.slot_index) >= slots_.size()) return;
  TaskSlot& slot = slots_[static_cast<size_t>(request.slot_index)];
  if (slot.allocation.valid() && slot.allocation != request.allocation) {
    send_slot_report();  // the slot is taken: the report corrects the ResourceManager's view
    return;
  }
  slot.allocation = request.allocation;
  slot.active = false;
  send_slot_report();
  if (job_manager_ && job_manager_->leader_session == request.leader_session) {
    if (job_manager_->established) offer_slots();
    return;
  }
  connect_to_job_master(request.job_master, request.leader_session);
}

void TaskExecutor::connect_to_job_master(sim::EndpointId job_master,
                                         LeaderSessionId leader_session) {
  job_manager_ = JobManagerConnection{job_master, leader_session, false};
  register_at_job_master(options_.registration_initial_timeout);
}

void TaskExecutor::register_at_job_master(sim::Duration timeout) {
  // JobLeaderService's RetryingRegistration: a new leader's JobMaster may not be up yet when
  // leader retrieval names it, so the registration is repeated until answered.
  auto request = std::make_shared<RegisterTaskManagerAtJobMaster>();
  request->resource_id = resource_id_;
  request->task_executor = endpoint_;
  request->partitions = finished_blocking_partitions();
  process_.send(endpoint_, job_manager_->endpoint, std::move(request));
  const LeaderSessionId session = job_manager_->leader_session;
  process_.cancel_timer(job_master_registration_timer_);
  job_master_registration_timer_ = process_.set_timer(timeout, [this, session, timeout] {
    const bool answered = !job_manager_ || job_manager_->established;
    if (answered || job_manager_->leader_session != session) return;
    register_at_job_master(std::min(timeout * 2, options_.registration_max_timeout));
  });
}

void TaskExecutor::on_job_master_registration(const RegistrationResponse& response) {
  if (!job_manager_ || job_manager_->established || !response.accepted) return;
  job_manager_->established = true;
  process_.trace("connected to jobmaster", response.responder);
  job_manager_heartbeats_ = std::make_unique<HeartbeatManager>(
      process_, endpoint_, resource_id_, options_.heartbeat, HeartbeatManager::Role::receiver,
      [this](const std::string&) {
        disconnect_job_manager("heartbeat of JobManager timed out");
      },
      [this](const std::string&) {
        disconnect_job_manager("JobManager is no longer reachable");
      });
  job_manager_heartbeats_->monitor_target(response.responder, job_manager_->endpoint);
  offer_slots();
}

void TaskExecutor::offer_slots() {
  auto offer = std::make_shared<OfferSlots>();
  offer->resource_id = resource_id_;
  offer->leader_session = job_manager_->leader_session;
  for (TaskSlot& slot : slots_) {
    if (!slot.allocation.valid() || slot.active) continue;
    process_.cancel_timer(slot.inactive_timeout);
    offer->allocations.push_back(slot.allocation);
  }
  if (offer->allocations.empty()) return;
  process_.send(endpoint_, job_manager_->endpoint, std::move(offer));
}

void TaskExecutor::on_offer_response(const OfferSlotsResponse& response) {
  if (!job_manager_ || job_manager_->leader_session != response.leader_session) return;
  for (TaskSlot& slot : slots_) {
    if (!slot.allocation.valid() || slot.active) continue;
    const bool accepted = std::find(response.accepted.begin(), response.accepted.end(),
                                    slot.allocation) != response.accepted.end();
    if (accepted) {
      slot.active = true;
    } else {
      free_slot(slot.allocation);
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
                            "JobManager responsible for the job lost the leadership", {}});
  }
  if (job_manager_heartbeats_) job_manager_heartbeats_->stop();
  job_manager_.reset();
  // Keep the slots for a new leader; free them if none claims them in time.
  for (TaskSlot& slot : slots_) {
    if (!slot.allocation.valid()) continue;
    slot.active = false;
    const AllocationId allocation = slot.allocation;
    process_.cancel_timer(slot.inactive_timeout);
    slot.inactive_timeout =
        process_.set_timer(options_.slot_timeout, [this, allocation] { free_slot(allocation); });
  }
}

void TaskExecutor::free_slot(AllocationId allocation) {
  for (TaskSlot& slot : slots_) {
    if (slot.allocation != allocation) continue;
    process_.cancel_timer(slot.inactive_timeout);
    slot = TaskSlot{};
  }
  for (auto& [attempt, task] : tasks_) {
    if (task.deployment.allocation == allocation && !is_terminal(task.state)) {
      transition(attempt, ExecutionState::failed,
                 FailureCause{FailureCause::Kind::task_exception, "slot was freed", {}});
    }
  }
  send_slot_report();
}

// ---- Tasks -------------------------------------------------------------------------------------

void TaskExecutor::submit_task(const SubmitTask& submit) {
  if (!job_manager_ || job_manager_->leader_session != submit.leader_session) return;
  const TaskDeploymentDescriptor& deployment = submit.deployment;
  const bool slot_active = std::any_of(slots_.begin(), slots_.end(), [&](const TaskSlot& slot) {
    return slot.allocation == deployment.allocation && slot.active;
  });
  if (!slot_active) {
    auto update = std::make_shared<UpdateTaskExecutionState>();
    update->attempt = deployment.attempt;
    update->state = ExecutionState::failed;
    update->cause = FailureCause{FailureCause::Kind::task_exception,
                                 "no active slot for the task's allocation", {}};
    process_.send(endpoint_, job_manager_->endpoint, std::move(update));
    return;
  }
  Task& task = tasks_[deployment.attempt];
  task.deployment = deployment;
  task.state = ExecutionState::deploying;
  // The task's partitions are registered while it deploys, so early requests of its consumers
  // find them (Flink sets up the result partitions before the invokable runs).
  task.invokable = std::make_unique<runtime::StreamTask>(*this, options_, deployment);
  const ExecutionAttemptId attempt = deployment.attempt;
  process_.context().trace_event(deployment.task_name, "DEPLOYING", process_.name());
  task.timer = process_.set_timer(options_.task_deploy_time, [this, attempt] {
    transition(attempt, ExecutionState::initializing);
    tasks_[attempt].timer = process_.set_timer(options_.task_initialize_time, [this, attempt] {
      transition(attempt, ExecutionState::running);
    });
  });
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
    update->attempt = attempt;
    update->state = state;
    update->cause = cause;
    process_.send(endpoint_, job_manager_->endpoint, std::move(update));
  }
  if (is_terminal(state)) {
    process_.cancel_timer(task.timer);
    if (state != ExecutionState::finished) {
      // A failed or cancelled producer's pipelined partitions go with it.
      for (const runtime::ResultPartitionDescriptor& output : task.deployment.outputs) {
        const auto partition = partitions_.find(output.id);
        if (partition != partitions_.end() && !output.blocking) partitions_.erase(partition);
      }
    }
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

void TaskExecutor::cancel_task(const ExecutionAttemptId& attempt) {
  const auto it = tasks_.find(attempt);
  if (it == tasks_.end() || is_terminal(it->second.state)) {
    // Unknown or already over: confirm, so the JobMaster does not wait forever.
    if (job_manager_ && it == tasks_.end()) {
      auto update = std::make_shared<UpdateTaskExecutionState>();
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

sim::Process& TaskExecutor::process() { return process_; }

std::shared_ptr<runtime::ResultPartition> TaskExecutor::create_partition(
    const runtime::ResultPartitionDescriptor& descriptor) {
  auto partition = std::make_shared<runtime::ResultPartition>(descriptor, options_.data_plane, *this);
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
  if (job_manager_) process_.send(endpoint_, job_manager_->endpoint, std::move(message));
}

runtime::StreamTask* TaskExecutor::invokable_of(const ExecutionAttemptId& attempt) {
  const auto it = tasks_.find(attempt);
  if (it == tasks_.end() || is_terminal(it->second.state)) return nullptr;
  return it->second.invokable.get();
}

void TaskExecutor::on_subpartition_request(sim::EndpointId source,
                                           const runtime::RequestSubpartition& request) {
  const auto it = partitions_.find(request.channel.partition);
  if (it == partitions_.end() || request.channel.subpartition >= it->second->descriptor().subpartitions) {
    auto not_found = std::make_shared<runtime::SubpartitionNotFound>();
    not_found->channel = request.channel;
    process_.send(endpoint_, source, std::move(not_found));
    return;
  }
  it->second->add_reader(request.channel, source, request.initial_credit);
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
  if (const auto* m = message->as<HeartbeatRequest>()) {
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
    submit_task(*m);
  } else if (const auto* m = message->as<CancelTask>()) {
    cancel_task(m->attempt);
  } else if (const auto* m = message->as<FreeSlot>()) {
    free_slot(m->allocation);
  } else if (const auto* m = message->as<runtime::TransferBuffer>()) {
    // The invokable takes the buffer's records; the message is not shared with anyone else.
    if (runtime::StreamTask* task = invokable_of(m->channel.consumer)) {
      task->on_buffer(const_cast<runtime::TransferBuffer&>(*m));
    }
  } else if (const auto* m = message->as<runtime::AnnounceCredit>()) {
    const auto it = partitions_.find(m->channel.partition);
    if (it != partitions_.end()) it->second->add_credit(m->channel, m->credit);
  } else if (const auto* m = message->as<runtime::RequestSubpartition>()) {
    on_subpartition_request(source, *m);
  } else if (const auto* m = message->as<checkpoint::TriggerCheckpoint>()) {
    if (!job_manager_ || job_manager_->leader_session != m->leader_session) return;
    if (runtime::StreamTask* task = invokable_of(m->attempt)) task->trigger_checkpoint(m->checkpoint);
  } else if (const auto* m = message->as<checkpoint::NotifyCheckpointComplete>()) {
    if (!job_manager_ || job_manager_->leader_session != m->leader_session) return;
    if (runtime::StreamTask* task = invokable_of(m->attempt)) task->notify_checkpoint_complete(m->checkpoint);
  } else if (const auto* m = message->as<checkpoint::NotifyCheckpointAborted>()) {
    if (!job_manager_ || job_manager_->leader_session != m->leader_session) return;
    if (runtime::StreamTask* task = invokable_of(m->attempt)) task->notify_checkpoint_aborted(m->checkpoint);
  } else if (const auto* m = message->as<checkpoint::UploadComplete>()) {
    if (runtime::StreamTask* task = invokable_of(m->attempt)) task->on_upload_complete(m->checkpoint);
  } else if (const auto* m = message->as<SinkAck>()) {
    for (auto& [attempt, task] : tasks_) {
      if (attempt.vertex == m->sink && task.invokable && !is_terminal(task.state)) {
        task.invokable->on_sink_ack(m->sequence);
      }
    }
  } else if (const auto* m = message->as<runtime::SubpartitionNotFound>()) {
    if (runtime::StreamTask* task = invokable_of(m->channel.consumer)) task->on_not_found(m->channel);
  } else if (const auto* m = message->as<DisconnectJobManager>()) {
    if (job_manager_ && job_manager_->leader_session == m->leader_session) {
      disconnect_job_manager(m->reason);
    }
  } else if (const auto* m = message->as<DisconnectResourceManager>()) {
    reconnect_to_resource_manager(m->reason);
  }
}

}  // namespace flinksim::model
