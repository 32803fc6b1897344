#pragma once

// What a JobMaster needs from the high-availability services (Flink's HighAvailabilityServices as
// the JobMaster sees them: CheckpointRecoveryFactory's CompletedCheckpointStore and
// CheckpointIDCounter, the JobResultStore, and for FLIP-383 the JobEventStore). Without high
// availability the JobMaster has none, and keeps everything in memory.

#include <functional>

#include "model/checkpoint/completed_checkpoint_store.h"
#include "model/execution_state.h"
#include "model/ha/job_event.h"

namespace flinksim::model::ha {

class JobMasterHaServices {
 public:
  virtual ~JobMasterHaServices() = default;
  // CompletedCheckpointStore.addCheckpointAndSubsumeOldestOne: the metadata goes to the
  // checkpoint storage and a pointer to ZooKeeper; `done(false)` when either failed, and the
  // checkpoint then does not count as completed.
  virtual void add_completed_checkpoint(const checkpoint::CompletedCheckpoint& checkpoint,
                                        std::function<void(bool)> done) = 0;
  // CheckpointIDCounter.getAndIncrement: records that `id` is taken; `done(false)` when the
  // counter could not be written, and the checkpoint must not be triggered.
  virtual void acquire_checkpoint_id(checkpoint::CheckpointId id,
                                     std::function<void(bool)> done) = 0;
  // The job reached a globally terminal state: record its result, then drop its execution plan;
  // `recorded(true)` once the result is in the job result store, which makes the end final.
  virtual void job_reached_globally_terminal_state(JobStatus status,
                                                   std::function<void(bool)> recorded) = 0;
  // FLIP-383: a job event for the job event store (only with batch job recovery enabled).
  virtual void record_job_event(const JobEvent& event) = 0;
};

}  // namespace flinksim::model::ha
