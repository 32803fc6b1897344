#pragma once

// A JobManager process: its ResourceManager, its Dispatcher and the JobMaster of the job. The
// job is submitted once, when the cluster starts (session mode). Without high availability the
// Dispatcher keeps jobs only in memory, so a restarted JobManager knows nothing of the job.

#include <memory>
#include <optional>

#include "model/job_master.h"
#include "model/resource_manager.h"
#include "sim/process.h"

namespace flinksim::model {

class JobManagerProcess final : public sim::Process {
 public:
  JobManagerProcess(sim::Context& context, sim::HostId host, std::string name,
                    const ClusterOptions& options, JobObserver& observer,
                    ResourceManager::WorkerStarter start_worker);
  ~JobManagerProcess() override;

  sim::EndpointId resource_manager_endpoint() const { return resource_manager_endpoint_; }
  // The job's status as this JobManager's Dispatcher knows it; unset if it does not know the job.
  std::optional<JobStatus> job_status() const;
  // The checkpoint statistics of the job's JobMaster, if it runs here and checkpoints.
  const checkpoint::CheckpointStats* checkpoint_stats() const;

 protected:
  void on_start() override;
  void on_crash() override;

 private:
  const ClusterOptions& options_;
  JobObserver& observer_;
  ResourceManager::WorkerStarter start_worker_;
  sim::EndpointId resource_manager_endpoint_;
  sim::EndpointId job_master_endpoint_;
  std::unique_ptr<ResourceManager> resource_manager_;
  std::unique_ptr<JobMaster> job_master_;
  bool job_submitted_ = false;
  uint64_t next_leader_session_ = 1;
};

}  // namespace flinksim::model
