#pragma once

// The consumer side of a task's inputs (Flink's SingleInputGate with remote input channels and
// credit-based flow control):
// - each channel requests its subpartition with `buffers-per-channel` exclusive credits and
//   retries with back-off while the producer's TaskExecutor does not know the partition;
// - buffers that announce a backlog get floating buffers from the gate's pool, each announced as
//   one more credit; a recycled buffer gives its credit back (or its floating buffer to the pool);
// - the task reads the channels round-robin; a channel can be blocked (checkpoint alignment).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster_options.h"
#include "model/runtime/buffer_queue.h"
#include "model/runtime/channel_bitmap.h"
#include "model/runtime/channel_transport.h"
#include "model/runtime/data_messages.h"
#include "model/runtime/partition_descriptor.h"
#include "sim/process.h"

namespace flinksim::model::runtime {

// The records queued in a channel and not processed yet; with `up_to_barrier`, only those ahead
// of that checkpoint's barrier, if it is queued (reached_barrier).
struct UnprocessedRecords {
  std::vector<Record> records;
  bool reached_barrier = false;
};

class InputGateListener {
 public:
  virtual ~InputGateListener() = default;
  virtual void on_input_available() = 0;
  // A channel cannot be read: the producer's partition is gone or its TaskExecutor unreachable.
  virtual void on_channel_failure(const graph::ResultPartitionId& partition, const std::string& why,
                                  bool partition_error) = 0;
};

struct GateCounters {
  int64_t data_buffers_received = 0;
  int64_t credits_announced = 0;
};

class InputGate {
 public:
  InputGate(sim::Process& process, ExecutionAttemptId consumer,
            std::vector<InputChannelDescriptor> channels, const DataPlaneOptions& options,
            ChannelTransport& transport, InputGateListener& listener);
  ~InputGate();
  InputGate(const InputGate&) = delete;
  InputGate& operator=(const InputGate&) = delete;

  void request_partitions();
  // A buffer or event arrived on `channel` (as `channel_of` found it): it is queued.
  void on_buffer(size_t channel, TransferBuffer& message);
  // An event that arrived on `channel` and that the task takes at once: the channel's bookkeeping
  // as if it had been queued and read. False when it must wait in the queue (the channel holds
  // buffers or is blocked).
  bool take_event_at_once(size_t channel, const TransferBuffer& message);
  void on_not_found(const ChannelId& channel);

  size_t channel_count() const { return channels_.size(); }
  // The next channel with a buffer to read, round-robin, skipping blocked ones.
  std::optional<size_t> next_readable();
  NetworkBuffer& head(size_t channel) { return channels_[channel].queue.front(); }
  // Removes the head of `channel`; a data buffer is recycled into credit.
  void pop(size_t channel);
  void set_blocked(size_t channel, bool blocked);
  const InputChannelDescriptor& descriptor(size_t channel) const { return channels_[channel].descriptor; }
  std::optional<size_t> channel_index(const ChannelId& id) const {
    const auto it = index_.find(id);
    return it == index_.end() ? std::nullopt : std::optional<size_t>(it->second);
  }
  // The channel a buffer arrived on, if it is one of this gate's.
  std::optional<size_t> channel_of(const TransferBuffer& message) const;
  // The records queued on `channel` and not yet processed; the head buffer from `head_position`.
  UnprocessedRecords unprocessed_records(size_t channel, size_t head_position,
                                         std::optional<int64_t> up_to_barrier = std::nullopt) const;
  // Data buffers received and not yet consumed, over all channels (in-flight data).
  int64_t queued_data_buffers() const { return queued_data_buffers_; }
  const GateCounters& counters() const { return counters_; }

 private:
  // What a buffer's arrival and the task's read touch comes first (one or two cache lines: a
  // keyBy at parallelism P has P of these per task, visited by every watermark round).
  struct Channel {
    ChannelId id;
    BufferQueue queue;
    int floating = 0;   // floating buffers held beyond the exclusive ones
    int credit = 0;     // credits the producer holds and has not used
    int queued_data = 0;
    int backlog = 0;    // the producer's last announced backlog
    bool blocked = false;
    InputChannelDescriptor descriptor;
    sim::Duration backoff;
    sim::TimerId retry_timer;
  };

  void request(size_t channel);
  void announce(size_t channel, int credit);
  void assign_floating(size_t channel);
  void fail(size_t channel, const std::string& why);
  // Keeps `readable_` in step with the channel's queue and blocked flag.
  void update_readable(size_t channel);


  sim::Process& process_;
  ExecutionAttemptId consumer_;
  const DataPlaneOptions& options_;
  ChannelTransport& transport_;
  InputGateListener& listener_;
  std::vector<Channel> channels_;
  std::map<ChannelId, size_t> index_;
  int floating_available_;
  size_t round_robin_ = 0;
  // The channels with a buffer to read and not blocked, as a bitmap, so that finding the next one
  // round-robin costs a word per 64 channels instead of a look at every channel (Flink keeps a
  // queue of the channels with data, SingleInputGate#inputChannelsWithData, for the same reason).
  ChannelBitmap readable_;
  int64_t queued_data_buffers_ = 0;
  GateCounters counters_;
  // Network failure callbacks may fire after the gate is gone: they hold this weakly.
  std::shared_ptr<InputGate*> self_ = std::make_shared<InputGate*>(this);
};

}  // namespace flinksim::model::runtime
