#pragma once

// The Kubernetes client a JobManager or TaskManager process embeds (Flink's Fabric8FlinkKubeClient
// over fabric8's client): ConfigMap requests to the `kubernetes-api-server`, watches, and Flink's
// checkAndUpdateConfigMap. A request the server cannot be reached for fails at once (connection
// refused) or after the request timeout (fabric8's default, 10 s), with `unavailable`.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/ha/kubernetes_messages.h"
#include "sim/lifetime.h"
#include "sim/process.h"

namespace flinksim::model::ha {

class KubernetesClient {
 public:
  using ResponseHandler = std::function<void(const KubernetesResponse&)>;
  using WatchListener = std::function<void(const std::optional<ConfigMap>&)>;
  // Returns the ConfigMap to write, or nothing to leave it as it is.
  using UpdateFunction = std::function<std::optional<ConfigMap>(const ConfigMap&)>;
  // missing: the ConfigMap does not exist (Fabric8FlinkKubeClient fails the update); failed: no
  // answer, or conflicts beyond the retries.
  enum class UpdateResult { updated, unchanged, missing, failed };

  // fabric8's default request timeout.
  static sim::Duration request_timeout() { return sim::Duration::seconds(10); }
  // kubernetes.transactional-operation.max-retries: conflicts retried by checkAndUpdateConfigMap.
  static constexpr int kMaxRetries = 5;

  KubernetesClient(sim::Process& process, sim::EndpointId self, sim::EndpointId server);
  ~KubernetesClient();
  KubernetesClient(const KubernetesClient&) = delete;
  KubernetesClient& operator=(const KubernetesClient&) = delete;

  // Returns false when the message is not for the Kubernetes client.
  bool on_message(const sim::MessagePtr& message);

  // Each `done` runs exactly once, later.
  void get(const std::string& name, ResponseHandler done);
  void create(ConfigMap config_map, ResponseHandler done);
  void replace(ConfigMap config_map, ResponseHandler done);
  void remove(const std::string& name, ResponseHandler done);
  // Flink's checkAndUpdateConfigMap: read, let `update` decide, replace with the version read;
  // a conflict (someone wrote in between) starts over, up to kMaxRetries times.
  void check_and_update(const std::string& name, UpdateFunction update,
                        std::function<void(UpdateResult)> done);
  // The listener hears the ConfigMap's state now and after every change (unset: it is absent).
  void watch(const std::string& name, WatchListener listener);

 private:
  // create and replace: a request carrying the whole ConfigMap.
  void write(KubernetesOperation operation, ConfigMap config_map, ResponseHandler done);
  void send_request(KubernetesRequest request, ResponseHandler done);
  void finish(uint64_t request, KubernetesResult result);
  void attempt_update(const std::string& name, UpdateFunction update,
                      std::function<void(UpdateResult)> done, int retries_left);
  void register_watch(const std::string& name);
  void deliver(const std::string& name, const std::optional<ConfigMap>& config_map);

  sim::Process& process_;
  sim::EndpointId self_;
  sim::EndpointId server_;
  uint64_t next_request_ = 1;
  struct Pending {
    ResponseHandler done;
    sim::TimerId timeout;
  };
  std::map<uint64_t, Pending> pending_;
  std::map<std::string, std::vector<WatchListener>> watches_;
  sim::Lifetime lifetime_;
};

}  // namespace flinksim::model::ha
