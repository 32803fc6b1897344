#pragma once

// The `checkpoint-storage` service (a file system or object store): it takes uploads of task
// state and serves the downloads of restoring tasks, each at most its connection's bandwidth and
// all together at most the service's total, shared fairly (SharedBandwidth). An `outage` takes
// it down; uploads and downloads asked for then fail (a checkpoint is declined, a restoring task
// fails with an IOException). A transfer under way when the outage starts is done again from the
// start once the service is back, as a file-system client retries a request whose connection
// failed. It also keeps the metadata of completed checkpoints, durably (a crash makes it
// unreachable, not forgetful).

#include <map>
#include <memory>

#include "model/checkpoint/checkpoint_messages.h"
#include "model/checkpoint/completed_checkpoint_store.h"
#include "model/checkpoint/shared_bandwidth.h"
#include "model/cluster_options.h"
#include "sim/process.h"

namespace flinksim::model::checkpoint {

class CheckpointStorageProcess final : public sim::Process {
 public:
  CheckpointStorageProcess(sim::Context& context, sim::HostId host, CheckpointStorageBandwidth bandwidth);
  sim::EndpointId endpoint() const { return endpoint_; }

 protected:
  void on_start() override;

 private:
  struct Transfer {
    std::optional<ExecutionAttemptId> upload_of;  // the task whose snapshot this writes
    CheckpointId checkpoint = 0;
    sim::EndpointId source;
    sim::MessagePtr done;  // the answer, sent when the last byte moved
    int64_t bytes = 0;
    int64_t connection_bytes_per_second = 0;
  };
  void on_request(sim::EndpointId source, const sim::MessagePtr& message);
  void begin(Transfer transfer);
  void on_transfers_done();
  void abort_uploads(const AbortUploads& abort);
  void arm_timer();

  // Checkpoint metadata writes and reads; false when `message` is something else.
  bool on_metadata(sim::EndpointId source, const sim::MessagePtr& message);

  sim::EndpointId endpoint_;
  CheckpointStorageBandwidth bandwidth_;
  SharedBandwidth shared_;
  std::map<CheckpointId, CompletedCheckpoint> metadata_;
  // Transfers under way, by arrival; they survive an outage.
  std::map<uint64_t, Transfer> transfers_;
  uint64_t next_transfer_ = 0;
  sim::TimerId timer_;
};

}  // namespace flinksim::model::checkpoint
