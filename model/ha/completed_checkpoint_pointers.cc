#include "model/ha/completed_checkpoint_pointers.h"

namespace flinksim::model::ha {

void CompletedCheckpointPointers::add(const std::string& job, checkpoint::CheckpointId id,
                                      int num_retained, std::function<void(bool)> done) {
  ZooKeeperClient& client = client_;
  client_.create(
      paths::checkpoint(job, id), std::to_string(id), false, false,
      [&client, job, num_retained, done = std::move(done)](const ZooKeeperResponse& response) {
        const bool added = response.result == ZooKeeperResult::ok;
        if (added) {
          // Subsume the oldest beyond the retained number (names sort by id).
          client.children(paths::checkpoints(job),
                          [&client, job, num_retained](const ZooKeeperResponse& listing) {
                            const auto& names = listing.children;
                            const size_t keep = static_cast<size_t>(std::max(num_retained, 1));
                            for (size_t i = 0; i + keep < names.size(); ++i) {
                              client.remove(paths::checkpoints(job) + "/" + names[i],
                                            [](const ZooKeeperResponse&) {});
                            }
                          });
        }
        done(added);
      });
}

void CompletedCheckpointPointers::latest(const std::string& job, std::function<void(Lookup)> done) {
  client_.children(paths::checkpoints(job),
                   [done = std::move(done)](const ZooKeeperResponse& response) {
                     Lookup lookup;
                     lookup.available = response.result == ZooKeeperResult::ok;
                     if (lookup.available && !response.children.empty()) {
                       lookup.latest = std::stoll(response.children.back());
                     }
                     done(lookup);
                   });
}

}  // namespace flinksim::model::ha
