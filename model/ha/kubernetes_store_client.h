#pragma once

// The HA stores in ConfigMaps (Flink's KubernetesStateHandleStore and KubernetesCheckpointIDCounter
// as KubernetesLeaderElectionHaServices sets them up):
// - <cluster-id>-cluster-config-map: the execution plans ("executionPlan-<job>"), written only
//   while the ConfigMap's leader annotation names this JobManager (the store has the lock
//   identity: a deposed leader's write is refused);
// - <cluster-id>-<job>-config-map: the checkpoint pointers ("checkpointID-<id>") and the counter
//   ("counter"), created when first needed and written without a leadership check
//   (KubernetesCheckpointRecoveryFactory.withoutLeadershipValidation: no lock identity).
// Every write is a checkAndUpdateConfigMap (read, change, replace naming the version read).
// Stand-ins: Flink keeps job results (FileSystemJobResultStore) and FLIP-383 job events in files
// under high-availability.storageDir; here they are unfenced keys of the same ConfigMaps
// ("jobResult-<job>" in the cluster's, "jobEvent-<n>" in the job's).

#include <memory>
#include <optional>
#include <string>

#include "model/ha/ha_store_client.h"
#include "model/ha/kubernetes_client.h"

namespace flinksim::model::ha {

// The cluster id (kubernetes.cluster-id) flinksim's clusters use, and the ConfigMaps' names.
inline const std::string kKubernetesClusterId = "flink-cluster";
std::string cluster_config_map();
std::string job_config_map(const std::string& job);

class KubernetesStoreClient final : public HaStoreClient {
 public:
  // `lock_identity`: the JobManager's identity in the leader annotation.
  KubernetesStoreClient(KubernetesClient& client, std::string lock_identity)
      : client_(client), lock_identity_(std::move(lock_identity)) {}

  bool available() const override { return true; }
  void create(const HaKey& key, std::string data, Done done) override;
  void put(const HaKey& key, std::string data, Done done) override;
  void append(const HaKey& key, std::string data, Done done) override;
  void get(const HaKey& key, Done done) override;
  void list(HaRecord record, const std::string& job, Done done) override;
  void remove(const HaKey& key, Done done) override;

  struct Location {
    std::string config_map;
    std::string key;
    bool fenced = false;  // written only by the leader named in the annotation
  };
  static Location locate(const HaKey& key);

 private:
  enum class Write { create, put, append, remove };
  void update(const HaKey& key, Write write, std::string data, Done done);
  // The ConfigMap after the write, or nothing (with `outcome` saying why).
  std::optional<ConfigMap> changed(const ConfigMap& current, const Location& where,
                                   HaRecord record, Write write, const std::string& data,
                                   StoreResult& outcome) const;
  void create_then_update(const Location& where, KubernetesClient::UpdateFunction change,
                          std::shared_ptr<StoreResult> outcome, Done done);

  KubernetesClient& client_;
  std::string lock_identity_;
};

}  // namespace flinksim::model::ha
