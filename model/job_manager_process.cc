#include "model/job_manager_process.h"

namespace flinksim::model {

JobManagerProcess::JobManagerProcess(sim::Context& context, sim::HostId host, std::string name,
                                     const ClusterOptions& options, JobObserver& observer,
                                     ResourceManager::WorkerStarter start_worker)
    : sim::Process(context, host, std::move(name)),
      options_(options),
      observer_(observer),
      start_worker_(std::move(start_worker)) {
  resource_manager_endpoint_ =
      add_endpoint(this->name() + "/resourcemanager",
                   [this](sim::EndpointId source, const sim::MessagePtr& message) {
                     if (resource_manager_) resource_manager_->on_message(source, message);
                   });
  job_master_endpoint_ = add_endpoint(this->name() + "/jobmaster",
                                      [this](sim::EndpointId source, const sim::MessagePtr& message) {
                                        if (job_master_) job_master_->on_message(source, message);
                                      });
}

JobManagerProcess::~JobManagerProcess() = default;

std::optional<JobStatus> JobManagerProcess::job_status() const {
  if (!alive() || !job_master_) return std::nullopt;
  return job_master_->status();
}

const checkpoint::CheckpointStats* JobManagerProcess::checkpoint_stats() const {
  if (!alive() || !job_master_) return nullptr;
  return job_master_->checkpoint_stats();
}

void JobManagerProcess::on_start() {
  const int workers_starting =
      job_submitted_ ? 0 : options_.taskmanagers + options_.standby_taskmanagers;
  resource_manager_ = std::make_unique<ResourceManager>(*this, resource_manager_endpoint_,
                                                        options_, start_worker_, workers_starting);
  if (job_submitted_) return;  // the Dispatcher lost the job with the previous incarnation
  job_submitted_ = true;
  trace("job submitted", options_.job.name());
  job_master_ = std::make_unique<JobMaster>(*this, job_master_endpoint_, resource_manager_endpoint_,
                                            options_, LeaderSessionId{next_leader_session_++},
                                            observer_);
  job_master_->start();
}

void JobManagerProcess::on_crash() {
  job_master_.reset();
  resource_manager_.reset();
}

}  // namespace flinksim::model
