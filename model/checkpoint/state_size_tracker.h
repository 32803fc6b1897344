#pragma once

// How many bytes a task's snapshot holds and how many it uploads, for the state a scenario
// declares beyond the keys the model keeps (`state-size`, `state-growth`, `state-change-rate`).
// - The state grows while the task runs; a restored task starts from the size its checkpoint
//   held (what grew after that checkpoint is gone with the failed attempt and grows again).
// - Full snapshots (state.backend.type hashmap, or rocksdb without incremental checkpoints)
//   upload the whole state. Incremental ones (rocksdb, execution.checkpointing.incremental:
//   Flink's RocksIncrementalSnapshotStrategy) upload only what changed since the last checkpoint
//   the task heard completed: the bytes rewritten plus the bytes grown since then, at most the
//   whole state. The task's first checkpoint is full; after a restore the restored checkpoint's
//   files count as uploaded (RocksDBIncrementalRestoreOperation hands them to the snapshot
//   strategy), so the first checkpoint after it uploads what changed since the restore.
// A restore always reads the whole state, whichever backend wrote it.

#include <map>
#include <optional>

#include "model/checkpoint/task_state_snapshot.h"
#include "model/cluster_options.h"
#include "model/graph/operator_spec.h"
#include "sim/time.h"

namespace flinksim::model::checkpoint {

class StateSizeTracker {
 public:
  StateSizeTracker(const graph::OperatorSpec& spec, const CheckpointOptions& options)
      : spec_(spec), incremental_(options.incremental_snapshots()), base_bytes_(spec.state_size_bytes) {}

  // The task's state comes from `restored` (its deployment carried a checkpoint).
  void restore(const TaskStateSnapshot& restored);
  // The task runs from `now`: its state grows from here.
  void start(sim::Instant now);
  // The declared state's bytes at `now`.
  int64_t declared_bytes(sim::Instant now) const;
  // A snapshot of checkpoint `id` at `now`: records the declared state in `state` and returns
  // how many of the declared bytes it uploads.
  int64_t snapshot(CheckpointId id, sim::Instant now, TaskStateSnapshot& state);
  // The task heard that checkpoint `id` completed: later snapshots build on it.
  void on_checkpoint_complete(CheckpointId id);

 private:
  int64_t changed_since(sim::Instant base, sim::Instant now) const;

  const graph::OperatorSpec& spec_;
  bool incremental_;
  int64_t base_bytes_;
  bool restored_ = false;
  std::optional<sim::Instant> running_since_;
  // When the snapshot every upload builds on was taken; unset: none yet, the next one is full.
  std::optional<sim::Instant> uploaded_at_;
  std::map<CheckpointId, sim::Instant> snapshots_;
};

}  // namespace flinksim::model::checkpoint
