#include "model/checkpoint/checkpoint_storage.h"

#include "model/checkpoint/checkpoint_metadata_messages.h"

namespace flinksim::model::checkpoint {

CheckpointStorageProcess::CheckpointStorageProcess(sim::Context& context, sim::HostId host,
                                                   double write_bytes_per_second)
    : sim::Process(context, host, "checkpoint-storage"), write_bytes_per_second_(write_bytes_per_second) {
  endpoint_ = add_endpoint("checkpoint-storage/api", [this](sim::EndpointId source,
                                                             const sim::MessagePtr& message) {
    if (on_metadata(source, message)) return;
    const auto* upload = message->as<UploadState>();
    if (upload == nullptr) return;
    auto done = std::make_shared<UploadComplete>();
    done->attempt = upload->attempt;
    done->checkpoint = upload->checkpoint;
    const auto duration = sim::Duration::nanoseconds(
        static_cast<int64_t>(static_cast<double>(upload->bytes) / write_bytes_per_second_ * 1e9));
    const uint64_t id = next_upload_++;
    uploads_[id] = Upload{source, std::move(done), duration};
    write(id);
  });
}

void CheckpointStorageProcess::on_start() {
  // Uploads the outage interrupted are written again from the start.
  for (const auto& [id, upload] : uploads_) write(id);
}

void CheckpointStorageProcess::write(uint64_t upload) {
  set_timer(uploads_.at(upload).write, [this, upload] {
    const auto it = uploads_.find(upload);
    send(endpoint_, it->second.source, it->second.done);
    uploads_.erase(it);
  });
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
