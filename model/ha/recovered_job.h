#pragma once

// What a new leader's Dispatcher recovered from the HA stores for a job it takes over: the latest
// completed checkpoint (from its pointer and the metadata in the checkpoint storage), the next
// checkpoint id, and for FLIP-383 the job events the previous leaders recorded.

#include <optional>
#include <vector>

#include "model/checkpoint/completed_checkpoint_store.h"
#include "model/ha/job_event.h"

namespace flinksim::model::ha {

struct RecoveredJob {
  std::optional<checkpoint::CompletedCheckpoint> latest_checkpoint;
  checkpoint::CheckpointId next_checkpoint_id = 1;
  std::vector<JobEvent> events;
  // Not a new leader's recovery but a new submission restored from a savepoint or a retained
  // checkpoint (`flink run -s`): no failover of the earlier job.
  bool resubmitted = false;
};

}  // namespace flinksim::model::ha
