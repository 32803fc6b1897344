#pragma once

// Kubernetes' leader election driver (Flink's KubernetesLeaderElectionDriver): the ConfigMap lock
// of the cluster ConfigMap (KubernetesLeaderElector); the leader publishes its addresses into the
// same ConfigMap's data with a leadership check (checkAndUpdateConfigMap that writes only while
// the annotation names this JobManager). Flink keeps a key per component; the model's one
// LeaderInformation holds the ResourceManager's and the JobMaster's addresses under one key.

#include <memory>
#include <string>

#include "model/ha/kubernetes_leader_elector.h"
#include "model/ha/kubernetes_store_client.h"
#include "model/ha/leader_election_driver.h"

namespace flinksim::model::ha {

inline const std::string kLeaderInformationKey = "org.apache.flink.k8s.leader.jobmanager";

class KubernetesLeaderElectionDriver final : public LeaderElectionDriver {
 public:
  KubernetesLeaderElectionDriver(sim::Process& process, KubernetesClient& client,
                                 std::string identity, LeaderElectionTimes times, sim::Rng rng,
                                 GrantListener on_grant, RevokeListener on_revoke)
      : client_(client),
        elector_(process, client, cluster_config_map(), std::move(identity), times,
                 std::move(rng), std::move(on_grant), std::move(on_revoke)) {
    elector_.start();
  }

  void publish(const LeaderInformation& information) override {
    const std::string identity = elector_.identity();
    const std::string text = information.format();
    client_.check_and_update(
        cluster_config_map(),
        [identity, text](const ConfigMap& current) -> std::optional<ConfigMap> {
          if (!KubernetesLeaderElector::has_leadership(current, identity)) return std::nullopt;
          ConfigMap next = current;
          next.data[kLeaderInformationKey] = text;
          return next;
        },
        [](KubernetesClient::UpdateResult) {});
  }

 private:
  KubernetesClient& client_;
  KubernetesLeaderElector elector_;
};

// Kubernetes' leader retrieval (Flink's KubernetesLeaderRetrievalDriver over the shared
// informer): watches the cluster ConfigMap and reports the leader's addresses in it. Without an
// answer from the API server nothing changes: the last known leader stays.
class KubernetesLeaderRetrieval final : public LeaderRetrievalDriver {
 public:
  KubernetesLeaderRetrieval(KubernetesClient& client, Listener listener)
      : listener_(std::move(listener)) {
    client.watch(cluster_config_map(),
                 lifetime_.guard([this](const std::optional<ConfigMap>& config_map) {
                   std::optional<LeaderInformation> leader;
                   if (config_map) {
                     const auto entry = config_map->data.find(kLeaderInformationKey);
                     if (entry != config_map->data.end())
                       leader = LeaderInformation::parse(entry->second);
                   }
                   if (leader == last_) return;
                   last_ = leader;
                   listener_(leader);
                 }));
  }

 private:
  Listener listener_;
  std::optional<LeaderInformation> last_;
  sim::Lifetime lifetime_;
};

}  // namespace flinksim::model::ha
