#pragma once

// Flink's CompletedCheckpointStore (standalone): keeps the newest `num-retained` completed
// checkpoints, oldest first; adding one subsumes the oldest beyond that number. Ids strictly
// increase, which the store checks.

#include <deque>
#include <optional>
#include <map>

#include "model/checkpoint/task_state_snapshot.h"
#include "model/graph/ids.h"

namespace flinksim::model::checkpoint {

struct CompletedCheckpoint {
  CheckpointId id = 0;
  std::map<graph::ExecutionVertexId, TaskStateSnapshot> states;
};

class CompletedCheckpointStore {
 public:
  explicit CompletedCheckpointStore(int num_retained) : num_retained_(num_retained) {}

  void add(CompletedCheckpoint checkpoint);
  // The latest completed checkpoint, which every restore uses; nullptr when there is none.
  const CompletedCheckpoint* latest() const {
    if (checkpoints_.empty()) return nullptr;
    // Planted bug restore-oldest-checkpoint (cmake/planted_bugs.cmake): the oldest retained.
#ifdef FLINKSIM_PLANTED_BUG_RESTORE_OLDEST_CHECKPOINT
    return &checkpoints_.front();
#else
    return &checkpoints_.back();
#endif
  }
  size_t size() const { return checkpoints_.size(); }
  // The id of the newest checkpoint in the store (what `add` must exceed); unset when empty.
  std::optional<CheckpointId> newest_id() const {
    if (checkpoints_.empty()) return std::nullopt;
    return checkpoints_.back().id;
  }

 private:
  int num_retained_;
  std::deque<CompletedCheckpoint> checkpoints_;
};

}  // namespace flinksim::model::checkpoint
