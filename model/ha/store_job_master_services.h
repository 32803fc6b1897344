#pragma once

// The JobMaster's high-availability services on an HA store, ZooKeeper's or Kubernetes' (Flink's
// HA services as one leadership of one job uses them). Created when a JobManager wins leadership
// and dropped when it loses it, so answers arriving after that reach no one.

#include <memory>
#include <string>

#include "model/ha/checkpoint_id_counter.h"
#include "model/ha/checkpoint_metadata_client.h"
#include "model/ha/completed_checkpoint_pointers.h"
#include "model/ha/execution_plan_store.h"
#include "model/ha/ha_store_client.h"
#include "model/ha/job_master_ha_services.h"
#include "model/ha/job_result_store.h"
#include "sim/lifetime.h"

namespace flinksim::model::ha {

class StoreJobMasterServices final : public JobMasterHaServices {
 public:
  StoreJobMasterServices(HaStoreClient& client, CheckpointMetadataClient& metadata,
                         std::string job, int num_retained);

  void add_completed_checkpoint(const checkpoint::CompletedCheckpoint& checkpoint,
                                std::function<void(bool)> done) override;
  void acquire_checkpoint_id(checkpoint::CheckpointId id, std::function<void(bool)> done) override;
  void job_reached_globally_terminal_state(JobStatus status,
                                           std::function<void(bool)> recorded) override;
  void record_job_event(const JobEvent& event) override;

 private:
  void clean_up_job_data();

  HaStoreClient& client_;
  CheckpointMetadataClient& metadata_;
  std::string job_;
  int num_retained_;
  CompletedCheckpointPointers pointers_;
  CheckpointIdCounter counter_;
  JobResultStore results_;
  ExecutionPlanStore plans_;
  sim::Lifetime lifetime_;
};

}  // namespace flinksim::model::ha
