#pragma once

// A TaskManager process and its TaskExecutor (Flink's TaskExecutor, TaskSlotTable,
// JobLeaderService and Task, reduced to one job):
// - registers at the ResourceManager (retrying with Flink's registration back-off), reports its
//   slots and answers the ResourceManager's heartbeats;
// - when the ResourceManager assigns a slot to a JobMaster, connects to that JobMaster, offers
//   the slot and answers its heartbeats;
// - runs tasks through DEPLOYING → INITIALIZING → RUNNING → FINISHED / CANCELED / FAILED and
//   reports each state to the JobMaster;
// - when it loses the JobMaster, fails that job's tasks, keeps the slots for
//   `taskmanager.slot.timeout` before freeing them and reconnects to offer them again (Flink's
//   JobLeaderService);
// - reconciles with the JobMaster through the heartbeats: it reports the executions it has
//   deployed and frees the active slots the JobMaster's pool no longer holds.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/cluster_options.h"
#include "model/gateways.h"
#include "model/ha/leader_retrieval.h"
#include "model/ha/kubernetes_client.h"
#include "model/ha/zookeeper_client.h"
#include "model/heartbeat/heartbeat_manager.h"
#include "model/runtime/stream_task.h"
#include "sim/process.h"

namespace flinksim::model {

// The names under which the cluster's static addresses are known (no HA: configured addresses).
struct ClusterDirectory {
  sim::EndpointId resource_manager;  // unset with high availability: found by leader retrieval
  sim::EndpointId zookeeper;         // set with ZooKeeper high availability
  sim::EndpointId kubernetes_api_server;  // set with Kubernetes high availability
  sim::EndpointId sink_store;
  sim::EndpointId checkpoint_storage;
  // Instrumentation the tasks report into; owned by the Cluster.
  runtime::DataPlaneStats* stats = nullptr;
};

class TaskExecutor;

class TaskManagerProcess final : public sim::Process {
 public:
  TaskManagerProcess(sim::Context& context, sim::HostId host, std::string name,
                     const ClusterOptions& options, const ClusterDirectory& directory);
  ~TaskManagerProcess() override;

  sim::EndpointId endpoint() const { return endpoint_; }
  // The ResourceID of the latest start (a restarted TaskManager is a new one to Flink).
  const ResourceId& resource_id() const { return resource_id_; }
  // Fault injection: the user code of a running task throws. Returns false if no such task runs.
  bool fail_task(graph::ExecutionVertexId vertex, const std::string& reason);
  // Whether a task of `vertex` is deployed here and not terminal.
  bool runs(graph::ExecutionVertexId vertex) const;

 protected:
  void on_start() override;
  void on_crash() override;

 private:
  // High availability (task_executor_high_availability.cc).
  void start_leader_retrieval();

  const ClusterOptions& options_;
  const ClusterDirectory& directory_;
  sim::EndpointId endpoint_;
  ResourceId resource_id_;
  std::unique_ptr<TaskExecutor> task_executor_;
  int starts_ = 0;
  // High availability: the ZooKeeper or Kubernetes client and the leader retrieval of the
  // JobManager leader.
  sim::EndpointId ha_endpoint_;
  std::unique_ptr<ha::ZooKeeperClient> zookeeper_;
  std::unique_ptr<ha::KubernetesClient> kubernetes_;
  std::unique_ptr<ha::LeaderRetrievalDriver> leader_retrieval_;
};

class TaskExecutor final : public runtime::TaskHost {
 public:
  TaskExecutor(TaskManagerProcess& process, sim::EndpointId endpoint, ResourceId resource_id,
               const ClusterOptions& options, const ClusterDirectory& directory);
  ~TaskExecutor() override;

  void start();
  void on_message(sim::EndpointId source, const sim::MessagePtr& message);
  bool fail_task(graph::ExecutionVertexId vertex, const std::string& reason);
  bool runs(graph::ExecutionVertexId vertex) const;
  // The TaskManager at `remote` crashed: the data connections with it are gone.
  void on_connection_reset(sim::EndpointId remote);
  // Leader retrieval (high availability, task_executor_high_availability.cc): the JobManager
  // leader changed or is unknown. The TaskExecutor follows the new ResourceManager, and for the
  // job (JobLeaderService) drops the old JobMaster, failing its tasks, and offers its slots and
  // reports its finished partitions to the new one.
  void on_leader_changed(const std::optional<ha::LeaderInformation>& leader);

 private:
  struct TaskSlot {
    AllocationId allocation;
    bool active = false;  // accepted by the current JobMaster, or running its tasks
    sim::TimerId inactive_timeout;
  };
  struct SlotOffer {
    uint64_t id = 0;
    std::vector<AllocationId> allocations;
  };
  struct Task {
    TaskDeploymentDescriptor deployment;
    ExecutionState state = ExecutionState::deploying;
    sim::TimerId timer;
    std::unique_ptr<runtime::StreamTask> invokable;  // from DEPLOYING until terminal
    // The partitions this attempt produces. A later attempt of the same vertex may already
    // serve the same partition ids here (Flink's ResultPartitionID includes the attempt).
    std::vector<std::shared_ptr<runtime::ResultPartition>> produced;
    std::optional<sim::Instant> restore_started;  // reading its state since
  };
  struct JobManagerConnection {
    sim::EndpointId endpoint;
    LeaderSessionId leader_session;
    bool established = false;
  };

  // ResourceManager connection.
  void register_at_resource_manager(sim::Duration timeout);
  void on_resource_manager_registration(const RegistrationResponse& response);
  void send_slot_report();
  void reconnect_to_resource_manager(const std::string& reason);
  // JobMaster connection and slots.
  void on_request_slot(const RequestSlot& request);
  void connect_to_job_master(sim::EndpointId job_master, LeaderSessionId leader_session);
  void register_at_job_master(sim::Duration timeout);
  // High availability: whether a message of `leader_session` comes from a leadership other than
  // the one leader retrieval names.
  bool fenced_out(LeaderSessionId leader_session) const;
  // Fencing of JobMaster RPCs: from a leadership other than the connected JobMaster's.
  bool from_other_job_master(LeaderSessionId leader_session) const {
    return job_manager_ && job_manager_->leader_session != leader_session;
  }
  // The blocking partitions of finished tasks this TaskExecutor still serves.
  std::vector<graph::ResultPartitionId> finished_blocking_partitions() const;
  void on_job_master_registration(const RegistrationResponse& response);
  void offer_slots();
  void on_offer_response(const OfferSlotsResponse& response);
  void disconnect_job_manager(const std::string& reason);
  bool has_allocated_slots() const;
  TaskSlot* slot_of(AllocationId allocation);
  void mark_slot_active(TaskSlot& slot);
  void mark_slot_inactive(TaskSlot& slot);
  void free_slot(AllocationId allocation, const std::string& reason);
  // Heartbeat payloads.
  HeartbeatPayloadPtr execution_deployment_report() const;
  void sync_slots_with_job_master(const AllocatedSlotReport& report);
  // JobMasterGateway#failSlot: the JobMaster's pool holds a slot this TaskExecutor does not.
  void fail_slot_at_job_master(AllocationId allocation, const std::string& reason);
  HeartbeatPayloadPtr slot_report_payload() const;
  std::vector<SlotStatus> slot_statuses() const;
  // Tasks.
  void submit_task(sim::EndpointId source, const SubmitTask& submit);
  void reply_to_submission(sim::EndpointId target, const ExecutionAttemptId& attempt,
                           std::optional<std::string> failure);
  void transition(const ExecutionAttemptId& attempt, ExecutionState state,
                  std::optional<FailureCause> cause = std::nullopt);
  // `leader_session`: the fencing token of the JobMaster that asked.
  void cancel_task(const ExecutionAttemptId& attempt, LeaderSessionId leader_session);
  // INITIALIZING (task_executor_restore.cc): a restored task reads its state — from this
  // TaskManager's local copy with local recovery, else from the checkpoint storage — and then
  // opens its operators (task_initialize_time) before it runs.
  void initialize(const ExecutionAttemptId& attempt);
  void restore_state(const ExecutionAttemptId& attempt);
  std::optional<int64_t> local_copy(const TaskDeploymentDescriptor& deployment) const;
  void download_state(const ExecutionAttemptId& attempt);
  void on_state_downloaded(const checkpoint::DownloadComplete& done);
  void open_task(const ExecutionAttemptId& attempt);
  bool is_initializing(const ExecutionAttemptId& attempt) const;
  void release_invokable(const ExecutionAttemptId& attempt);
  // Data plane.
  void on_subpartition_request(sim::EndpointId source, const runtime::RequestSubpartition& request);
  runtime::StreamTask* invokable_of(const ExecutionAttemptId& attempt);
  void deliver_buffer(runtime::TransferBuffer& buffer);
  // runtime::TaskHost
  sim::Process& process() override;
  std::shared_ptr<runtime::ResultPartition> create_partition(
      const runtime::ResultPartitionDescriptor& descriptor) override;
  sim::EndpointId sink_store() const override { return directory_.sink_store; }
  runtime::DataPlaneStats& stats() override { return *directory_.stats; }
  sim::EndpointId checkpoint_storage() const override { return directory_.checkpoint_storage; }
  void send_to_job_master(sim::MessagePtr message) override;
  void on_task_finished(const ExecutionAttemptId& attempt) override;
  void on_task_failed(const ExecutionAttemptId& attempt, const FailureCause& cause) override;
  void send_data(sim::EndpointId target, sim::MessagePtr message,
                 sim::FailureCallback on_failure) override;
  void keep_local_copy(const graph::ExecutionVertexId& vertex, checkpoint::CheckpointId checkpoint,
                       int64_t bytes) override;

  TaskManagerProcess& process_;
  sim::EndpointId endpoint_;
  ResourceId resource_id_;
  const ClusterOptions& options_;
  const ClusterDirectory& directory_;
  std::vector<TaskSlot> slots_;
  std::map<ExecutionAttemptId, Task> tasks_;
  // The result partitions this TaskExecutor serves: pipelined ones while their producer runs,
  // blocking ones until the process ends.
  std::map<graph::ResultPartitionId, std::shared_ptr<runtime::ResultPartition>> partitions_;
  // Local recovery (Flink's TaskLocalStateStore): the snapshots this TaskManager's tasks took,
  // by subtask and checkpoint, and their size; gone with the process.
  std::map<graph::ExecutionVertexId, std::map<checkpoint::CheckpointId, int64_t>> local_state_;
  std::optional<JobManagerConnection> job_manager_;
  sim::EndpointId resource_manager_;
  std::string resource_manager_id_;  // the ResourceManager's id its registration answer gave
  std::optional<ha::LeaderInformation> leader_;
  sim::TimerId job_master_registration_timer_;
  uint64_t job_master_registration_attempt_ = 0;
  std::optional<SlotOffer> latest_offer_;
  uint64_t next_offer_id_ = 1;
  bool registered_at_resource_manager_ = false;
  sim::TimerId registration_timer_;
  uint64_t registration_attempt_ = 0;
  HeartbeatManager resource_manager_heartbeats_;
  std::unique_ptr<HeartbeatManager> job_manager_heartbeats_;
};

}  // namespace flinksim::model
