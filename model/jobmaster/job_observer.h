#pragma once

// What the run recorder learns from the JobMaster: status changes, task states and failover
// decisions. This is instrumentation (Flink's metrics and REST API play this role); it never
// feeds back into the protocol.

#include <optional>
#include <string>
#include <vector>

#include "model/execution_state.h"
#include "model/graph/ids.h"
#include "model/ids.h"
#include "sim/time.h"

namespace flinksim::model {

// What a failover strategy decided from, besides the topology: the partitions the JobMaster's
// partition tracker held (Flink's ResultPartitionAvailabilityChecker answers from it) and the one
// a PartitionException named. Recorded so that a test can apply Flink's rule to the same inputs
// itself (RestartPipelinedRegionFailoverStrategy#getTasksNeedingRestart) without calling ours.
struct FailoverInputs {
  std::vector<graph::ResultPartitionId> tracked_partitions;  // ascending
  std::optional<graph::ResultPartitionId> failed_partition;
};

// Status and task states carry the reporting JobMaster's leader session: in a split brain
// (high-availability.zookeeper.client.tolerate-suspended-connections) a deposed leader keeps
// reporting its own, stale view of the job for a while.
class JobObserver {
 public:
  virtual ~JobObserver() = default;
  virtual void on_job_status(sim::Instant time, LeaderSessionId session, JobStatus status) = 0;
  virtual void on_task_state(sim::Instant time, LeaderSessionId session,
                             graph::ExecutionVertexId vertex, ExecutionState state) = 0;
  // A failure was handled by restarting `restarted` after `delay`; `failed` is unset for a
  // global failure; `cause` is the failure (the task's exception, the heartbeat timeout of a
  // lost TaskManager, the reason of a global failover).
  virtual void on_failover(sim::Instant time, LeaderSessionId session,
                           std::optional<graph::ExecutionVertexId> failed,
                           const std::vector<graph::ExecutionVertexId>& restarted, sim::Duration delay,
                           const FailureCause& cause) = 0;
  // Called just before on_failover for a task failure, with what the strategy saw.
  virtual void on_failover_inputs(const FailoverInputs& inputs) { (void)inputs; }
  // The job is failing for good, for `reason` (Flink's ExecutionFailureHandler: "Recovery is
  // suppressed by " + the restart strategy's toString).
  virtual void on_job_failing(sim::Instant time, LeaderSessionId session, const std::string& reason) {
    (void)time;
    (void)session;
    (void)reason;
  }
  // A new JobManager leader took the job over: the job stood still since the fault that cost
  // the previous leader, not only since this failover.
  virtual void on_leader_recovery(sim::Instant time) { (void)time; }
  // With high availability: the job's terminal status is in the job result store, so no later
  // leader runs it again: the job's end is final.
  virtual void on_job_result_recorded(sim::Instant time, JobStatus status) {
    (void)time;
    (void)status;
  }
};

}  // namespace flinksim::model
