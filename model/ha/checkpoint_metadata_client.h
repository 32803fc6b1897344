#pragma once

// Writes and reads completed checkpoints' metadata in the `checkpoint-storage` service by message,
// matching answers to requests. A request that cannot be delivered, or that gets no answer within
// the RPC timeout, fails.

#include <functional>
#include <map>
#include <optional>

#include "model/checkpoint/checkpoint_metadata_messages.h"
#include "sim/process.h"

namespace flinksim::model::ha {

class CheckpointMetadataClient {
 public:
  using Done = std::function<void(bool ok, std::optional<checkpoint::CompletedCheckpoint>)>;

  CheckpointMetadataClient(sim::Process& process, sim::EndpointId self, sim::EndpointId storage,
                           sim::Duration timeout)
      : process_(process), self_(self), storage_(storage), timeout_(timeout) {}
  ~CheckpointMetadataClient();

  void write(const checkpoint::CompletedCheckpoint& checkpoint, Done done);
  void read(checkpoint::CheckpointId id, Done done);
  // Returns false when the message is not a metadata response.
  bool on_message(const sim::MessagePtr& message);

 private:
  struct Pending {
    Done done;
    sim::TimerId timeout;
  };
  void send(uint64_t request, sim::MessagePtr message, Done done);
  void fail(uint64_t request);

  sim::Process& process_;
  sim::EndpointId self_;
  sim::EndpointId storage_;
  sim::Duration timeout_;
  uint64_t next_request_ = 1;
  std::map<uint64_t, Pending> pending_;
};

}  // namespace flinksim::model::ha
