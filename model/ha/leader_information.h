#pragma once

// What a leading JobManager publishes for others to find it (Flink's LeaderInformation: the
// leader session id and addresses), stored as text in the leader's connection-info znode.

#include <optional>
#include <string>
#include <string_view>

#include "model/ids.h"
#include "sim/network.h"

namespace flinksim::model::ha {

struct LeaderInformation {
  LeaderSessionId session;
  sim::EndpointId resource_manager;
  sim::EndpointId job_master;

  std::string format() const;
  static std::optional<LeaderInformation> parse(std::string_view text);
  bool operator==(const LeaderInformation&) const = default;
};

}  // namespace flinksim::model::ha
