#include "model/dispatcher/job_manager_process.h"

#include "model/ha/checkpoint_id_counter.h"
#include "model/ha/completed_checkpoint_pointers.h"
#include "model/ha/execution_plan_store.h"
#include "model/ha/ha_paths.h"
#include "model/ha/job_result_store.h"
#include "model/ha/kubernetes_leader_election_driver.h"
#include "model/ha/kubernetes_store_client.h"
#include "model/ha/leader_information.h"
#include "model/ha/zookeeper_leader_election_driver.h"
#include "model/ha/zookeeper_store_client.h"

namespace flinksim::model {

JobManagerProcess::JobManagerProcess(sim::Context& context, sim::HostId host, std::string name,
                                     const ClusterOptions& options, JobObserver& observer,
                                     ResourceManager::WorkerStarter start_worker, Services services)
    : sim::Process(context, host, std::move(name)),
      options_(options),
      observer_(observer),
      start_worker_(std::move(start_worker)),
      services_(services) {
  resource_manager_endpoint_ =
      add_endpoint(this->name() + "/resourcemanager",
                   [this](sim::EndpointId source, const sim::MessagePtr& message) {
                     if (resource_manager_) resource_manager_->on_message(source, message);
                   });
  job_master_endpoint_ = add_endpoint(
      this->name() + "/jobmaster", [this](sim::EndpointId source, const sim::MessagePtr& message) {
        if (job_master_) job_master_->on_message(source, message);
      });
  if (options_.high_availability.enabled) {
    ha_endpoint_ = add_endpoint(
        this->name() + "/ha",
        [this](sim::EndpointId, const sim::MessagePtr& message) { on_ha_message(message); });
  }
}

JobManagerProcess::~JobManagerProcess() = default;

std::optional<JobStatus> JobManagerProcess::job_status() const {
  if (!alive()) return std::nullopt;
  if (job_master_) return job_master_->status();
  return recorded_result_;
}

const checkpoint::CheckpointStats* JobManagerProcess::checkpoint_stats() const {
  if (!alive() || !job_master_) return nullptr;
  return job_master_->checkpoint_stats();
}

bool JobManagerProcess::is_leader() const {
  if (!alive()) return false;
  return !options_.high_availability.enabled || leadership_.has_value();
}

void JobManagerProcess::on_start() {
  ++starts_;
  if (!options_.high_availability.enabled) {
    const int workers_starting =
        job_submitted_ ? 0 : options_.taskmanagers + options_.standby_taskmanagers;
    resource_manager_ = std::make_unique<ResourceManager>(
        *this, resource_manager_endpoint_, options_, start_worker_, workers_starting);
    if (job_submitted_ && options_.deployment_mode == DeploymentMode::session) {
      return;  // the Dispatcher lost the job with the previous incarnation
    }
    // An application cluster runs the job's main again: without high availability nothing
    // tells it the job ran before, so it is a new job, from no state
    // (ApplicationDispatcherBootstrap).
    const bool again = job_submitted_;
    trace(again ? "job submitted again" : "job submitted", options_.job.name());
    job_submitted_ = true;
    create_job_master(LeaderSessionId{next_leader_session_++}, std::nullopt);
    if (again) job_master_->report_resubmission();
    job_master_->start();
    return;
  }
  checkpoint_metadata_ = std::make_unique<ha::CheckpointMetadataClient>(
      *this, ha_endpoint_, services_.checkpoint_storage, options_.ask_timeout);
  if (options_.high_availability.kubernetes()) return start_kubernetes_services();
  start_zookeeper_services();
}

void JobManagerProcess::start_zookeeper_services() {
  ha::ZooKeeperClientOptions client_options;
  client_options.session_timeout = options_.high_availability.session_timeout;
  client_options.connection_timeout = options_.high_availability.connection_timeout;
  zookeeper_ = std::make_unique<ha::ZooKeeperClient>(*this, ha_endpoint_, services_.zookeeper,
                                                     client_options);
  store_client_ = std::make_unique<ha::ZooKeeperStoreClient>(*zookeeper_);
  leader_election_ = std::make_unique<ha::ZooKeeperLeaderElectionDriver>(
      *zookeeper_, options_.high_availability.tolerate_suspended_connections,
      [this](LeaderSessionId session) { grant_leadership(session); },
      [this] { revoke_leadership(); });
  zookeeper_->start();
}

void JobManagerProcess::start_kubernetes_services() {
  const std::string identity = name() + "/" + std::to_string(starts_);
  kubernetes_ = std::make_unique<ha::KubernetesClient>(*this, ha_endpoint_,
                                                       services_.kubernetes_api_server);
  store_client_ = std::make_unique<ha::KubernetesStoreClient>(*kubernetes_, identity);
  const HighAvailabilityOptions& ha_options = options_.high_availability;
  leader_election_ = std::make_unique<ha::KubernetesLeaderElectionDriver>(
      *this, *kubernetes_, identity,
      ha::LeaderElectionTimes{ha_options.lease_duration, ha_options.renew_deadline,
                              ha_options.retry_period},
      context().fork_rng("kubernetes-leader-elector/" + identity),
      [this](LeaderSessionId session) { grant_leadership(session); },
      [this] { revoke_leadership(); });
}

void JobManagerProcess::on_crash() {
  if (job_master_ && job_master_->checkpoint_stats()) {
    closed_checkpoint_stats_.emplace_back(now(), *job_master_->checkpoint_stats());
  }
  ++leadership_epoch_;
  leadership_.reset();
  job_master_.reset();
  ha_services_.reset();
  resource_manager_.reset();
  leader_election_.reset();
  store_client_.reset();
  checkpoint_metadata_.reset();
  zookeeper_.reset();
  kubernetes_.reset();
  recorded_result_.reset();
}

void JobManagerProcess::create_job_master(LeaderSessionId session,
                                          std::optional<ha::RecoveredJob> recovered) {
  job_master_ =
      std::make_unique<JobMaster>(*this, job_master_endpoint_, resource_manager_endpoint_, options_,
                                  session, observer_, ha_services_.get(), std::move(recovered));
}

void JobManagerProcess::start_job_master(LeaderSessionId session,
                                         std::optional<ha::RecoveredJob> recovered) {
  create_job_master(session, std::move(recovered));
  job_master_->start();
}

void JobManagerProcess::close_job_master(const std::string& reason) {
  if (!job_master_) return;
  job_master_->suspend(reason);
  if (job_master_->checkpoint_stats()) {
    closed_checkpoint_stats_.emplace_back(now(), *job_master_->checkpoint_stats());
  }
  job_master_.reset();
}

// ---- High availability -------------------------------------------------------------------------

void JobManagerProcess::on_ha_message(const sim::MessagePtr& message) {
  if (zookeeper_ && zookeeper_->on_message(message)) return;
  if (kubernetes_ && kubernetes_->on_message(message)) return;
  if (checkpoint_metadata_) checkpoint_metadata_->on_message(message);
}

void JobManagerProcess::grant_leadership(LeaderSessionId session) {
  const uint64_t epoch = ++leadership_epoch_;
  leadership_ = session;
  trace("granted leadership", "session " + std::to_string(session.value));
  // The ResourceManager's allocation ids are unique across leaders.
  const int workers_starting =
      resource_manager_started_ ? 0 : options_.taskmanagers + options_.standby_taskmanagers;
  resource_manager_started_ = true;
  resource_manager_ =
      std::make_unique<ResourceManager>(*this, resource_manager_endpoint_, options_, start_worker_,
                                        workers_starting, session.value << 32);
  ha_services_ = std::make_unique<ha::StoreJobMasterServices>(
      *store_client_, *checkpoint_metadata_, options_.job.name(),
      options_.checkpointing.num_retained);
  // Publish the leader's addresses for leader retrieval.
  leader_election_->publish(
      ha::LeaderInformation{session, resource_manager_endpoint_, job_master_endpoint_});
  recover_job(epoch);
}

void JobManagerProcess::revoke_leadership() {
  ++leadership_epoch_;
  trace("revoked leadership");
  leadership_.reset();
  close_job_master("leadership revoked");
  ha_services_.reset();
  resource_manager_.reset();
  recorded_result_.reset();
}

void JobManagerProcess::retry_recovery(uint64_t epoch) {
  set_timer(sim::Duration::seconds(1), [this, epoch] {
    if (still_leading(epoch)) recover_job(epoch);
  });
}

void JobManagerProcess::recover_job(uint64_t epoch) {
  ha::JobResultStore(*store_client_)
      .get(options_.job.name(), [this, epoch](ha::JobResultStore::Lookup result) {
        if (!still_leading(epoch)) return;
        if (!result.available) return retry_recovery(epoch);
        if (result.status) {
          // The job ended under an earlier leader: it is only cleaned up, never run again.
          recorded_result_ = result.status;
          trace("job already terminated", std::string(to_string(*result.status)));
          return;
        }
        ha::ExecutionPlanStore(*store_client_)
            .contains(options_.job.name(), [this, epoch](ha::ExecutionPlanStore::Lookup plan) {
              if (!still_leading(epoch)) return;
              switch (plan) {
                case ha::ExecutionPlanStore::Lookup::unavailable:
                  return retry_recovery(epoch);
                case ha::ExecutionPlanStore::Lookup::absent:
                  return submit_job(epoch);
                case ha::ExecutionPlanStore::Lookup::present:
                  return recover_from_checkpoint_store(epoch);
              }
            });
      });
}

void JobManagerProcess::submit_job(uint64_t epoch) {
  // The cluster's one submission: the execution plan is persisted before the job runs.
  ha::ExecutionPlanStore(*store_client_).put(options_.job.name(), [this, epoch](bool stored) {
    if (!still_leading(epoch)) return;
    if (!stored) return retry_recovery(epoch);
    trace("job submitted", options_.job.name());
    start_job_master(*leadership_, std::nullopt);
  });
}

void JobManagerProcess::recover_from_checkpoint_store(uint64_t epoch) {
  const std::string job = options_.job.name();
  ha::CompletedCheckpointPointers(*store_client_)
      .latest(job, [this, epoch, job](ha::CompletedCheckpointPointers::Lookup pointer) {
        if (!still_leading(epoch)) return;
        if (!pointer.available) return retry_recovery(epoch);
        const auto with_checkpoint = [this, epoch,
                                      job](std::optional<checkpoint::CompletedCheckpoint> latest) {
          ha::CheckpointIdCounter(*store_client_)
              .get_next(job, [this, epoch, latest](std::optional<checkpoint::CheckpointId> next) {
                if (!still_leading(epoch)) return;
                if (!next) return retry_recovery(epoch);
                ha::RecoveredJob recovered;
                recovered.latest_checkpoint = latest;
                recovered.next_checkpoint_id = *next;
                recover_job_events(epoch, std::move(recovered));
              });
        };
        if (!pointer.latest) return with_checkpoint(std::nullopt);
        checkpoint_metadata_->read(
            *pointer.latest, [this, epoch, with_checkpoint](
                                 bool read, std::optional<checkpoint::CompletedCheckpoint> latest) {
              if (!still_leading(epoch)) return;
              if (!read || !latest) return retry_recovery(epoch);
              with_checkpoint(std::move(latest));
            });
      });
}

void JobManagerProcess::recover_job_events(uint64_t epoch, ha::RecoveredJob recovered) {
  trace("job recovered",
        options_.job.name() +
            (recovered.latest_checkpoint
                 ? " from checkpoint " + std::to_string(recovered.latest_checkpoint->id)
                 : " without checkpoint"));
  const bool job_recovery =
      options_.batch_job_recovery.enabled && options_.job.mode() == graph::JobMode::batch;
  if (!job_recovery) return start_job_master(*leadership_, std::move(recovered));
  // FLIP-383: the job event store, read event by event in the order they were written.
  store_client_->list(ha::HaRecord::job_event, options_.job.name(),
                      [this, epoch, recovered = std::move(recovered)](
                          const ha::StoreAnswer& listing) mutable {
                        if (!still_leading(epoch)) return;
                        if (listing.result != ha::StoreResult::ok) return retry_recovery(epoch);
                        read_job_events(epoch, std::move(recovered), listing.names, 0);
                      });
}

void JobManagerProcess::read_job_events(uint64_t epoch, ha::RecoveredJob recovered,
                                        std::vector<std::string> names, size_t next) {
  if (next == names.size()) {
    trace("job events replayed", std::to_string(recovered.events.size()));
    return start_job_master(*leadership_, std::move(recovered));
  }
  const ha::HaKey key{ha::HaRecord::job_event, options_.job.name(), names[next]};
  store_client_->get(key, [this, epoch, recovered = std::move(recovered), names = std::move(names),
                           next](const ha::StoreAnswer& response) mutable {
    if (!still_leading(epoch)) return;
    if (response.result != ha::StoreResult::ok) return retry_recovery(epoch);
    if (auto event = ha::JobEvent::parse(response.data))
      recovered.events.push_back(std::move(*event));
    read_job_events(epoch, std::move(recovered), std::move(names), next + 1);
  });
}

}  // namespace flinksim::model
