#pragma once

// Flink's CheckpointIDCounter on the HA store (ZooKeeperCheckpointIDCounter, a znode;
// KubernetesCheckpointIDCounter, the "counter" key of the job's ConfigMap): the next checkpoint
// id, shared by all leaders so that ids keep increasing across JobManager failovers. The
// coordinator takes ids locally and records each one here before it triggers the checkpoint, and
// a new leader starts after the largest recorded id. On ZooKeeper, while the connection is
// SUSPENDED or LOST the counter refuses at once, before it writes anything
// (ZooKeeperCheckpointIDCounter.checkConnectionState: "Connection state: SUSPENDED"), so the
// trigger fails with TRIGGER_CHECKPOINT_FAILURE and the id is not used up; on Kubernetes the
// write itself fails when the API server does not answer.

#include <functional>
#include <optional>
#include <string>

#include "model/checkpoint/task_state_snapshot.h"
#include "model/ha/ha_store_client.h"

namespace flinksim::model::ha {

class CheckpointIdCounter {
 public:
  explicit CheckpointIdCounter(HaStoreClient& client) : client_(client) {}

  void set_next(const std::string& job, checkpoint::CheckpointId next,
                std::function<void(bool)> done) {
    if (!client_.available()) return done(false);
    client_.put(HaKey{HaRecord::checkpoint_counter, job, ""}, std::to_string(next),
                [done = std::move(done)](const StoreAnswer& answer) {
                  done(answer.result == StoreResult::ok);
                });
  }
  // A globally terminated job's counter is deleted (CheckpointIDCounter#shutdown).
  void remove(const std::string& job) {
    client_.remove(HaKey{HaRecord::checkpoint_counter, job, ""}, [](const StoreAnswer&) {});
  }
  // The next id to use (1 when none was ever recorded); unset when the store cannot be read.
  void get_next(const std::string& job,
                std::function<void(std::optional<checkpoint::CheckpointId>)> done) {
    client_.get(HaKey{HaRecord::checkpoint_counter, job, ""},
                [done = std::move(done)](const StoreAnswer& answer) {
                  if (answer.result == StoreResult::absent) return done(1);
                  if (answer.result != StoreResult::ok) return done(std::nullopt);
                  done(std::stoll(answer.data));
                });
  }

 private:
  HaStoreClient& client_;
};

}  // namespace flinksim::model::ha
