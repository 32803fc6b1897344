#include "model/runtime/result_partition.h"

#include <algorithm>

#include "model/runtime/key_groups.h"
#include "model/runtime/message_pool.h"
#include "sim/assert.h"

namespace flinksim::model::runtime {

ResultPartition::ResultPartition(ResultPartitionDescriptor descriptor,
                                 const DataPlaneOptions& options, ChannelTransport& transport)
    : descriptor_(descriptor),
      options_(options),
      transport_(transport),
      subpartitions_(descriptor.subpartitions),
      filling_(descriptor.subpartitions),
      records_per_buffer_(options.records_per_buffer()),
      pool_size_(static_cast<int>(descriptor.subpartitions) * options.buffers_per_channel +
                 options.floating_buffers_per_gate),
      // Flink's RebalancePartitioner starts at a random channel; starting at the producer's
      // subtask index spreads producers the same way, deterministically.
      round_robin_(descriptor.producer_subtask % std::max<uint32_t>(descriptor.subpartitions, 1)) {
  FLINKSIM_ASSERT(descriptor.subpartitions > 0);
}

bool ResultPartition::is_available() const {
  if (descriptor_.blocking) return true;
  // A new record may need a fresh buffer: one must be left in the pool.
  return buffers_in_use_ < pool_size_ && full_subpartitions_ == 0;
}

uint32_t ResultPartition::route(const Record& record) {
  const uint32_t n = descriptor_.subpartitions;
  switch (descriptor_.partitioner) {
    case graph::Partitioner::hash:
      return static_cast<uint32_t>(operator_index_of(record.key, descriptor_.consumer_max_parallelism,
                                                     static_cast<int32_t>(n)));
    case graph::Partitioner::rebalance:
    case graph::Partitioner::rescale: {
      const uint32_t target = round_robin_;
      round_robin_ = (round_robin_ + 1) % n;
      return target;
    }
    default:
      return 0;
  }
}

void ResultPartition::emit(const Record& record) {
  ++counters_.records_written;
  if (descriptor_.partitioner == graph::Partitioner::broadcast) {
    for (uint32_t sp = 0; sp < subpartitions_.size(); ++sp) append_record(sp, record);
    return;
  }
  append_record(route(record), record);
}

void ResultPartition::append_record(uint32_t subpartition, const Record& record) {
  Subpartition& sp = subpartitions_[subpartition];
  if (sp.current.records.empty()) {
    filling_.set(subpartition, true);
    if (!descriptor_.blocking) ++buffers_in_use_;
  }
  sp.current.records.push_back(record);
  if (static_cast<int>(sp.current.records.size()) >= records_per_buffer_) finish_current(subpartition);
}

void ResultPartition::finish_current(uint32_t subpartition) {
  Subpartition& sp = subpartitions_[subpartition];
  if (sp.current.records.empty()) return;
  filling_.set(subpartition, false);
  sp.queue.push_back(std::move(sp.current));
  sp.current = NetworkBuffer{};
  ++sp.data_buffers;
  if (!descriptor_.blocking) {
    if (++sp.queued_data_buffers == options_.max_buffers_per_channel) ++full_subpartitions_;
  }
  pump(subpartition);
}

void ResultPartition::flush() {
  begin_batch();
  filling_.for_each([this](size_t sp) { finish_current(static_cast<uint32_t>(sp)); });
  end_batch();
}

void ResultPartition::broadcast_event(BufferEvent event) {
  begin_batch();
  for (uint32_t sp = 0; sp < subpartitions_.size(); ++sp) {
    if (filling_.contains(sp)) finish_current(sp);
    if (send_event_at_once(subpartitions_[sp], event)) continue;
    subpartitions_[sp].queue.push_back(NetworkBuffer::of_event(event));
    pump(sp);
  }
  end_batch();
}

bool ResultPartition::send_event_at_once(Subpartition& sp, const BufferEvent& event) {
  if (descriptor_.blocking || !sp.reader || !sp.queue.empty()) return false;
  // What take_next makes of an event at the head of an empty queue: no credit, no backlog behind
  // it, and no buffer freed, so the writer is not notified (unless the partition is drained).
  TransferBuffer transfer;
  transfer.channel = sp.reader->channel;
  transfer.consumer_channel = sp.reader->consumer_channel;
  transfer.buffer.is_event = true;
  transfer.buffer.event = event;
  transfer.bytes = 64;
  transfer.backlog = sp.queued_data_buffers;
  send(sp.reader->endpoint, std::move(transfer));
  if (is_drained()) notify();
  return true;
}

std::vector<std::vector<Record>> ResultPartition::broadcast_priority_event(BufferEvent event) {
  std::vector<std::vector<Record>> overtaken(subpartitions_.size());
  for (uint32_t sp = 0; sp < subpartitions_.size(); ++sp) {
    finish_current(sp);
    Subpartition& subpartition = subpartitions_[sp];
    for (const NetworkBuffer& buffer : subpartition.queue) {
      if (!buffer.is_event) overtaken[sp].insert(overtaken[sp].end(), buffer.records.begin(), buffer.records.end());
    }
    subpartition.queue.push_front(NetworkBuffer::of_event(event));
    pump(sp);
  }
  return overtaken;
}

void ResultPartition::emit_to(uint32_t subpartition, const Record& record) {
  ++counters_.records_written;
  append_record(subpartition, record);
}

void ResultPartition::finish() {
  if (finished_) return;
  broadcast_event(BufferEvent{BufferEvent::Kind::end_of_partition, 0});
  finished_ = true;
  notify();
}

bool ResultPartition::is_drained() const {
  if (!finished_) return false;
  if (descriptor_.blocking) return true;
  for (const Subpartition& sp : subpartitions_) {
    if (!sp.queue.empty()) return false;
  }
  return true;
}

void ResultPartition::pump(uint32_t subpartition) {
  Subpartition& sp = subpartitions_[subpartition];
  if (!sp.reader) return;
  Reader& reader = *sp.reader;
  bool freed = false;
  while (true) {
    const size_t position = descriptor_.blocking ? reader.cursor : 0;
    if (position >= sp.queue.size()) break;
    const bool is_data = !sp.queue[position].is_event;
    if (is_data && reader.credit <= 0) break;
    TransferBuffer transfer = take_next(sp, reader);
    freed = freed || (is_data && !descriptor_.blocking);
    send(reader.endpoint, std::move(transfer));
  }
  FLINKSIM_ASSERT(buffers_in_use_ >= 0);
  if (freed || is_drained()) notify();
}

TransferBuffer ResultPartition::take_next(Subpartition& sp, Reader& reader) {
  TransferBuffer transfer;
  transfer.channel = reader.channel;
  transfer.consumer_channel = reader.consumer_channel;
  if (descriptor_.blocking) {
    transfer.buffer = sp.queue[reader.cursor++];
  } else {
    transfer.buffer = std::move(sp.queue.front());
    sp.queue.pop_front();
  }
  const bool is_data = !transfer.buffer.is_event;
  if (is_data) {
    --reader.credit;
    if (descriptor_.blocking) ++reader.data_sent;
    transfer.bytes = static_cast<int64_t>(transfer.buffer.records.size()) * options_.simulated_record_size_bytes();
    ++counters_.data_buffers_sent;
    counters_.bytes_sent += transfer.bytes;
    if (!descriptor_.blocking) release_data_buffer(sp);
  } else {
    transfer.bytes = 64;
  }
  // The data buffers still queued behind this one (Flink's backlog, which earns floating credit).
  transfer.backlog = descriptor_.blocking ? sp.data_buffers - reader.data_sent : sp.queued_data_buffers;
  return transfer;
}

void ResultPartition::release_data_buffer(Subpartition& sp) {
  if (sp.queued_data_buffers-- == options_.max_buffers_per_channel) --full_subpartitions_;
  --buffers_in_use_;
}

void ResultPartition::send(sim::EndpointId consumer, TransferBuffer transfer) {
  if (batching_) {
    // Buffers for one TaskExecutor travel together (Flink writes them to one netty connection
    // and flushes once): one network message instead of one per channel.
    auto it = std::lower_bound(batches_.begin(), batches_.end(), consumer,
                               [](const PendingBatch& b, sim::EndpointId e) { return b.consumer < e; });
    if (it == batches_.end() || it->consumer != consumer) {
      it = batches_.insert(it, PendingBatch{consumer, make_pooled<TransferBatch>()});
      it->batch->buffers.reserve(batch_size_hint_);
    }
    it->batch->bytes += transfer.bytes;
    it->batch->buffers.push_back(std::move(transfer));
    return;
  }
  const ChannelId channel = transfer.channel;
  transport_.send_data(consumer, make_pooled<TransferBuffer>(std::move(transfer)),
                       [self = weak_from_this(), channel](sim::DeliveryFailure) {
                         if (auto partition = self.lock()) partition->remove_reader(channel);
                       });
}

void ResultPartition::begin_batch() { batching_ = true; }

void ResultPartition::end_batch() {
  if (!batching_) return;
  batching_ = false;
  std::vector<PendingBatch> batches;
  batches.swap(batches_);
  for (auto& [consumer, batch] : batches) {
    batch_size_hint_ = std::max(batch_size_hint_, batch->buffers.size());
    // A batch of one buffer travels as it is: same bytes, same delivery, same failure handling as
    // the buffer alone, without a second allocation.
    transport_.send_data(consumer, batch, [self = weak_from_this(), batch](sim::DeliveryFailure) {
      if (auto partition = self.lock()) {
        for (const TransferBuffer& transfer : batch->buffers) partition->remove_reader(transfer.channel);
      }
    });
  }
  batches.clear();
  if (batches_.empty()) batches_.swap(batches);  // keeps the capacity for the next round
}

void ResultPartition::notify() {
  if (listener_) listener_();
}

void ResultPartition::add_reader(const RequestSubpartition& request, sim::EndpointId consumer) {
  const uint32_t subpartition = request.channel.subpartition;
  FLINKSIM_ASSERT(subpartition < subpartitions_.size());
  // A new consumer attempt replaces the old reader; a blocking partition is read from the start.
  subpartitions_[subpartition].reader =
      Reader{request.channel, request.consumer_channel, consumer, request.initial_credit, 0};
  pump(subpartition);
}

void ResultPartition::add_credit(const ChannelId& channel, int credit) {
  if (channel.subpartition >= subpartitions_.size()) return;
  Subpartition& sp = subpartitions_[channel.subpartition];
  if (!sp.reader || sp.reader->channel != channel) return;
  FLINKSIM_ASSERT(credit > 0);
  sp.reader->credit += credit;
  pump(channel.subpartition);
}

void ResultPartition::remove_reader(const ChannelId& channel) {
  if (channel.subpartition >= subpartitions_.size()) return;
  Subpartition& sp = subpartitions_[channel.subpartition];
  if (sp.reader && sp.reader->channel == channel) sp.reader.reset();
}

void ResultPartition::remove_readers_at(sim::EndpointId consumer) {
  for (Subpartition& sp : subpartitions_) {
    if (sp.reader && sp.reader->endpoint == consumer) sp.reader.reset();
  }
}

}  // namespace flinksim::model::runtime
