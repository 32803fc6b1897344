#pragma once

// Flink's CheckpointRequestDecider for periodic checkpoints: a request is dropped (never counted as
// a failure) while `max-concurrent-checkpoints` are pending or before `min-pause` has passed since
// the last completion.

#include <optional>

#include "model/cluster_options.h"
#include "sim/time.h"

namespace flinksim::model::checkpoint {

class CheckpointRequestDecider {
 public:
  explicit CheckpointRequestDecider(const CheckpointOptions& options) : options_(options) {}

  bool may_trigger(sim::Instant now, int pending) const {
    if (pending >= options_.max_concurrent) return false;
    return !last_completion_ || now - *last_completion_ >= options_.min_pause;
  }
  void on_completion(sim::Instant now) { last_completion_ = now; }

 private:
  const CheckpointOptions& options_;
  std::optional<sim::Instant> last_completion_;
};

}  // namespace flinksim::model::checkpoint
