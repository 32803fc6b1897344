#include "model/checkpoint/completed_checkpoint_store.h"

#include "sim/assert.h"

namespace flinksim::model::checkpoint {

void CompletedCheckpointStore::add(CompletedCheckpoint checkpoint) {
  FLINKSIM_ASSERT(checkpoints_.empty() || checkpoints_.back().id < checkpoint.id);
  checkpoints_.push_back(std::move(checkpoint));
  while (static_cast<int>(checkpoints_.size()) > num_retained_) checkpoints_.pop_front();
}

}  // namespace flinksim::model::checkpoint
