#include "model/checkpoint/checkpoint_failure_manager.h"

namespace flinksim::model::checkpoint {

bool CheckpointFailureManager::on_failure(CheckpointId id, bool counted) {
  if (!counted || id <= last_counted_ || id < last_success_) return false;
  last_counted_ = id;
  if (++continuous_failures_ <= tolerable_failures_) return false;
  continuous_failures_ = 0;
  return true;
}

void CheckpointFailureManager::on_success(CheckpointId id) {
  continuous_failures_ = 0;
  last_success_ = id;
}

}  // namespace flinksim::model::checkpoint
