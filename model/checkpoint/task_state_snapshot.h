#pragma once

// What one task contributes to a checkpoint (Flink's TaskStateSnapshot, reduced to the state kinds
// scenarios have): a source's offset in its source-log partition, an operator's keyed state, and
// a two-phase-commit sink's pre-committed transactions that the checkpoint's completion commits.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "model/operators/stream_operator.h"
#include "model/runtime/record.h"
#include "model/transaction_id.h"

namespace flinksim::model::checkpoint {

using CheckpointId = int64_t;

struct TaskStateSnapshot {
  std::optional<int64_t> source_offset;
  // A source reading a log: when its log began to grow at the source's rate (its first start),
  // so that a restored source knows how far the log's head is now.
  std::optional<sim::Instant> source_log_epoch;
  // Keyed state per operator of the task's chain, by its position in the chain.
  std::vector<std::vector<operators::KeyedStateEntry>> operator_keyed_state;
  // Pre-committed transactions and the checkpoint each belongs to.
  std::vector<std::pair<TransactionId, CheckpointId>> pending_transactions;
  uint64_t next_transaction = 1;
  // Unaligned checkpoints: records the barrier overtook. Input: received but not processed, to be
  // processed first after a restore. Output: per partition and subpartition, written but not sent,
  // to be sent first after a restore.
  std::vector<runtime::Record> input_channel_state;
  std::vector<std::vector<std::vector<runtime::Record>>> output_channel_state;
  // The whole snapshot, what a restore reads; and what its upload wrote (less than the whole
  // for an incremental snapshot, Flink's "checkpointed data size").
  int64_t state_bytes = 0;
  int64_t uploaded_bytes = 0;
  // The scenario's declared state (`state-size` and its growth) when the snapshot was taken.
  int64_t declared_state_bytes = 0;
  // Taken after the task's data ended, or carried over for a task that FINISHED (FLIP-147,
  // Flink's FinishedOperatorSubtaskState): a task restored from it is deployed as finished.
  bool finished = false;
  // Whether a restored task's incremental checkpoints may build on this snapshot's files. Not
  // after a restore in NO_CLAIM mode, or from a canonical savepoint (FLIP-193: the first
  // checkpoint after such a restore is a full one).
  bool incremental_base = true;
};

}  // namespace flinksim::model::checkpoint
