#pragma once

// The ResourceManager with its slot manager (Flink's ResourceManager, DeclarativeSlotManager,
// StandaloneResourceManager and ActiveResourceManager, reduced to one job):
// - TaskExecutors register and report their slots; the ResourceManager heartbeats them;
// - the JobMaster registers and declares how many slots it needs;
// - free slots are assigned by asking TaskExecutors to offer them to the JobMaster;
// - a standalone deployment cannot start TaskManagers: after its start-up period it tells the
//   JobMaster that not enough resources are available; a Kubernetes-like (active) deployment
//   asks its resource provider for new workers instead.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "model/cluster_options.h"
#include "model/gateways.h"
#include "model/heartbeat/heartbeat_manager.h"

namespace flinksim::model {

class ResourceManager {
 public:
  // Starts a new TaskManager process (active deployments); returns false when it cannot.
  using WorkerStarter = std::function<void()>;

  // `workers_starting`: TaskManagers already being started for this ResourceManager (the
  // initial pods of an active deployment), which it must not request again.
  // `allocation_base`: allocation ids start above it, so that the allocations of different
  // leaders (high availability) never collide.
  ResourceManager(sim::Process& process, sim::EndpointId endpoint, const ClusterOptions& options,
                  WorkerStarter start_worker, int workers_starting, uint64_t allocation_base = 0);

  void on_message(sim::EndpointId source, const sim::MessagePtr& message);
  // Kubernetes: the pod watch reports that a TaskManager's pod terminated
  // (KubernetesResourceManagerDriver#onPodTerminated).
  void on_worker_terminated(const ResourceId& resource_id);

 private:
  struct Slot {
    AllocationId allocation;  // invalid = free
    bool pending = false;     // requested from the TaskExecutor, not yet reported allocated
  };
  struct Worker {
    sim::EndpointId endpoint;
    std::vector<Slot> slots;
  };
  struct JobMasterRegistration {
    std::string id;
    sim::EndpointId endpoint;
    LeaderSessionId leader_session;
    int slots_required = 0;
  };

  void register_task_executor(const RegisterTaskExecutorRequest& request);
  void on_slot_report(const SendSlotReport& report);
  void on_slot_request_failed(const ResourceId& resource_id, AllocationId allocation);
  // Brings the slot manager's view of a TaskExecutor's slots in line; true if it changed.
  bool apply_slot_report(const ResourceId& resource_id, const std::vector<SlotStatus>& statuses);
  void register_job_master(const RegisterJobMasterRequest& request);
  void close_task_manager_connection(const std::string& resource_id, const std::string& reason);
  void close_job_manager_connection(const std::string& reason);
  // Matches declared requirements with free slots, or reacts to a shortage.
  void check_resource_requirements();
  int slots_allocated_or_pending() const;

  sim::Process& process_;
  sim::EndpointId endpoint_;
  const ClusterOptions& options_;
  WorkerStarter start_worker_;
  HeartbeatManager task_manager_heartbeats_;
  HeartbeatManager job_manager_heartbeats_;
  std::map<ResourceId, Worker> workers_;
  std::optional<JobMasterRegistration> job_master_;
  sim::Instant started_at_;
  int workers_requested_ = 0;  // active deployments: started, not yet registered
  uint64_t next_allocation_ = 1;
  bool startup_check_scheduled_ = false;
};

}  // namespace flinksim::model
