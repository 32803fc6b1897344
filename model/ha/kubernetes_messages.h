#pragma once

// The wire protocol between Flink's Kubernetes client (fabric8 under FlinkKubeClient) and the
// `kubernetes-api-server` process, reduced to the ConfigMap operations Flink's Kubernetes HA
// services use: get, create, replace (optimistic: only if the resource version is still the one
// the writer read, else 409 Conflict), delete, and a watch per ConfigMap (the shared informer).

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "model/gateways.h"
#include "sim/time.h"

namespace flinksim::model::ha {

// fabric8's LeaderElectionRecord, kept in the ConfigMap's annotation
// control-plane.alpha.kubernetes.io/leader (KubernetesLeaderElector.LEADER_ANNOTATION_KEY).
struct LeaderElectionRecord {
  std::string holder_identity;
  sim::Duration lease_duration;
  sim::Instant acquire_time;
  sim::Instant renew_time;
  int64_t leader_transitions = 0;
  bool operator==(const LeaderElectionRecord&) const = default;
};

struct ConfigMap {
  std::string name;
  // Set by the server on every write; a replace names the version it read.
  uint64_t resource_version = 0;
  std::map<std::string, std::string> data;
  std::optional<LeaderElectionRecord> leader;
};

enum class KubernetesOperation { get, create, replace, remove };

struct KubernetesRequest final : sim::Message {
  FLINKSIM_MESSAGE(KubernetesRequest)
  uint64_t request = 0;
  KubernetesOperation operation = KubernetesOperation::get;
  std::string name;      // the ConfigMap
  ConfigMap config_map;  // create / replace: the new content (replace: with the version read)
};

// ok; not_found (404); already_exists and conflict (409); unavailable: the request got no answer
// (the API server is down or unreachable), set by the client, never sent.
enum class KubernetesResult { ok, not_found, already_exists, conflict, unavailable };

struct KubernetesResponse final : sim::Message {
  FLINKSIM_MESSAGE(KubernetesResponse)
  uint64_t request = 0;
  KubernetesResult result = KubernetesResult::ok;
  std::optional<ConfigMap> config_map;  // get / create / replace: the ConfigMap as stored
};

// Registers a watch on one ConfigMap for the sending endpoint.
struct KubernetesWatchRequest final : sim::Message {
  FLINKSIM_MESSAGE(KubernetesWatchRequest)
  std::string name;
};

// The watched ConfigMap was added, modified or deleted (config_map unset).
struct KubernetesWatchEvent final : sim::Message {
  FLINKSIM_MESSAGE(KubernetesWatchEvent)
  std::string name;
  std::optional<ConfigMap> config_map;
};

}  // namespace flinksim::model::ha
