#pragma once

// Leader election with Curator's LeaderLatch recipe, as Flink's ZooKeeperLeaderElectionDriver
// uses it: each contender creates an ephemeral sequential node under the latch path; the one with
// the lowest sequence number leads. A contender that loses its connection gives up leadership at
// SUSPENDED (Flink's default, high-availability.zookeeper.client.tolerate-suspended-connections:
// false) or only at LOST (when tolerated); on RECONNECTED it deletes its node and joins again at
// the back, as LeaderLatch.reset() does. Its node's sequence number becomes the leader session id,
// so later leaderships carry larger fencing tokens.
//
// Requests can be lost with the connection they were sent on. Like Curator, the latch deletes
// its old nodes with guaranteed deletes (retried until ZooKeeper confirms them) and creates its
// node in protected mode: the node's name carries an id of the attempt, so that a node whose
// creation was never confirmed is recognised among the children and deleted. Otherwise an
// orphaned node of its own would sit in front of it in the queue for as long as its session
// lives, and nobody would lead.

#include <functional>
#include <set>
#include <string>

#include "model/ha/zookeeper_client.h"
#include "model/ids.h"
#include "sim/lifetime.h"

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
  // Deletes the nodes in `to_delete_`, each until ZooKeeper confirms it is gone.
  void delete_stale_nodes();
  // Our nodes among `children` whose creation was never confirmed are to be deleted.
  void collect_orphans(const std::vector<std::string>& children);

  ZooKeeperClient& client_;
  std::string latch_path_;
  bool tolerate_suspended_;
  GrantListener on_grant_;
  RevokeListener on_revoke_;
  std::string node_;  // our latch node, once created
  std::set<std::string> to_delete_;  // our earlier nodes, until their deletion is confirmed
  // Protected-mode prefixes of creations whose outcome is unknown (the connection was lost).
  std::set<std::string> unconfirmed_;
  bool leader_ = false;
  // Answers to requests of an earlier join are ignored.
  uint64_t generation_ = 0;
  sim::Lifetime lifetime_;
};

}  // namespace flinksim::model::ha
