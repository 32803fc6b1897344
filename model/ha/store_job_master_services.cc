#include "model/ha/store_job_master_services.h"

namespace flinksim::model::ha {

StoreJobMasterServices::StoreJobMasterServices(HaStoreClient& client,
                                               CheckpointMetadataClient& metadata,
                                               std::string job, int num_retained)
    : client_(client),
      metadata_(metadata),
      job_(std::move(job)),
      num_retained_(num_retained),
      pointers_(client),
      counter_(client),
      results_(client),
      plans_(client) {}

void StoreJobMasterServices::add_completed_checkpoint(
    const checkpoint::CompletedCheckpoint& checkpoint, std::function<void(bool)> done) {
  const checkpoint::CheckpointId id = checkpoint.id;
  // Flink writes the metadata file first, then the pointer; only then is the checkpoint complete.
  metadata_.write(checkpoint, lifetime_.guard([this, id, done = std::move(done)](
                                  bool written, std::optional<checkpoint::CompletedCheckpoint>) {
    if (!written) return done(false);
    pointers_.add(job_, id, num_retained_, lifetime_.guard(done));
  }));
}

void StoreJobMasterServices::acquire_checkpoint_id(checkpoint::CheckpointId id,
                                                       std::function<void(bool)> done) {
  counter_.set_next(job_, id + 1, lifetime_.guard(std::move(done)));
}

void StoreJobMasterServices::job_reached_globally_terminal_state(
    JobStatus status, std::function<void(bool)> recorded) {
  // Dispatcher#jobReachedTerminalState: the result is written to the job result store first;
  // only then is the job's HA data cleaned up: its checkpoint pointers and id counter
  // (SchedulerBase#shutDownCheckpointServices with a globally terminal status:
  // DefaultCompletedCheckpointStore#shutdown, ZooKeeperCheckpointIDCounter#shutdown) and its
  // execution plan (DispatcherResourceCleanerFactory's global cleanup: ExecutionPlanWriter, then
  // the HA services' job data). The files of a retained checkpoint stay in the checkpoint
  // storage; only its pointer goes. The result entry stays (it is never marked clean here).
  results_.put(job_, status, lifetime_.guard([this, recorded = std::move(recorded)](bool stored) {
    if (stored) clean_up_job_data();
    recorded(stored);
  }));
}

void StoreJobMasterServices::clean_up_job_data() {
  pointers_.remove_all(job_);
  counter_.remove(job_);
  plans_.remove(job_);
}

void StoreJobMasterServices::record_job_event(const JobEvent& event) {
  client_.append(HaKey{HaRecord::job_event, job_, "event-"}, event.format(),
                 [](const StoreAnswer&) {});
}

}  // namespace flinksim::model::ha
