#include "model/ha/checkpoint_metadata_client.h"

namespace flinksim::model::ha {

CheckpointMetadataClient::~CheckpointMetadataClient() {
  for (auto& [request, pending] : pending_) process_.cancel_timer(pending.timeout);
}

void CheckpointMetadataClient::write(const checkpoint::CompletedCheckpoint& checkpoint, Done done) {
  auto message = std::make_shared<checkpoint::WriteCheckpointMetadata>();
  message->request = next_request_++;
  message->checkpoint = checkpoint;
  const uint64_t request = message->request;
  send(request, std::move(message), std::move(done));
}

void CheckpointMetadataClient::read(checkpoint::CheckpointId id, Done done) {
  auto message = std::make_shared<checkpoint::ReadCheckpointMetadata>();
  message->request = next_request_++;
  message->checkpoint = id;
  const uint64_t request = message->request;
  send(request, std::move(message), std::move(done));
}

void CheckpointMetadataClient::send(uint64_t request, sim::MessagePtr message, Done done) {
  Pending& pending = pending_[request];
  pending.done = std::move(done);
  pending.timeout = process_.set_timer(timeout_, [this, request] { fail(request); });
  process_.send(self_, storage_, std::move(message),
                [this, request](sim::DeliveryFailure) { fail(request); });
}

void CheckpointMetadataClient::fail(uint64_t request) {
  const auto it = pending_.find(request);
  if (it == pending_.end()) return;
  Done done = std::move(it->second.done);
  process_.cancel_timer(it->second.timeout);
  pending_.erase(it);
  done(false, std::nullopt);
}

bool CheckpointMetadataClient::on_message(const sim::MessagePtr& message) {
  const auto* response = message->as<checkpoint::CheckpointMetadataResponse>();
  if (response == nullptr) return false;
  const auto it = pending_.find(response->request);
  if (it == pending_.end()) return true;
  Done done = std::move(it->second.done);
  process_.cancel_timer(it->second.timeout);
  pending_.erase(it);
  done(true, response->checkpoint);
  return true;
}

}  // namespace flinksim::model::ha
