#pragma once

// The messages of the data plane between TaskExecutors (Flink's netty partition request client
// and server): a consumer's input channel requests a subpartition with its initial credit, the
// producer's TaskExecutor answers with buffers as credit allows, and the consumer announces new
// credit as it recycles buffers.

#include <memory>

#include "model/gateways.h"
#include "model/runtime/network_buffer.h"

namespace flinksim::model::runtime {

// One channel: a subpartition of a producer's partition, read by one consumer attempt.
struct ChannelId {
  graph::ResultPartitionId partition;
  uint32_t subpartition = 0;
  ExecutionAttemptId consumer;
  auto operator<=>(const ChannelId&) const = default;
};

struct RequestSubpartition final : sim::Message {
  FLINKSIM_MESSAGE(RequestSubpartition)
  ChannelId channel;
  int initial_credit = 0;
  // The channel's index in the consumer's gate, echoed on every buffer so the consumer finds the
  // channel without a search (Flink's messages carry the InputChannelID for the same purpose).
  uint32_t consumer_channel = 0;
};

// The consumer attempt is gone (cancelled, failed or finished): the producer stops sending to
// it, and what it has not sent yet waits for the next reader (Flink's CancelPartitionRequest).
struct CancelPartitionRequest final : sim::Message {
  FLINKSIM_MESSAGE(CancelPartitionRequest)
  ChannelId channel;
};

// The producer's TaskExecutor does not (or no longer) hold the partition.
struct SubpartitionNotFound final : sim::Message {
  FLINKSIM_MESSAGE(SubpartitionNotFound)
  ChannelId channel;
};

struct TransferBuffer final : sim::Message {
  FLINKSIM_MESSAGE(TransferBuffer)
  ChannelId channel;
  uint32_t consumer_channel = 0;  // as the request gave it
  NetworkBuffer buffer;
  int backlog = 0;  // data buffers still queued behind this one
  int64_t bytes = 0;
  int64_t size_bytes() const override { return bytes; }
};

// Buffers and events of several channels for one TaskExecutor, sent together: a producer's
// watermark to every consumer on that TaskExecutor, or what one output flush finished.
struct TransferBatch final : sim::Message {
  FLINKSIM_MESSAGE(TransferBatch)
  std::vector<TransferBuffer> buffers;
  int64_t bytes = 0;
  int64_t size_bytes() const override { return bytes; }
};

struct AnnounceCredit final : sim::Message {
  FLINKSIM_MESSAGE(AnnounceCredit)
  ChannelId channel;
  int credit = 0;
};

}  // namespace flinksim::model::runtime
