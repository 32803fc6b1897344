#include "model/checkpoint/checkpoint_storage.h"

namespace flinksim::model::checkpoint {

CheckpointStorageProcess::CheckpointStorageProcess(sim::Context& context, sim::HostId host,
                                                   double write_bytes_per_second)
    : sim::Process(context, host, "checkpoint-storage"), write_bytes_per_second_(write_bytes_per_second) {
  endpoint_ = add_endpoint("checkpoint-storage/api", [this](sim::EndpointId source,
                                                             const sim::MessagePtr& message) {
    const auto* upload = message->as<UploadState>();
    if (upload == nullptr) return;
    auto done = std::make_shared<UploadComplete>();
    done->attempt = upload->attempt;
    done->checkpoint = upload->checkpoint;
    const auto write = sim::Duration::nanoseconds(
        static_cast<int64_t>(static_cast<double>(upload->bytes) / write_bytes_per_second_ * 1e9));
    set_timer(write, [this, source, done = std::move(done)]() mutable {
      send(endpoint_, source, std::move(done));
    });
  });
}

}  // namespace flinksim::model::checkpoint
