#pragma once

// Leader election with Curator's LeaderLatch recipe, as Flink's ZooKeeperLeaderElectionDriver
// uses it: each contender creates an ephemeral sequential node under the latch path; the one with
// the lowest sequence number leads. A contender that loses its connection gives up leadership at
// SUSPENDED (Flink's default, high-availability.zookeeper.client.tolerate-suspended-connections:
// false) or only at LOST (when tolerated); on RECONNECTED it deletes its node and joins again at
// the back, as LeaderLatch.reset() does. Its node's sequence number becomes the leader session id,
// so later leaderships carry larger fencing tokens.

#include <functional>
#include <string>

#include "model/ha/zookeeper_client.h"
#include "model/ids.h"

namespace flinksim::model::ha {

class LeaderLatch {
 public:
  using GrantListener = std::function<void(LeaderSessionId)>;
  using RevokeListener = std::function<void()>;

  LeaderLatch(ZooKeeperClient& client, std::string latch_path, bool tolerate_suspended,
              GrantListener on_grant, RevokeListener on_revoke);
  ~LeaderLatch();

  bool has_leadership() const { return leader_; }

 private:
  void on_connection_state(ConnectionState state);
  void join();
  void check_leadership();
  void revoke();

  ZooKeeperClient& client_;
  std::string latch_path_;
  bool tolerate_suspended_;
  GrantListener on_grant_;
  RevokeListener on_revoke_;
  std::string node_;  // our latch node, once created
  bool leader_ = false;
  // Answers to requests of an earlier join are ignored.
  uint64_t generation_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace flinksim::model::ha
