#pragma once

// The producer side of a data exchange (Flink's ResultPartition with its subpartitions, buffer
// pool and the credit-based reader of each subpartition):
// - records are routed by the partitioner into per-subpartition buffers of segment size;
// - a pipelined partition has a bounded pool (subpartitions x buffers-per-channel + floating
//   buffers per gate, at most max-buffers-per-channel queued per subpartition): when it is
//   exhausted the writer is backpressured until buffers leave;
// - a reader sends a data buffer only with a credit from its consumer; events need none;
// - a blocking partition keeps all its data until released, so a consumer may read it again.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "model/cluster_options.h"
#include "model/runtime/buffer_queue.h"
#include "model/runtime/channel_bitmap.h"
#include "model/runtime/channel_transport.h"
#include "model/runtime/data_messages.h"
#include "model/runtime/partition_descriptor.h"

namespace flinksim::model::runtime {

struct PartitionCounters {
  int64_t records_written = 0;
  int64_t data_buffers_sent = 0;
  int64_t bytes_sent = 0;
};

// Owned by shared_ptr: network failure callbacks hold a weak reference.
class ResultPartition : public std::enable_shared_from_this<ResultPartition> {
 public:
  ResultPartition(ResultPartitionDescriptor descriptor, const DataPlaneOptions& options,
                  ChannelTransport& transport);

  const ResultPartitionDescriptor& descriptor() const { return descriptor_; }

  // ---- Writer side.
  // Whether the writer may emit another record without exceeding the pool.
  bool is_available() const;
  void emit(const Record& record);
  void broadcast_event(BufferEvent event);
  // An unaligned checkpoint barrier: it overtakes everything not yet sent, which is returned per
  // subpartition (the output channel state).
  std::vector<std::vector<Record>> broadcast_priority_event(BufferEvent event);
  // Restoring output channel state: the record goes to this subpartition, not where routing says.
  void emit_to(uint32_t subpartition, const Record& record);
  // Finishes the partially filled buffers (the output flusher, or before an event).
  void flush();
  // Appends the end of the partition to every subpartition.
  void finish();
  bool is_finished() const { return finished_; }
  // Every buffer and event was handed to the network (a pipelined partition is drained).
  bool is_drained() const;
  // Called when buffers leave and the writer may continue, or when the partition is drained.
  void set_listener(std::function<void()> listener) { listener_ = std::move(listener); }
  int buffers_in_use() const { return buffers_in_use_; }
  int pool_size() const { return pool_size_; }
  const PartitionCounters& counters() const { return counters_; }

  // ---- Network side.
  void add_reader(const RequestSubpartition& request, sim::EndpointId consumer);
  void add_credit(const ChannelId& channel, int credit);
  // Drops the readers, e.g. when the consumer's TaskExecutor is gone.
  void remove_reader(const ChannelId& channel);
  // The connection to `consumer`'s TaskExecutor was reset: its readers are released (Flink's
  // PartitionRequestQueue#channelInactive releases the views; the producer itself goes on).
  void remove_readers_at(sim::EndpointId consumer);

 private:
  struct Reader {
    ChannelId channel;
    uint32_t consumer_channel = 0;
    sim::EndpointId endpoint;
    int credit = 0;
    size_t cursor = 0;  // blocking partitions: the next position to send
    int data_sent = 0;  // blocking partitions: data buffers before the cursor
  };
  struct Subpartition {
    BufferQueue queue;                // finished data buffers and events, in order
    NetworkBuffer current;            // the data buffer being filled
    int queued_data_buffers = 0;      // pipelined: data buffers in `queue`
    int data_buffers = 0;             // data buffers ever queued (a blocking partition keeps them)
    std::optional<Reader> reader;
  };

  uint32_t route(const Record& record);
  void append_record(uint32_t subpartition, const Record& record);
  void finish_current(uint32_t subpartition);
  void pump(uint32_t subpartition);
  // An event for a subpartition with nothing queued and a reader leaves at once, as `pump` would
  // send it, without passing through the queue (a watermark round touches every subpartition).
  bool send_event_at_once(Subpartition& sp, const BufferEvent& event);
  // The reader's next buffer or event, taken from the queue (pipelined) or copied (blocking).
  TransferBuffer take_next(Subpartition& sp, Reader& reader);
  void release_data_buffer(Subpartition& sp);
  void send(sim::EndpointId consumer, TransferBuffer transfer);
  // Between the two, buffers for one consumer TaskExecutor are collected into one message.
  void begin_batch();
  void end_batch();
  void notify();

  ResultPartitionDescriptor descriptor_;
  const DataPlaneOptions& options_;
  ChannelTransport& transport_;
  std::vector<Subpartition> subpartitions_;
  // Subpartitions whose current buffer holds records: the flusher visits only these, so an idle
  // channel costs nothing per buffer timeout (a keyBy at parallelism 1,024 has 1,024 per task).
  ChannelBitmap filling_;
  int records_per_buffer_;
  int pool_size_;
  int buffers_in_use_ = 0;         // pipelined: queued data buffers plus non-empty current ones
  int full_subpartitions_ = 0;     // subpartitions at max-buffers-per-channel
  uint32_t round_robin_ = 0;
  bool finished_ = false;
  std::function<void()> listener_;
  // Between begin_batch and end_batch: one batch per consumer TaskExecutor, in ascending endpoint
  // order (the order they are sent in). A flush or a watermark round reaches a few TaskExecutors:
  // a sorted vector, kept with its capacity, costs no allocation per round as a map did.
  struct PendingBatch {
    sim::EndpointId consumer;
    std::shared_ptr<TransferBatch> batch;
  };
  bool batching_ = false;
  // The largest batch so far: a new batch reserves that much, so a round's batches do not grow
  // buffer by buffer (a watermark round sends about subpartitions / TaskExecutors in each).
  size_t batch_size_hint_ = 1;
  std::vector<PendingBatch> batches_;
  PartitionCounters counters_;
};

}  // namespace flinksim::model::runtime
