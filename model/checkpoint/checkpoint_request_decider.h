#pragma once

// Flink's CheckpointRequestDecider for periodic checkpoints. Each tick of the periodic trigger is
// a request; requests wait in a queue (at most 1000) while `max-concurrent-checkpoints` are
// pending or a trigger is in progress, and the coordinator asks again whenever a checkpoint
// leaves the pending ones. A request whose turn comes before `min-pause` has passed since the
// last completion is dropped (MINIMUM_TIME_BETWEEN_CHECKPOINTS, never counted as a failure), and
// the periodic trigger starts again when the pause is over.

#include <cstdint>
#include <optional>

#include "model/cluster_options.h"
#include "sim/time.h"

namespace flinksim::model::checkpoint {

class CheckpointRequestDecider {
 public:
  static constexpr int64_t kMaxQueuedRequests = 1000;  // DEFAULT_MAX_QUEUED_REQUESTS

  explicit CheckpointRequestDecider(const CheckpointOptions& options) : options_(options) {}

  // What to do with the first queued request now.
  struct Choice {
    bool execute = false;
    // The request was dropped for the minimum pause: restart the periodic trigger after this.
    std::optional<sim::Duration> reschedule_after;
  };

  // A periodic request; beyond the queue's capacity the newest is dropped (TOO_MANY_CHECKPOINT_REQUESTS).
  void enqueue() { queued_ = std::min(queued_ + 1, kMaxQueuedRequests); }
  Choice choose(sim::Instant now, int pending, bool triggering) {
    if (triggering || queued_ == 0) return {};
    if (pending >= options_.max_concurrent) return {};  // stays queued
    --queued_;
    if (last_completion_ && now - *last_completion_ < options_.min_pause) {
      return {false, *last_completion_ + options_.min_pause - now};
    }
    return {true, std::nullopt};
  }
  // The scheduler stopped: queued requests are aborted (CHECKPOINT_COORDINATOR_SUSPEND).
  void abort_all() { queued_ = 0; }
  int64_t queued() const { return queued_; }
  void on_completion(sim::Instant now) { last_completion_ = now; }

 private:
  const CheckpointOptions& options_;
  int64_t queued_ = 0;
  std::optional<sim::Instant> last_completion_;
};

}  // namespace flinksim::model::checkpoint
