#include "model/checkpoint/state_size_tracker.h"

#include <algorithm>

namespace flinksim::model::checkpoint {

void StateSizeTracker::restore(const TaskStateSnapshot& restored) {
  base_bytes_ = restored.declared_state_bytes;
  restored_ = true;
}

void StateSizeTracker::start(sim::Instant now) {
  running_since_ = now;
  // The restored checkpoint's files are the base of the first incremental snapshot.
  if (restored_) uploaded_at_ = now;
}

int64_t StateSizeTracker::declared_bytes(sim::Instant now) const {
  if (!running_since_) return base_bytes_;
  const double grown = spec_.state_growth_bytes_per_second * (now - *running_since_).count_seconds();
  return base_bytes_ + static_cast<int64_t>(grown);
}

int64_t StateSizeTracker::changed_since(sim::Instant base, sim::Instant now) const {
  const double rate = spec_.state_change_bytes_per_second + spec_.state_growth_bytes_per_second;
  return static_cast<int64_t>(rate * (now - base).count_seconds());
}

int64_t StateSizeTracker::snapshot(CheckpointId id, sim::Instant now, TaskStateSnapshot& state) {
  const int64_t whole = declared_bytes(now);
  state.declared_state_bytes = whole;
  snapshots_[id] = now;
  if (!incremental_ || !uploaded_at_) return whole;
  return std::min(whole, changed_since(*uploaded_at_, now));
}

void StateSizeTracker::on_checkpoint_complete(CheckpointId id) {
  const auto it = snapshots_.find(id);
  if (it == snapshots_.end()) return;
  uploaded_at_ = it->second;
  snapshots_.erase(snapshots_.begin(), std::next(it));
}

}  // namespace flinksim::model::checkpoint
