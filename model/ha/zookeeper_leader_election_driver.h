#pragma once

// ZooKeeper's leader election driver (Flink's ZooKeeperLeaderElectionDriver): a LeaderLatch under
// the latch path; the leader publishes its addresses in an ephemeral connection-info znode, which
// goes away with its session.

#include <memory>

#include "model/ha/ha_paths.h"
#include "model/ha/leader_election_driver.h"
#include "model/ha/leader_latch.h"

namespace flinksim::model::ha {

class ZooKeeperLeaderElectionDriver final : public LeaderElectionDriver {
 public:
  ZooKeeperLeaderElectionDriver(ZooKeeperClient& client, bool tolerate_suspended,
                                GrantListener on_grant, RevokeListener on_revoke)
      : client_(client),
        latch_(client, paths::leader_latch(), tolerate_suspended, std::move(on_grant),
               std::move(on_revoke)) {}

  void publish(const LeaderInformation& information) override {
    client_.put(paths::connection_info(), information.format(), true,
                [](const ZooKeeperResponse&) {});
  }

 private:
  ZooKeeperClient& client_;
  LeaderLatch latch_;
};

}  // namespace flinksim::model::ha
