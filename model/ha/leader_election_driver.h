#pragma once

// Flink's LeaderElectionDriver and LeaderRetrievalDriver split: the backend-specific part of
// leader election (ZooKeeper's LeaderLatch, Kubernetes' ConfigMap lock) and of leader retrieval,
// behind what the JobManager and TaskManager processes need from them.

#include <functional>
#include <optional>

#include "model/ha/leader_information.h"
#include "model/ids.h"

namespace flinksim::model::ha {

class LeaderElectionDriver {
 public:
  using GrantListener = std::function<void(LeaderSessionId)>;
  using RevokeListener = std::function<void()>;
  virtual ~LeaderElectionDriver() = default;
  // Publishes the leader's addresses for leader retrieval; a no-op for a deposed leader.
  virtual void publish(const LeaderInformation& information) = 0;
};

class LeaderRetrievalDriver {
 public:
  using Listener = std::function<void(const std::optional<LeaderInformation>&)>;
  virtual ~LeaderRetrievalDriver() = default;
};

}  // namespace flinksim::model::ha
