#pragma once

// The `kubernetes-api-server` process: the part of Kubernetes' API server (with etcd behind it)
// that Flink's Kubernetes HA services use, ConfigMaps.
// - Every write gives the ConfigMap a new resource version; a replace that names an older version
//   than the stored one is refused with 409 Conflict (optimistic concurrency, which fabric8's
//   ConfigMapLock and Flink's checkAndUpdateConfigMap rely on).
// - ConfigMaps are durable (etcd), so an outage makes the server unreachable, not forgetful.
// - Watches: every change of a watched ConfigMap is sent to its watchers. A watcher's
//   registration outlives an outage and each watcher hears the current state of what it watches
//   when the server is back: a stand-in for the shared informer, which reconnects and lists again.

#include <map>
#include <set>
#include <string>

#include "model/ha/kubernetes_messages.h"
#include "sim/process.h"

namespace flinksim::model::ha {

class KubernetesApiServer final : public sim::Process {
 public:
  KubernetesApiServer(sim::Context& context, sim::HostId host);
  sim::EndpointId endpoint() const { return endpoint_; }

  // Inspection for tests.
  const ConfigMap* find(const std::string& name) const;

 protected:
  void on_start() override;

 private:
  void on_message(sim::EndpointId source, const sim::MessagePtr& message);
  void apply(const KubernetesRequest& request, KubernetesResponse& response);
  void write(ConfigMap config_map, KubernetesResponse& response);
  void notify(const std::string& name);

  sim::EndpointId endpoint_;
  std::map<std::string, ConfigMap> config_maps_;
  std::map<std::string, std::set<sim::EndpointId>> watchers_;
  uint64_t next_resource_version_ = 1;
};

}  // namespace flinksim::model::ha
