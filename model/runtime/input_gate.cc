#include "model/runtime/input_gate.h"

#include "model/runtime/message_pool.h"
#include "sim/assert.h"

namespace flinksim::model::runtime {

InputGate::InputGate(sim::Process& process, ExecutionAttemptId consumer,
                     std::vector<InputChannelDescriptor> channels, const DataPlaneOptions& options,
                     ChannelTransport& transport, InputGateListener& listener)
    : process_(process),
      consumer_(consumer),
      options_(options),
      transport_(transport),
      listener_(listener),
      floating_available_(options.floating_buffers_per_gate),
      readable_(channels.size()) {
  for (InputChannelDescriptor& descriptor : channels) {
    Channel channel;
    channel.id = ChannelId{descriptor.partition, descriptor.subpartition, consumer_};
    channel.descriptor = std::move(descriptor);
    channel.backoff = options_.request_backoff_initial;
    index_[channel.id] = channels_.size();
    channels_.push_back(std::move(channel));
  }
}

InputGate::~InputGate() {
  for (Channel& channel : channels_) {
    process_.cancel_timer(channel.retry_timer);
    // RemoteInputChannel#releaseAllResources: the producer releases this attempt's reader, so
    // nothing more is sent into a channel nobody reads (an approximate partition keeps the
    // rest for the restarted consumer).
    if (!channel.descriptor.location.valid()) continue;
    auto cancel = std::make_shared<CancelPartitionRequest>();
    cancel->channel = channel.id;
    transport_.send_data(channel.descriptor.location, std::move(cancel), nullptr);
  }
}

void InputGate::request_partitions() {
  for (size_t c = 0; c < channels_.size(); ++c) request(c);
}

void InputGate::request(size_t c) {
  Channel& channel = channels_[c];
  if (!channel.descriptor.location.valid()) {
    fail(c, "PartitionNotFoundException: no TaskExecutor holds partition");
    return;
  }
  auto message = std::make_shared<RequestSubpartition>();
  message->channel = channel.id;
  message->initial_credit = options_.buffers_per_channel;
  message->consumer_channel = static_cast<uint32_t>(c);
  channel.credit = options_.buffers_per_channel;
  counters_.credits_announced += options_.buffers_per_channel;
  transport_.send_data(channel.descriptor.location, std::move(message), [self = std::weak_ptr(self_), c](sim::DeliveryFailure) {
    if (auto gate = self.lock()) {
      (*gate)->fail(c, "PartitionConnectionException: connection to the producer's TaskExecutor failed");
    }
  });
}

void InputGate::on_not_found(const ChannelId& id) {
  const auto it = index_.find(id);
  if (it == index_.end()) return;
  const size_t c = it->second;
  Channel& channel = channels_[c];
  // RemoteInputChannel retriggers the request with doubling back-off up to the maximum.
  if (channel.backoff > options_.request_backoff_max) {
    fail(c, "PartitionNotFoundException: partition not found after retries");
    return;
  }
  const sim::Duration wait = channel.backoff;
  channel.backoff = channel.backoff * 2;
  if (channel.backoff > options_.request_backoff_max && wait < options_.request_backoff_max) {
    channel.backoff = options_.request_backoff_max;
  }
  process_.cancel_timer(channel.retry_timer);
  channel.retry_timer = process_.set_timer(wait, [this, c] { request(c); });
}

void InputGate::fail(size_t c, const std::string& why) {
  // Every reason is a PartitionException in Flink (PartitionNotFoundException,
  // PartitionConnectionException): the failover strategy marks the partition failed and
  // restarts its producer, whatever the partition's type (RestartPipelinedRegionFailoverStrategy).
  listener_.on_channel_failure(channels_[c].descriptor.partition, why, true);
}

std::optional<size_t> InputGate::channel_of(const TransferBuffer& message) const {
  const size_t hint = message.consumer_channel;
  if (hint < channels_.size() && channels_[hint].id == message.channel) return hint;
  return channel_index(message.channel);
}

bool InputGate::take_event_at_once(size_t c, const TransferBuffer& message) {
  Channel& channel = channels_[c];
  if (!channel.queue.empty() || channel.blocked) return false;
  channel.backoff = options_.request_backoff_initial;
  channel.backlog = message.backlog;
  assign_floating(c);
  return true;
}

void InputGate::on_buffer(size_t c, TransferBuffer& message) {
  Channel& channel = channels_[c];
  channel.backoff = options_.request_backoff_initial;
  if (!message.buffer.is_event) {
    --channel.credit;
    FLINKSIM_ASSERT(channel.credit >= 0);  // the producer never sends data without a credit
    ++channel.queued_data;
    ++queued_data_buffers_;
    ++counters_.data_buffers_received;
  }
  channel.backlog = message.backlog;
  channel.queue.push_back(std::move(message.buffer));
  update_readable(c);
  assign_floating(c);
  listener_.on_input_available();
}

void InputGate::assign_floating(size_t c) {
  Channel& channel = channels_[c];
  int wanted = channel.backlog - channel.credit;
  int granted = 0;
  while (wanted > 0 && floating_available_ > 0) {
    --floating_available_;
    ++channel.floating;
    --wanted;
    ++granted;
  }
  if (granted > 0) announce(c, granted);
}

void InputGate::announce(size_t c, int credit) {
  Channel& channel = channels_[c];
  channel.credit += credit;
  counters_.credits_announced += credit;
  auto message = make_pooled<AnnounceCredit>();
  message->channel = channel.id;
  message->credit = credit;
  transport_.send_data(channel.descriptor.location, std::move(message), [self = std::weak_ptr(self_), c](sim::DeliveryFailure) {
    if (auto gate = self.lock()) {
      (*gate)->fail(c, "PartitionConnectionException: connection to the producer's TaskExecutor failed");
    }
  });
}

std::optional<size_t> InputGate::next_readable() {
  const std::optional<size_t> c = readable_.next_from(round_robin_);
  if (c) round_robin_ = (*c + 1) % channels_.size();
  return c;
}

void InputGate::set_blocked(size_t channel, bool blocked) {
  channels_[channel].blocked = blocked;
  update_readable(channel);
}

void InputGate::update_readable(size_t c) {
  readable_.set(c, !channels_[c].queue.empty() && !channels_[c].blocked);
}

void InputGate::pop(size_t c) {
  Channel& channel = channels_[c];
  const bool data = !channel.queue.front().is_event;
  channel.queue.pop_front();
  update_readable(c);
  if (!data) return;
  --channel.queued_data;
  --queued_data_buffers_;
  // The recycled buffer: a floating one the channel no longer needs goes back to the pool (and
  // to a channel waiting for one); otherwise it becomes a credit again.
  if (channel.floating > 0 && channel.backlog <= channel.credit) {
    --channel.floating;
    ++floating_available_;
    for (size_t other = 0; other < channels_.size() && floating_available_ > 0; ++other) {
      if (other != c) assign_floating(other);
    }
    return;
  }
  announce(c, 1);
}

UnprocessedRecords InputGate::unprocessed_records(size_t channel, size_t head_position,
                                                  std::optional<int64_t> up_to_barrier) const {
  UnprocessedRecords result;
  bool head = true;
  for (const NetworkBuffer& buffer : channels_[channel].queue) {
    if (buffer.is_event && up_to_barrier &&
        buffer.event.kind == BufferEvent::Kind::checkpoint_barrier &&
        buffer.event.value == *up_to_barrier) {
      result.reached_barrier = true;
      return result;
    }
    if (!buffer.is_event) {
      const size_t from = head ? std::min(head_position, buffer.records.size()) : 0;
      result.records.insert(result.records.end(),
                            buffer.records.begin() + static_cast<std::ptrdiff_t>(from),
                            buffer.records.end());
    }
    head = false;
  }
  return result;
}

}  // namespace flinksim::model::runtime
