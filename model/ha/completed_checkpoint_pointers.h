#pragma once

// The ZooKeeper half of Flink's DefaultCompletedCheckpointStore with a ZooKeeperStateHandleStore:
// one node per retained completed checkpoint, holding only a pointer (the id, which names its
// metadata in the checkpoint storage). Adding one removes those beyond
// execution.checkpointing.num-retained.

#include <functional>
#include <optional>
#include <string>

#include "model/ha/ha_paths.h"
#include "model/ha/zookeeper_client.h"

namespace flinksim::model::ha {

class CompletedCheckpointPointers {
 public:
  // `available` false: ZooKeeper could not be read; `latest` unset: no checkpoint yet.
  struct Lookup {
    bool available = false;
    std::optional<checkpoint::CheckpointId> latest;
  };
  explicit CompletedCheckpointPointers(ZooKeeperClient& client) : client_(client) {}

  void add(const std::string& job, checkpoint::CheckpointId id, int num_retained,
           std::function<void(bool)> done);
  void latest(const std::string& job, std::function<void(Lookup)> done);

 private:
  ZooKeeperClient& client_;
};

}  // namespace flinksim::model::ha
