#pragma once

// What travels on a data channel (Flink's Buffer): either a data buffer of serialized records,
// filled up to `taskmanager.memory.segment-size`, or an event — a watermark, a checkpoint barrier,
// a checkpoint's cancellation marker (Flink's CancelCheckpointMarker: the checkpoint was aborted,
// do not wait for its barriers), the end of the producer's data (Flink's EndOfData: it finished
// its input but still takes part in checkpoints) or the end of a partition. Data buffers need a credit from the
// consumer; events do not.

#include <cstdint>
#include <vector>

#include "model/runtime/record.h"

namespace flinksim::model::runtime {

struct BufferEvent {
  enum class Kind : uint8_t {
    watermark,
    checkpoint_barrier,
    cancel_checkpoint_marker,
    end_of_data,
    end_of_partition
  };
  Kind kind = Kind::end_of_partition;
  int64_t value = 0;  // the watermark, or the checkpoint id (barrier, cancellation marker)
  // A barrier's checkpoint start (CheckpointBarrier.getTimestamp: when the coordinator triggered
  // it), nanoseconds of virtual time; the aligned-checkpoint timeout counts from it.
  int64_t timestamp = 0;
  // A savepoint's barrier (CheckpointOptions#forConfig): always aligned, without the aligned
  // checkpoint timeout, whatever execution.checkpointing.unaligned says.
  bool savepoint = false;
};

struct NetworkBuffer {
  std::vector<Record> records;
  bool is_event = false;
  BufferEvent event;

  static NetworkBuffer of_event(BufferEvent event) {
    NetworkBuffer buffer;
    buffer.is_event = true;
    buffer.event = event;
    return buffer;
  }
};

}  // namespace flinksim::model::runtime
