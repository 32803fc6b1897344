#pragma once

// Flink's ZooKeeperCheckpointIDCounter: the next checkpoint id, shared by all leaders so that ids
// keep increasing across JobManager failovers. The coordinator takes ids locally and records each
// one here before it triggers the checkpoint, and a new leader starts after the largest recorded
// id. While the connection is SUSPENDED or LOST the counter refuses at once, before it writes
// anything (ZooKeeperCheckpointIDCounter.checkConnectionState: "Connection state: SUSPENDED"),
// so the trigger fails with TRIGGER_CHECKPOINT_FAILURE and the id is not used up.

#include <functional>
#include <optional>
#include <string>

#include "model/ha/ha_paths.h"
#include "model/ha/zookeeper_client.h"

namespace flinksim::model::ha {

class CheckpointIdCounter {
 public:
  explicit CheckpointIdCounter(ZooKeeperClient& client) : client_(client) {}

  void set_next(const std::string& job, checkpoint::CheckpointId next,
                std::function<void(bool)> done) {
    if (!client_.connected()) return done(false);
    client_.put(paths::checkpoint_counter(job), std::to_string(next), false,
                [done = std::move(done)](const ZooKeeperResponse& response) {
                  done(response.result == ZooKeeperResult::ok);
                });
  }
  // The next id to use (1 when none was ever recorded); unset when ZooKeeper cannot be read.
  void get_next(const std::string& job,
                std::function<void(std::optional<checkpoint::CheckpointId>)> done) {
    client_.get(paths::checkpoint_counter(job),
                [done = std::move(done)](const ZooKeeperResponse& response) {
                  if (response.result == ZooKeeperResult::no_node) return done(1);
                  if (response.result != ZooKeeperResult::ok) return done(std::nullopt);
                  done(std::stoll(response.data));
                });
  }

 private:
  ZooKeeperClient& client_;
};

}  // namespace flinksim::model::ha
