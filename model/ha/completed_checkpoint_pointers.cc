#include "model/ha/completed_checkpoint_pointers.h"

#include <algorithm>

#include "model/ha/ha_paths.h"

namespace flinksim::model::ha {

void CompletedCheckpointPointers::add(const std::string& job, checkpoint::CheckpointId id,
                                      int num_retained, std::function<void(bool)> done) {
  HaStoreClient& client = client_;
  client_.create(
      HaKey{HaRecord::checkpoint, job, paths::checkpoint_name(id)}, std::to_string(id),
      [&client, job, num_retained, done = std::move(done)](const StoreAnswer& answer) {
        const bool added = answer.result == StoreResult::ok;
        if (added) {
          // Subsume the oldest beyond the retained number (names sort by id).
          client.list(HaRecord::checkpoint, job,
                      [&client, job, num_retained](const StoreAnswer& listing) {
                        const auto& names = listing.names;
                        const size_t keep = static_cast<size_t>(std::max(num_retained, 1));
                        for (size_t i = 0; i + keep < names.size(); ++i) {
                          client.remove(HaKey{HaRecord::checkpoint, job, names[i]},
                                        [](const StoreAnswer&) {});
                        }
                      });
        }
        done(added);
      });
}

void CompletedCheckpointPointers::latest(const std::string& job, std::function<void(Lookup)> done) {
  client_.list(HaRecord::checkpoint, job, [done = std::move(done)](const StoreAnswer& answer) {
    Lookup lookup;
    lookup.available = answer.result == StoreResult::ok;
    if (lookup.available && !answer.names.empty()) lookup.latest = std::stoll(answer.names.back());
    done(lookup);
  });
}

void CompletedCheckpointPointers::remove_all(const std::string& job) {
  HaStoreClient& client = client_;
  client_.list(HaRecord::checkpoint, job, [&client, job](const StoreAnswer& listing) {
    for (const std::string& name : listing.names) {
      client.remove(HaKey{HaRecord::checkpoint, job, name}, [](const StoreAnswer&) {});
    }
  });
}

}  // namespace flinksim::model::ha
