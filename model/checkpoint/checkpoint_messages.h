#pragma once

// The checkpoint protocol between the JobMaster's CheckpointCoordinator and the tasks (Flink's
// TaskExecutorGateway.triggerCheckpoint / confirmCheckpoint and the CheckpointResponder), and
// between tasks and the checkpoint storage they upload their state to.

#include <string>

#include "model/checkpoint/snapshot_type.h"
#include "model/checkpoint/task_state_snapshot.h"
#include "model/gateways.h"

namespace flinksim::model::checkpoint {

// To a source task: inject barrier `checkpoint`.
struct TriggerCheckpoint final : sim::Message {
  FLINKSIM_MESSAGE(TriggerCheckpoint)
  LeaderSessionId leader_session;
  ExecutionAttemptId attempt;
  CheckpointId checkpoint = 0;
  sim::Instant timestamp;  // when the coordinator triggered it: the barrier carries it
  SnapshotType type = SnapshotType::checkpoint;  // a synchronous savepoint stops the sources
};

struct AcknowledgeCheckpoint final : sim::Message {
  FLINKSIM_MESSAGE(AcknowledgeCheckpoint)
  ExecutionAttemptId attempt;
  CheckpointId checkpoint = 0;
  TaskStateSnapshot state;
};

struct DeclineCheckpoint final : sim::Message {
  FLINKSIM_MESSAGE(DeclineCheckpoint)
  ExecutionAttemptId attempt;
  CheckpointId checkpoint = 0;
  std::string reason;  // CheckpointFailureReason
  bool counted = true;  // whether CheckpointFailureManager counts it against the tolerance
};

// To every task of a completed checkpoint: two-phase-commit sinks commit.
struct NotifyCheckpointComplete final : sim::Message {
  FLINKSIM_MESSAGE(NotifyCheckpointComplete)
  LeaderSessionId leader_session;
  ExecutionAttemptId attempt;
  CheckpointId checkpoint = 0;
};

// To every task of an aborted checkpoint (notifyCheckpointAborted): stop aligning for it and drop
// what it was uploading.
struct NotifyCheckpointAborted final : sim::Message {
  FLINKSIM_MESSAGE(NotifyCheckpointAborted)
  LeaderSessionId leader_session;
  ExecutionAttemptId attempt;
  CheckpointId checkpoint = 0;
};

// Task → checkpoint storage: the asynchronous part of a snapshot.
struct UploadState final : sim::Message {
  FLINKSIM_MESSAGE(UploadState)
  ExecutionAttemptId attempt;
  CheckpointId checkpoint = 0;
  int64_t bytes = 0;
  int64_t size_bytes() const override { return bytes; }
};

struct UploadComplete final : sim::Message {
  FLINKSIM_MESSAGE(UploadComplete)
  ExecutionAttemptId attempt;
  CheckpointId checkpoint = 0;
};

// A task ended, or learned that a checkpoint was aborted, while its snapshot was uploading: the
// stream closes (Flink cancels the AsyncCheckpointRunnable), and the storage stops spending
// bandwidth on it. Unset `checkpoint`: every upload of the attempt.
struct AbortUploads final : sim::Message {
  FLINKSIM_MESSAGE(AbortUploads)
  ExecutionAttemptId attempt;
  std::optional<CheckpointId> checkpoint;
};

// A restoring task reads its state handles from the checkpoint storage (in INITIALIZING, as
// Flink's StreamTaskStateInitializerImpl does through the state backend's restore operation).
struct DownloadState final : sim::Message {
  FLINKSIM_MESSAGE(DownloadState)
  ExecutionAttemptId attempt;
  CheckpointId checkpoint = 0;
  int64_t bytes = 0;
};

// The state is read. The bytes streamed to the task while the storage read them, and the
// network (10 gbps by default) is far faster than a storage connection, so the answer takes the
// network no longer than any small message: the storage's read rate is the restore's pace.
struct DownloadComplete final : sim::Message {
  FLINKSIM_MESSAGE(DownloadComplete)
  ExecutionAttemptId attempt;
  CheckpointId checkpoint = 0;
  int64_t bytes = 0;
};

}  // namespace flinksim::model::checkpoint
