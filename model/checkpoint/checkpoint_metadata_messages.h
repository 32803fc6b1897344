#pragma once

// A completed checkpoint's metadata file (Flink's _metadata, written by
// CheckpointCoordinator.finalizeCheckpoint) and reading it back: with high availability only a
// pointer to it goes to ZooKeeper, and a new leader reads the metadata from the storage.

#include <optional>

#include "model/checkpoint/completed_checkpoint_store.h"
#include "model/gateways.h"

namespace flinksim::model::checkpoint {

struct WriteCheckpointMetadata final : sim::Message {
  FLINKSIM_MESSAGE(WriteCheckpointMetadata)
  uint64_t request = 0;
  CompletedCheckpoint checkpoint;
};

struct ReadCheckpointMetadata final : sim::Message {
  FLINKSIM_MESSAGE(ReadCheckpointMetadata)
  uint64_t request = 0;
  CheckpointId checkpoint = 0;
};

// The answer to both: for a write, `checkpoint` is unset; for a read, unset when not found.
struct CheckpointMetadataResponse final : sim::Message {
  FLINKSIM_MESSAGE(CheckpointMetadataResponse)
  uint64_t request = 0;
  std::optional<CompletedCheckpoint> checkpoint;
};

}  // namespace flinksim::model::checkpoint
