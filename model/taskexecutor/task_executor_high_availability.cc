// The TaskManager's side of high availability: its ZooKeeper client and leader retrieval, and
// how the TaskExecutor follows a new JobManager leader (Flink's TaskExecutor with its
// ResourceManager leader listener and JobLeaderService).

#include "model/ha/ha_paths.h"
#include "model/ha/kubernetes_leader_election_driver.h"
#include "model/taskexecutor/task_executor.h"

namespace flinksim::model {

void TaskManagerProcess::start_leader_retrieval() {
  const auto on_leader = [this](const std::optional<ha::LeaderInformation>& leader) {
    if (task_executor_) task_executor_->on_leader_changed(leader);
  };
  if (options_.high_availability.kind == HighAvailabilityKind::kubernetes) {
    // KubernetesLeaderRetrievalDriver: the cluster ConfigMap, watched.
    kubernetes_ = std::make_unique<ha::KubernetesClient>(*this, ha_endpoint_,
                                                         directory_.kubernetes_api_server);
    leader_retrieval_ = std::make_unique<ha::KubernetesLeaderRetrieval>(*kubernetes_, on_leader);
    return;
  }
  ha::ZooKeeperClientOptions client_options;
  client_options.session_timeout = options_.high_availability.session_timeout;
  client_options.connection_timeout = options_.high_availability.connection_timeout;
  zookeeper_ = std::make_unique<ha::ZooKeeperClient>(*this, ha_endpoint_,
                                                     directory_.zookeeper, client_options);
  leader_retrieval_ = std::make_unique<ha::LeaderRetrieval>(
      *zookeeper_, ha::paths::connection_info(),
      options_.high_availability.tolerate_suspended_connections, on_leader);
  zookeeper_->start();
}

void TaskExecutor::on_leader_changed(const std::optional<ha::LeaderInformation>& leader) {
  const std::optional<ha::LeaderInformation> previous = leader_;
  leader_ = leader;
  process_.trace("jobmanager leader", leader ? leader->format() : "none");
  if (job_manager_ && (!leader || job_manager_->leader_session != leader->session)) {
    disconnect_job_manager("JobManager responsible for the job lost the leadership");
  }
  if (!leader) return;
  // A new leadership means a new ResourceManager, even at the same address.
  const bool new_resource_manager = !previous || previous->session != leader->session ||
                                    leader->resource_manager != resource_manager_;
  if (new_resource_manager) {
    resource_manager_ = leader->resource_manager;
    resource_manager_heartbeats_.unmonitor_target(resource_manager_id_);
    reconnect_to_resource_manager("new ResourceManager leader");
  }
  // JobLeaderService: slots still allocated to the job are offered to its new leader, and the
  // job's finished partitions are reported to it (FLIP-383).
  const bool holds_partitions = !finished_blocking_partitions().empty();
  if (!job_manager_ && (has_allocated_slots() || holds_partitions)) {
    connect_to_job_master(leader->job_master, leader->session);
  }
}

bool TaskExecutor::fenced_out(LeaderSessionId leader_session) const {
  // With high availability only the leader that retrieval names may allocate slots here (Flink
  // fences ResourceManager RPCs by the leader's id): a deposed leader that still believes it
  // leads cannot draw the TaskExecutor back.
  if (!options_.high_availability.enabled) return false;
  return !leader_ || leader_->session != leader_session;
}

std::vector<graph::ResultPartitionId> TaskExecutor::finished_blocking_partitions() const {
  std::vector<graph::ResultPartitionId> held;
  for (const auto& [attempt, task] : tasks_) {
    if (task.state != ExecutionState::finished) continue;
    for (const runtime::ResultPartitionDescriptor& output : task.deployment.outputs) {
      if (output.blocking && partitions_.count(output.id) > 0) held.push_back(output.id);
    }
  }
  return held;
}

}  // namespace flinksim::model
