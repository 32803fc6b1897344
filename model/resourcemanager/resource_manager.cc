#include "model/resourcemanager/resource_manager.h"

#include <algorithm>

namespace flinksim::model {

ResourceManager::ResourceManager(sim::Process& process, sim::EndpointId endpoint,
                                 const ClusterOptions& options, WorkerStarter start_worker,
                                 int workers_starting, uint64_t allocation_base)
    : process_(process),
      endpoint_(endpoint),
      options_(options),
      start_worker_(std::move(start_worker)),
      task_manager_heartbeats_(
          process, endpoint, process.name() + "/resourcemanager", options.heartbeat,
          HeartbeatManager::Role::sender,
          [this](const std::string& tm) {
            close_task_manager_connection(tm, "heartbeat of TaskManager " + tm + " timed out");
          },
          [this](const std::string& tm) {
            close_task_manager_connection(tm, "TaskManager " + tm + " is no longer reachable");
          }),
      job_manager_heartbeats_(
          process, endpoint, process.name() + "/resourcemanager", options.heartbeat,
          HeartbeatManager::Role::sender,
          [this](const std::string&) { close_job_manager_connection("heartbeat timed out"); },
          [this](const std::string&) { close_job_manager_connection("unreachable"); }),
      started_at_(process.now()),
      workers_requested_(options.deployment == Deployment::kubernetes ? workers_starting : 0),
      next_allocation_(allocation_base + 1) {
  // The TaskExecutors' heartbeats carry their slot reports.
  task_manager_heartbeats_.set_payload_exchange(
      {nullptr, [this](const std::string& tm, const HeartbeatPayload& payload) {
         const auto* report = dynamic_cast<const TaskExecutorHeartbeatPayload*>(&payload);
         if (report != nullptr && apply_slot_report(tm, report->slots))
           check_resource_requirements();
       }});
}

void ResourceManager::on_message(sim::EndpointId source, const sim::MessagePtr& message) {
  (void)source;
  if (const auto* m = message->as<HeartbeatRequest>()) {
    task_manager_heartbeats_.on_request(*m);
    job_manager_heartbeats_.on_request(*m);
  } else if (const auto* m = message->as<HeartbeatResponse>()) {
    task_manager_heartbeats_.on_response(*m);
    job_manager_heartbeats_.on_response(*m);
  } else if (const auto* m = message->as<RegisterTaskExecutorRequest>()) {
    register_task_executor(*m);
  } else if (const auto* m = message->as<SendSlotReport>()) {
    on_slot_report(*m);
  } else if (const auto* m = message->as<SlotRequestFailed>()) {
    on_slot_request_failed(m->resource_id, m->allocation);
  } else if (const auto* m = message->as<RegisterJobMasterRequest>()) {
    register_job_master(*m);
  } else if (const auto* m = message->as<DeclareRequiredResources>()) {
    if (job_master_ && job_master_->leader_session == m->leader_session) {
      job_master_->slots_required = m->slots_required;
      check_resource_requirements();
    }
  } else if (const auto* m = message->as<DisconnectJobManagerAtResourceManager>()) {
    if (job_master_ && job_master_->leader_session == m->leader_session) {
      close_job_manager_connection("JobMaster disconnected");
    }
  }
}

void ResourceManager::register_task_executor(const RegisterTaskExecutorRequest& request) {
  // A re-registration of a known TaskExecutor replaces the old connection (Flink does the same
  // when a TaskExecutor with the same ResourceID registers again).
  if (workers_.count(request.resource_id) > 0) {
    task_manager_heartbeats_.unmonitor_target(request.resource_id);
    workers_.erase(request.resource_id);
  } else if (workers_requested_ > 0) {
    --workers_requested_;
  }
  Worker& worker = workers_[request.resource_id];
  worker.endpoint = request.task_executor;
  worker.slots.resize(static_cast<size_t>(request.slots));
  task_manager_heartbeats_.monitor_target(request.resource_id, request.task_executor);
  process_.trace("taskmanager registered", request.resource_id);
  auto response = std::make_shared<RegistrationResponse>();
  response->accepted = true;
  response->responder = process_.name() + "/resourcemanager";
  process_.send(endpoint_, request.task_executor, std::move(response));
}

void ResourceManager::on_slot_report(const SendSlotReport& report) {
  apply_slot_report(report.resource_id, report.slots);
  check_resource_requirements();
}

bool ResourceManager::apply_slot_report(const ResourceId& resource_id,
                                        const std::vector<SlotStatus>& statuses) {
  const auto it = workers_.find(resource_id);
  if (it == workers_.end()) return false;
  bool changed = false;
  for (const SlotStatus& status : statuses) {
    if (status.slot_index < 0 ||
        static_cast<size_t>(status.slot_index) >= it->second.slots.size()) {
      continue;
    }
    Slot& slot = it->second.slots[static_cast<size_t>(status.slot_index)];
    // A pending request stays pending until the TaskExecutor reports the allocation.
    if (slot.pending && status.allocation != slot.allocation) continue;
    changed = changed || slot.pending || slot.allocation != status.allocation;
    slot.pending = false;
    slot.allocation = status.allocation;
  }
  return changed;
}

void ResourceManager::on_slot_request_failed(const ResourceId& resource_id,
                                             AllocationId allocation) {
  // DefaultSlotStatusSyncer#allocateSlot: a failed request frees the slot in the slot manager's
  // view (an occupant shows in the slot report that follows) and the requirements are checked
  // again.
  const auto it = workers_.find(resource_id);
  if (it == workers_.end()) return;
  for (Slot& slot : it->second.slots) {
    if (!slot.pending || slot.allocation != allocation) continue;
    slot = Slot{};
    check_resource_requirements();
    return;
  }
}

void ResourceManager::register_job_master(const RegisterJobMasterRequest& request) {
  if (job_master_) job_manager_heartbeats_.unmonitor_target(job_master_->id);
  job_master_ =
      JobMasterRegistration{request.job_master_id, request.job_master, request.leader_session, 0};
  job_manager_heartbeats_.monitor_target(request.job_master_id, request.job_master);
  auto response = std::make_shared<RegistrationResponse>();
  response->accepted = true;
  response->responder = process_.name() + "/resourcemanager";
  process_.send(endpoint_, request.job_master, std::move(response));
}

void ResourceManager::close_task_manager_connection(const std::string& resource_id,
                                                    const std::string& reason) {
  const auto it = workers_.find(resource_id);
  if (it == workers_.end()) return;
  process_.trace("taskmanager unregistered", resource_id + ": " + reason);
  auto disconnect = std::make_shared<DisconnectResourceManager>();
  disconnect->reason = reason;
  process_.send(endpoint_, it->second.endpoint, std::move(disconnect));
  task_manager_heartbeats_.unmonitor_target(resource_id);
  workers_.erase(it);
  check_resource_requirements();
}

void ResourceManager::on_worker_terminated(const ResourceId& resource_id) {
  // ActiveResourceManager#onWorkerTerminated closes the TaskManager connection, which asks for a
  // replacement worker; since FLINK-34526 it also tells the JobMaster to disconnect the
  // TaskManager, so the JobMaster stops offering its slots to restarts at once.
  if (workers_.count(resource_id) == 0) return;
  const std::string reason = "Pod of " + resource_id + " terminated (Kubernetes pod watch).";
  if (job_master_) {
    auto disconnect = std::make_shared<DisconnectTaskManager>();
    disconnect->resource_id = resource_id;
    disconnect->reason = reason;
    process_.send(endpoint_, job_master_->endpoint, std::move(disconnect));
  }
  close_task_manager_connection(resource_id, reason);
}

void ResourceManager::close_job_manager_connection(const std::string& reason) {
  if (!job_master_) return;
  process_.trace("jobmaster disconnected", reason);
  job_manager_heartbeats_.unmonitor_target(job_master_->id);
  job_master_.reset();
}

int ResourceManager::slots_allocated_or_pending() const {
  int count = 0;
  for (const auto& [id, worker] : workers_) {
    for (const Slot& slot : worker.slots) count += slot.allocation.valid() ? 1 : 0;
  }
  return count;
}

void ResourceManager::check_resource_requirements() {
  if (!job_master_) return;
  int missing = job_master_->slots_required - slots_allocated_or_pending();
  // Free slots in a stable order: by TaskManager name, then slot index.
  for (auto& [resource_id, worker] : workers_) {
    for (size_t index = 0; index < worker.slots.size() && missing > 0; ++index) {
      Slot& slot = worker.slots[index];
      if (slot.allocation.valid()) continue;
      slot.allocation = AllocationId{next_allocation_++};
      slot.pending = true;
      --missing;
      auto request = std::make_shared<RequestSlot>();
      request->slot_index = static_cast<int>(index);
      request->allocation = slot.allocation;
      request->job_master = job_master_->endpoint;
      request->leader_session = job_master_->leader_session;
      // A request the TaskExecutor never gets fails after the ask timeout; the slot is free again.
      const ResourceId worker_id = resource_id;
      const AllocationId allocation = slot.allocation;
      process_.send(endpoint_, worker.endpoint, std::move(request),
                    [this, worker_id, allocation](sim::DeliveryFailure) {
                      on_slot_request_failed(worker_id, allocation);
                    });
    }
  }
  if (missing <= 0) return;
  if (options_.deployment == Deployment::kubernetes) {
    // Active resource manager: request as many new workers as slots are missing.
    const int slots_per_worker = std::max(1, options_.slots_per_taskmanager);
    const int workers_needed = (missing + slots_per_worker - 1) / slots_per_worker;
    while (workers_requested_ < workers_needed) {
      ++workers_requested_;
      process_.trace("requesting new worker");
      start_worker_();
    }
    return;
  }
  // Standalone: during the start-up period TaskManagers may still register; afterwards an
  // unfulfillable requirement is reported to the JobMaster at once.
  const sim::Duration startup =
      options_.standalone_startup_time.value_or(options_.slot_request_timeout);
  const sim::Instant startup_end = started_at_ + startup;
  if (process_.now() < startup_end) {
    if (!startup_check_scheduled_) {
      startup_check_scheduled_ = true;
      process_.set_timer(startup_end - process_.now(), [this] { check_resource_requirements(); });
    }
    return;
  }
  auto notification = std::make_shared<NotifyNotEnoughResourcesAvailable>();
  notification->slots_available = slots_allocated_or_pending();
  process_.send(endpoint_, job_master_->endpoint, std::move(notification));
}

}  // namespace flinksim::model
