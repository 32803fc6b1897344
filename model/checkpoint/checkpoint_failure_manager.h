#pragma once

// Flink's CheckpointFailureManager: counts consecutive checkpoint failures whose reason counts
// (I/O errors, asynchronous snapshot failures, declines, expiry), each checkpoint id at most once
// and only ids after the last success; exceeding `tolerable-failed-checkpoints` asks for a
// global failover and starts counting again. A completed checkpoint resets the count.

#include <string>

#include "model/checkpoint/task_state_snapshot.h"

namespace flinksim::model::checkpoint {

class CheckpointFailureManager {
 public:
  explicit CheckpointFailureManager(int tolerable_failures) : tolerable_failures_(tolerable_failures) {}

  // Whether the failure exceeds the tolerance: the caller fails the job over.
  bool on_failure(CheckpointId id, bool counted);
  void on_success(CheckpointId id);
  int continuous_failures() const { return continuous_failures_; }

 private:
  int tolerable_failures_;
  int continuous_failures_ = 0;
  CheckpointId last_counted_ = 0;
  CheckpointId last_success_ = 0;
};

}  // namespace flinksim::model::checkpoint
