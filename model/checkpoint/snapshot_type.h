#pragma once

// What a triggered snapshot is (Flink's CheckpointProperties with its SnapshotType: a periodic
// checkpoint, or a SavepointType). Savepoints are triggered by a user, bypass the
// CheckpointRequestDecider, never enter the CompletedCheckpointStore and, unless synchronous,
// send no notifyCheckpointComplete (CheckpointCoordinator#cleanupAfterCompletedCheckpoint), so
// an intermediate savepoint commits no side effects (Flink >= 1.15, FLINK-25191).
//   savepoint            `flink savepoint`: the job runs on
//   savepoint_suspend    `flink stop`: synchronous, sources end with EndOfData(NO_DRAIN)
//   savepoint_terminate  `flink stop --drain`: synchronous, MAX_WATERMARK first (StopMode.DRAIN)

#include <string_view>

namespace flinksim::model::checkpoint {

enum class SnapshotType { checkpoint, savepoint, savepoint_suspend, savepoint_terminate };

constexpr bool is_savepoint(SnapshotType type) { return type != SnapshotType::checkpoint; }

// A synchronous savepoint ends the job once it completes (SavepointType#isSynchronous).
constexpr bool is_synchronous(SnapshotType type) {
  return type == SnapshotType::savepoint_suspend || type == SnapshotType::savepoint_terminate;
}

constexpr std::string_view to_string(SnapshotType type) {
  switch (type) {
    case SnapshotType::checkpoint: return "checkpoint";
    case SnapshotType::savepoint: return "savepoint";
    case SnapshotType::savepoint_suspend: return "stop-with-savepoint";
    case SnapshotType::savepoint_terminate: return "stop-with-savepoint --drain";
  }
  return "?";
}

}  // namespace flinksim::model::checkpoint
