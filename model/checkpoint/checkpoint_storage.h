#pragma once

// The `checkpoint-storage` service (a file system or object store): it takes uploads of task
// state and confirms them once written at its write bandwidth. An `outage` takes it down; uploads
// then fail and the checkpoints they belong to are declined. An upload under way when the outage
// starts is finished once the service is back, as a file-system client retries a write whose
// connection failed (the task would otherwise wait for an answer until the checkpoint times
// out). It also keeps the metadata of completed checkpoints, durably (a crash makes it
// unreachable, not forgetful).

#include <map>
#include <memory>

#include "model/checkpoint/checkpoint_messages.h"
#include "model/checkpoint/completed_checkpoint_store.h"
#include "sim/process.h"

namespace flinksim::model::checkpoint {

class CheckpointStorageProcess final : public sim::Process {
 public:
  CheckpointStorageProcess(sim::Context& context, sim::HostId host, double write_bytes_per_second);
  sim::EndpointId endpoint() const { return endpoint_; }

 protected:
  void on_start() override;

 private:
  struct Upload {
    sim::EndpointId source;
    std::shared_ptr<UploadComplete> done;
    sim::Duration write;
  };
  void write(uint64_t upload);

  // Checkpoint metadata writes and reads; false when `message` is something else.
  bool on_metadata(sim::EndpointId source, const sim::MessagePtr& message);

  sim::EndpointId endpoint_;
  double write_bytes_per_second_;
  std::map<CheckpointId, CompletedCheckpoint> metadata_;
  // Uploads being written, by arrival; they survive an outage.
  std::map<uint64_t, Upload> uploads_;
  uint64_t next_upload_ = 0;
};

}  // namespace flinksim::model::checkpoint
