#pragma once

// Leader retrieval (Flink's ZooKeeperLeaderRetrievalDriver): watches the leader's connection-info
// node and tells its listener whenever the leader changes or disappears. Without a connection to
// ZooKeeper (SUSPENDED or LOST, when suspended connections are not tolerated) the leader is
// unknown, and the listener hears "no leader".

#include <functional>
#include <optional>
#include <string>

#include "model/ha/leader_election_driver.h"
#include "model/ha/leader_information.h"
#include "model/ha/zookeeper_client.h"
#include "sim/lifetime.h"

namespace flinksim::model::ha {

class LeaderRetrieval final : public LeaderRetrievalDriver {
 public:
  using Listener = std::function<void(const std::optional<LeaderInformation>&)>;

  LeaderRetrieval(ZooKeeperClient& client, std::string path, bool tolerate_suspended,
                  Listener listener);

 private:
  void refresh();
  void notify(const std::optional<LeaderInformation>& leader);

  ZooKeeperClient& client_;
  std::string path_;
  bool tolerate_suspended_;
  Listener listener_;
  std::optional<LeaderInformation> last_;
  sim::Lifetime lifetime_;
};

}  // namespace flinksim::model::ha
