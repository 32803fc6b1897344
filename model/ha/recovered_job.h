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
};

}  // namespace flinksim::model::ha
