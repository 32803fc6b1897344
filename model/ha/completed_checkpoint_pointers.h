#pragma once

// The HA half of Flink's DefaultCompletedCheckpointStore with a StateHandleStore (ZooKeeper's or
// Kubernetes'): one entry per retained completed checkpoint, holding only a pointer (the id,
// which names its metadata in the checkpoint storage). Adding one removes those beyond
// execution.checkpointing.num-retained.

#include <functional>
#include <optional>
#include <string>

#include "model/checkpoint/task_state_snapshot.h"
#include "model/ha/ha_store_client.h"

namespace flinksim::model::ha {

class CompletedCheckpointPointers {
 public:
  // `available` false: the store could not be read; `latest` unset: no checkpoint yet.
  struct Lookup {
    bool available = false;
    std::optional<checkpoint::CheckpointId> latest;
  };
  explicit CompletedCheckpointPointers(HaStoreClient& client) : client_(client) {}

  void add(const std::string& job, checkpoint::CheckpointId id, int num_retained,
           std::function<void(bool)> done);
  void latest(const std::string& job, std::function<void(Lookup)> done);
  // Every pointer of a globally terminated job (CompletedCheckpointStore#shutdown).
  void remove_all(const std::string& job);

 private:
  HaStoreClient& client_;
};

}  // namespace flinksim::model::ha
