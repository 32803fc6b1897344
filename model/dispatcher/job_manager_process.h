#pragma once

// A JobManager process: its ResourceManager, its Dispatcher and the JobMaster of the job. In
// session mode the job is submitted once, when the cluster starts; in application mode the
// JobManager runs the job's main, so every start of the process submits it.
// - Without high availability the Dispatcher keeps jobs only in memory, so a restarted JobManager
//   knows nothing of the job: a session cluster has lost it, an application cluster runs it
//   again as a new job, from no state.
// - With high availability (ZooKeeper or Kubernetes) the process contends for leadership (one election per
//   JobManager process); the leader publishes its ResourceManager and JobMaster addresses with its
//   leader session id, and its Dispatcher recovers the job from the HA stores: the job result
//   store (a finished job is not run again), the execution plan store, the latest completed
//   checkpoint and the checkpoint id counter. Losing leadership suspends the job here.

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "model/ha/checkpoint_metadata_client.h"
#include "model/ha/ha_store_client.h"
#include "model/ha/kubernetes_client.h"
#include "model/ha/leader_election_driver.h"
#include "model/ha/recovered_job.h"
#include "model/ha/store_job_master_services.h"
#include "model/ha/zookeeper_client.h"
#include "model/jobmaster/job_master.h"
#include "model/resourcemanager/resource_manager.h"
#include "sim/process.h"

namespace flinksim::model {

class JobManagerProcess final : public sim::Process {
 public:
  // Where the services a JobManager talks to live (invalid without high availability).
  struct Services {
    sim::EndpointId zookeeper;
    sim::EndpointId kubernetes_api_server;
    sim::EndpointId checkpoint_storage;
  };

  JobManagerProcess(sim::Context& context, sim::HostId host, std::string name,
                    const ClusterOptions& options, JobObserver& observer,
                    ResourceManager::WorkerStarter start_worker, Services services = {});
  ~JobManagerProcess() override;

  sim::EndpointId resource_manager_endpoint() const { return resource_manager_endpoint_; }
  // Kubernetes: the pod watch reports a dead TaskManager pod to this process's ResourceManager,
  // if it runs one.
  void on_pod_terminated(const ResourceId& resource_id) {
    if (alive() && resource_manager_) resource_manager_->on_worker_terminated(resource_id);
  }
  // The job's status as this JobManager's Dispatcher knows it; unset if it does not know the job.
  std::optional<JobStatus> job_status() const;
  // The checkpoint statistics of the job's JobMaster, if it runs here and checkpoints.
  const checkpoint::CheckpointStats* checkpoint_stats() const;
  // Checkpoint statistics of JobMasters this process ran and closed (lost leadership or crash),
  // with the time each closed: instrumentation that outlives the process's memory.
  const std::vector<std::pair<sim::Instant, checkpoint::CheckpointStats>>& closed_checkpoint_stats()
      const {
    return closed_checkpoint_stats_;
  }
  // The leadership this JobManager holds (the latest it was granted, without high availability).
  LeaderSessionId leader_session() const { return leadership_.value_or(LeaderSessionId{next_leader_session_ - 1}); }
  // Whether this JobManager leads (always, while alive, without high availability).
  bool is_leader() const;
  // Operator actions through the Dispatcher's REST API (dispatcher_actions.cc); false when no
  // job runs here. `resubmit_job` runs the job again as a new submission restored from
  // `restore` (a savepoint or a retained checkpoint), once the previous one ended.
  bool trigger_savepoint(checkpoint::SnapshotType type, checkpoint::SavepointCallback done);
  bool cancel_job();
  bool resubmit_job(checkpoint::CompletedCheckpoint restore);
  // The job's latest completed checkpoint, unset when no job runs here.
  std::optional<checkpoint::CompletedCheckpoint> latest_checkpoint() const;

 protected:
  void on_start() override;
  void on_crash() override;

 private:
  void create_job_master(LeaderSessionId session, std::optional<ha::RecoveredJob> recovered);
  void start_job_master(LeaderSessionId session, std::optional<ha::RecoveredJob> recovered);
  void close_job_master(const std::string& reason);
  // High availability.
  void on_ha_message(const sim::MessagePtr& message);
  void start_zookeeper_services();
  // Kubernetes HA: the identity in the leader annotation is new with every start of the
  // process (Flink's lock identity is a random UUID per HA services instance).
  void start_kubernetes_services();
  void grant_leadership(LeaderSessionId session);
  void revoke_leadership();
  // Dispatcher.recoverJobs, one step per store read; `epoch` guards against a lost leadership.
  void recover_job(uint64_t epoch);
  void submit_job(uint64_t epoch);
  void recover_from_checkpoint_store(uint64_t epoch);
  void recover_job_events(uint64_t epoch, ha::RecoveredJob recovered);
  void read_job_events(uint64_t epoch, ha::RecoveredJob recovered, std::vector<std::string> names,
                       size_t next);
  bool still_leading(uint64_t epoch) const { return alive() && epoch == leadership_epoch_; }
  // A failed store read while still leading: try again shortly.
  void retry_recovery(uint64_t epoch);

  const ClusterOptions& options_;
  JobObserver& observer_;
  ResourceManager::WorkerStarter start_worker_;
  Services services_;
  sim::EndpointId resource_manager_endpoint_;
  sim::EndpointId job_master_endpoint_;
  sim::EndpointId ha_endpoint_;
  std::unique_ptr<ha::ZooKeeperClient> zookeeper_;
  std::unique_ptr<ha::KubernetesClient> kubernetes_;
  std::unique_ptr<ha::HaStoreClient> store_client_;
  std::unique_ptr<ha::CheckpointMetadataClient> checkpoint_metadata_;
  std::unique_ptr<ha::LeaderElectionDriver> leader_election_;
  std::unique_ptr<ha::StoreJobMasterServices> ha_services_;
  int starts_ = 0;
  std::unique_ptr<ResourceManager> resource_manager_;
  std::unique_ptr<JobMaster> job_master_;
  std::optional<LeaderSessionId> leadership_;
  uint64_t leadership_epoch_ = 0;
  // The job's result from the job result store: it ended under an earlier leader.
  std::optional<JobStatus> recorded_result_;
  bool job_submitted_ = false;
  uint64_t next_leader_session_ = 1;
  bool resource_manager_started_ = false;
  std::vector<std::pair<sim::Instant, checkpoint::CheckpointStats>> closed_checkpoint_stats_;
};

}  // namespace flinksim::model
