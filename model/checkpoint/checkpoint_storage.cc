#include "model/checkpoint/checkpoint_storage.h"

#include "model/checkpoint/checkpoint_metadata_messages.h"

namespace flinksim::model::checkpoint {

CheckpointStorageProcess::CheckpointStorageProcess(sim::Context& context, sim::HostId host,
                                                   CheckpointStorageBandwidth bandwidth)
    : sim::Process(context, host, "checkpoint-storage"),
      bandwidth_(bandwidth),
      shared_(bandwidth.total_bytes_per_second) {
  endpoint_ = add_endpoint("checkpoint-storage/api", [this](sim::EndpointId source, const sim::MessagePtr& message) {
    if (!on_metadata(source, message)) on_request(source, message);
  });
}

void CheckpointStorageProcess::on_request(sim::EndpointId source, const sim::MessagePtr& message) {
  if (const auto* upload = message->as<UploadState>()) {
    auto done = std::make_shared<UploadComplete>();
    done->attempt = upload->attempt;
    done->checkpoint = upload->checkpoint;
    begin(Transfer{upload->attempt, upload->checkpoint, source, std::move(done), upload->bytes,
                   bandwidth_.write_bytes_per_second});
  } else if (const auto* download = message->as<DownloadState>()) {
    auto done = std::make_shared<DownloadComplete>();
    done->attempt = download->attempt;
    done->checkpoint = download->checkpoint;
    done->bytes = download->bytes;
    begin(Transfer{std::nullopt, download->checkpoint, source, std::move(done), download->bytes,
                   bandwidth_.read_bytes_per_second});
  } else if (const auto* abort = message->as<AbortUploads>()) {
    abort_uploads(*abort);
  }
}

void CheckpointStorageProcess::begin(Transfer transfer) {
  const uint64_t id = next_transfer_++;
  shared_.advance(now());
  shared_.start(id, transfer.bytes, transfer.connection_bytes_per_second);
  transfers_[id] = std::move(transfer);
  arm_timer();
}

void CheckpointStorageProcess::abort_uploads(const AbortUploads& abort) {
  shared_.advance(now());
  for (auto it = transfers_.begin(); it != transfers_.end();) {
    const bool aborted = it->second.upload_of == abort.attempt &&
                         (!abort.checkpoint || *abort.checkpoint == it->second.checkpoint);
    if (!aborted) {
      ++it;
      continue;
    }
    shared_.cancel(it->first);
    it = transfers_.erase(it);
  }
  arm_timer();
}

void CheckpointStorageProcess::on_start() {
  // Transfers the outage interrupted are done again from the start.
  shared_.clear();
  shared_.advance(now());
  for (const auto& [id, transfer] : transfers_) shared_.start(id, transfer.bytes, transfer.connection_bytes_per_second);
  arm_timer();
}

void CheckpointStorageProcess::arm_timer() {
  cancel_timer(timer_);
  const std::optional<sim::Instant> next = shared_.next_completion();
  if (next) timer_ = set_timer(*next - now(), [this] { on_transfers_done(); });
}

void CheckpointStorageProcess::on_transfers_done() {
  shared_.advance(now());
  for (const uint64_t id : shared_.take_finished()) {
    const auto it = transfers_.find(id);
    send(endpoint_, it->second.source, it->second.done);
    transfers_.erase(it);
  }
  arm_timer();
}

bool CheckpointStorageProcess::on_metadata(sim::EndpointId source, const sim::MessagePtr& message) {
  auto response = std::make_shared<CheckpointMetadataResponse>();
  if (const auto* write = message->as<WriteCheckpointMetadata>()) {
    response->request = write->request;
    metadata_[write->checkpoint.id] = write->checkpoint;
  } else if (const auto* read = message->as<ReadCheckpointMetadata>()) {
    response->request = read->request;
    const auto found = metadata_.find(read->checkpoint);
    if (found != metadata_.end()) response->checkpoint = found->second;
  } else {
    return false;
  }
  send(endpoint_, source, std::move(response));
  return true;
}

}  // namespace flinksim::model::checkpoint
