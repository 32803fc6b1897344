#pragma once

// The JobMaster of the one job a scenario runs: the slot pool, the scheduler (Flink's
// DefaultScheduler with PipelinedRegionSchedulingStrategy and default slot sharing) and failure
// handling (ExecutionFailureHandler: failover strategy, then restart-backoff strategy, then
// cancel, wait, redeploy). It talks to the ResourceManager and TaskExecutors only by message.

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/checkpoint/checkpoint_coordinator.h"
#include "model/cluster_options.h"
#include "model/gateways.h"
#include "model/graph/execution_graph.h"
#include "model/graph/pipelined_regions.h"
#include "model/jobmaster/slot_request_bulk.h"
#include "model/ha/job_event_writer.h"
#include "model/ha/job_master_ha_services.h"
#include "model/ha/recovered_job.h"
#include "model/heartbeat/heartbeat_manager.h"
#include "model/jobmaster/job_observer.h"
#include "sim/lifetime.h"
#include "strategies/failover_strategy.h"
#include "strategies/restart_backoff_time_strategy.h"
#include "strategies/restart_backoff_time_strategy_factory.h"
#include "strategies/result_partition_availability_checker.h"

namespace flinksim::model {

class JobMaster final : public strategies::ResultPartitionAvailabilityChecker,
                        public checkpoint::CheckpointCoordinatorHost {
 public:
  // With high availability, `ha` are the leader's HA services and `recovered` what a new leader
  // recovered for the job (unset on first submission).
  JobMaster(sim::Process& process, sim::EndpointId endpoint, sim::EndpointId resource_manager,
            const ClusterOptions& options, LeaderSessionId leader_session, JobObserver& observer,
            ha::JobMasterHaServices* ha = nullptr,
            std::optional<ha::RecoveredJob> recovered = std::nullopt);
  ~JobMaster() override;

  void start();
  // An application cluster's JobManager restarted without high availability and ran the job's
  // main again: the job starts over as a new job, from no state. For the run's metrics that is
  // a global failover of the job the user sees (every task restarts).
  void report_resubmission();
  void on_message(sim::EndpointId source, const sim::MessagePtr& message);
  JobStatus status() const { return status_; }
  // A failure of the job as a whole (e.g. too many failed checkpoints): every task restarts,
  // subject to the restart strategy.
  void handle_global_failure(const std::string& reason);
  // The JobManager lost its leadership: stop acting, tell the TaskManagers (JobMaster.onStop
  // disconnects them), and leave the job SUSPENDED for the next leader.
  void suspend(const std::string& reason);
  const std::string& id() const { return id_; }
  // Operator actions (job_master_savepoints.cc), what `flink savepoint`, `flink stop [--drain]`
  // and `flink cancel` ask of the JobMaster. A synchronous type stops the job with the savepoint.
  void trigger_savepoint(checkpoint::SnapshotType type, checkpoint::SavepointCallback done);
  void cancel();
  // The latest completed checkpoint, which a retained-checkpoint restore may start from.
  const checkpoint::CompletedCheckpoint* latest_checkpoint() const {
    return checkpoints_ ? checkpoints_->latest_completed() : nullptr;
  }
  const checkpoint::CheckpointStats* checkpoint_stats() const {
    return checkpoints_ ? &checkpoints_->stats() : nullptr;
  }

 private:
  struct Execution {
    uint32_t attempt = 0;
    ExecutionState state = ExecutionState::created;
    std::optional<AllocationId> allocation;
    uint64_t version =
        0;  // bumped whenever a failover claims the vertex (ExecutionVertexVersioner)
    // The execution deployment tracker: where the attempt was submitted, and whether the
    // TaskExecutor acknowledged it (only then can it be missing from a deployment report).
    std::optional<ResourceId> deployed_on;
    bool deployment_acknowledged = false;
    sim::TimerId submit_timeout;
  };
  struct PooledSlot {
    ResourceId resource_id;
    std::optional<uint32_t> sharing_group;  // the subtask index whose tasks share this slot
  };
  struct TaskManagerRegistration {
    sim::EndpointId endpoint;
  };
  struct PendingRestart {
    uint64_t id = 0;
    std::vector<graph::VertexIndex> vertices;
    std::vector<uint64_t> versions;
    bool delay_elapsed = false;
  };

  // Connection to the ResourceManager.
  void register_at_resource_manager();
  void declare_required_resources();
  // TaskManagers and slots.
  void register_task_manager(const RegisterTaskManagerAtJobMaster& request);
  void on_offer_slots(const OfferSlots& offer);
  void disconnect_task_manager(const ResourceId& resource_id, const FailureCause& cause);
  void fail_slot(const FailSlot& request);
  // Removes the slots from the pool and fails the executions in them.
  void release_slots(const std::set<AllocationId>& allocations, const FailureCause& cause);
  // Heartbeat payloads: the pool's slots on a TaskManager, and its deployment report.
  HeartbeatPayloadPtr allocated_slot_report(const ResourceId& resource_id) const;
  void reconcile_deployments(const ResourceId& resource_id,
                             const ExecutionDeploymentReport& report);
  // Scheduling.
  void schedule(const std::vector<graph::VertexIndex>& vertices);
  void try_deploy();
  bool inputs_ready(graph::VertexIndex vertex) const;
  bool pipelined_producers_placed(graph::VertexIndex vertex) const;
  std::optional<AllocationId> slot_for_group(uint32_t sharing_group);
  void deploy(graph::VertexIndex vertex, AllocationId allocation);
  void on_submit_response(const SubmitTaskResponse& response);
  void fail_deployment(graph::VertexIndex vertex, const std::string& message);
  void cancel_on(const ResourceId& resource_id, const ExecutionAttemptId& attempt);
  std::optional<sim::EndpointId> location_of(graph::VertexIndex vertex) const;
  std::vector<runtime::InputChannelDescriptor> input_channels(graph::VertexIndex vertex) const;
  // The last consumer group searched while building one task's channels, and where it found it.
  struct SubpartitionLookup {
    graph::GroupIndex group = std::numeric_limits<graph::GroupIndex>::max();
    uint32_t position = 0;
  };
  // The subpartition `vertex` reads of a partition consumed by `consumers`.
  uint32_t subpartition_of(graph::VertexIndex vertex, graph::GroupIndex consumers, SubpartitionLookup& lookup) const;
  std::vector<runtime::ResultPartitionDescriptor> output_partitions(
      graph::VertexIndex vertex) const;
  void on_not_enough_resources();
  // Slot request timeouts, one bulk per scheduled region (model/jobmaster/slot_request_bulk.h).
  void check_slot_requests_of(const std::vector<graph::VertexIndex>& vertices);
  void arm_slot_request_check(uint64_t bulk);
  void check_slot_request_bulk(uint64_t bulk);
  std::vector<graph::VertexIndex> waiting_for_slots(const SlotRequestBulk& bulk) const;
  size_t reusable_slots() const;
  void cancel_slot_request_checks();
  // Execution state and failure handling.
  void on_task_state(const UpdateTaskExecutionState& update);
  void set_state(graph::VertexIndex vertex, ExecutionState state);
  void handle_task_failure(graph::VertexIndex vertex, const FailureCause& cause);
  FailoverInputs failover_inputs(const strategies::FailureCause& cause) const;
  // Consults the restart strategy, then cancels `to_restart` and restarts it after the backoff;
  // `failed` is unset for a global failure.
  void restart_tasks(std::optional<graph::ExecutionVertexId> failed,
                     const std::vector<graph::ExecutionVertexId>& to_restart, const FailureCause& cause);
  bool is_schedulable() const {
    return status_ == JobStatus::running || status_ == JobStatus::restarting;
  }
  void restart_after_backoff(std::vector<graph::VertexIndex> vertices, sim::Duration delay);
  void cancel_execution(graph::VertexIndex vertex);
  void maybe_restart();
  void fail_job(const std::string& reason);
  // FAILING or CANCELLING: the executions are being cancelled towards a final status.
  bool is_terminating() const {
    return status_ == JobStatus::failing || status_ == JobStatus::cancelling;
  }
  // StopWithSavepointTerminationHandlerImpl: the stop's savepoint completed or failed.
  void on_stop_savepoint(const checkpoint::SavepointResult& result);
  std::optional<checkpoint::SavepointCallback> stopping_;
  void check_job_end();
  void set_status(JobStatus status);
  void release_resources();
  // checkpoint::CheckpointCoordinatorHost
  std::optional<std::vector<RunningTask>> tasks_to_checkpoint() const override;
  // FLIP-147 in effect: checkpoints go on with finished tasks (a streaming job only).
  bool checkpoints_after_tasks_finish() const;
  void send_to_task(sim::EndpointId location, sim::MessagePtr message,
                    sim::FailureCallback on_failure) override;
  void on_tolerable_failures_exceeded(const std::string& reason) override;
  void persist_completed(const checkpoint::CompletedCheckpoint& checkpoint,
                         std::function<void(bool)> done) override;
  void acquire_checkpoint_id(checkpoint::CheckpointId id, std::function<void(bool)> done) override;
  // High availability (job_master_high_availability.cc). A new leader's start: restore the
  // recovered checkpoint and deploy what must run.
  void start_recovered();
  void run_recovered(const std::vector<graph::VertexIndex>& vertices);
  // FLIP-383 batch job recovery.
  bool records_job_events() const;
  void record_vertex_finished(graph::VertexIndex vertex);
  // Every subtask of the vertex's job vertex FINISHED (ExecutionJobVertex.getAggregateState).
  bool job_vertex_finished(graph::VertexIndex vertex) const;
  void start_job_event_store();
  void record_vertices_reset(const std::vector<graph::VertexIndex>& vertices);
  void start_reconciling();
  void on_partitions_reported(const RegisterTaskManagerAtJobMaster& request);
  bool partition_survived(graph::PartitionIndex partition) const;
  void finish_reconciling();
  // strategies::ResultPartitionAvailabilityChecker: the partition tracker's view.
  bool is_available(const graph::ResultPartitionId& partition) const override;

  sim::Process& process_;
  sim::EndpointId endpoint_;
  sim::EndpointId resource_manager_;
  const ClusterOptions& options_;
  LeaderSessionId leader_session_;
  JobObserver& observer_;
  std::string id_;
  graph::ExecutionGraph graph_;
  graph::PipelinedRegions regions_;
  std::unique_ptr<strategies::FailoverStrategy> failover_strategy_;
  sim::Rng restart_rng_;
  std::unique_ptr<strategies::RestartBackoffTimeStrategy> restart_strategy_;
  // Timers and delivery callbacks outlive a JobMaster closed while its JobManager process
  // lives on (a deposed leader's): they run only while this is alive.
  sim::Lifetime lifetime_;
  JobStatus status_ = JobStatus::created;
  std::vector<Execution> executions_;
  std::map<AllocationId, PooledSlot> slots_;
  std::map<ResourceId, TaskManagerRegistration> task_managers_;
  // Finished blocking partitions and the TaskManager that holds each (the partition tracker).
  std::map<graph::PartitionIndex, ResourceId> tracked_partitions_;
  std::vector<PendingRestart> pending_restarts_;
  bool awaiting_finalization_ = false;  // restarts wait for a checkpoint's HA store outcome
  HeartbeatManager task_manager_heartbeats_;
  HeartbeatManager resource_manager_heartbeats_;
  bool registered_at_resource_manager_ = false;
  sim::TimerId registration_timer_;
  struct PendingSlotRequestBulk {
    SlotRequestBulk bulk;
    sim::TimerId check;
  };
  std::map<uint64_t, PendingSlotRequestBulk> slot_request_bulks_;
  uint64_t next_slot_request_bulk_ = 1;
  uint32_t slots_required_ = 0;
  uint64_t next_restart_id_ = 1;
  std::unique_ptr<checkpoint::CheckpointCoordinator> checkpoints_;
  // The checkpoint restored into the executions restarted last (0: none).
  checkpoint::CheckpointId restore_checkpoint_ = 0;
  ha::JobMasterHaServices* ha_;
  std::optional<ha::RecoveredJob> recovered_;
  // FLIP-383: the job event store's write side, and when a finished subtask's event last carried
  // the coordinators' and shuffle master's snapshot (unset: none yet).
  std::unique_ptr<ha::JobEventWriter> job_events_;
  std::optional<sim::Instant> last_job_event_snapshot_;
  // RECONCILING (FLIP-383): replayed finished vertices with where their partitions were, the
  // TaskManagers still expected to report, and what they reported.
  struct Reconciliation {
    std::map<graph::VertexIndex, ResourceId> finished;
    std::set<ResourceId> awaited;
    std::map<graph::PartitionIndex, ResourceId> reported;
    sim::TimerId timeout;
  };
  std::optional<Reconciliation> reconciliation_;
};

}  // namespace flinksim::model
