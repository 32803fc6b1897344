#include "model/ha/kubernetes_client.h"

namespace flinksim::model::ha {

KubernetesClient::KubernetesClient(sim::Process& process, sim::EndpointId self,
                                   sim::EndpointId server)
    : process_(process), self_(self), server_(server) {}

KubernetesClient::~KubernetesClient() {
  for (auto& [id, pending] : pending_) process_.cancel_timer(pending.timeout);
}

void KubernetesClient::send_request(KubernetesRequest request, ResponseHandler done) {
  const uint64_t id = next_request_++;
  request.request = id;
  pending_[id].done = std::move(done);
  pending_[id].timeout =
      process_.set_timer(request_timeout(), [this, id] { finish(id, KubernetesResult::unavailable); });
  process_.send(self_, server_, std::make_shared<KubernetesRequest>(std::move(request)),
                lifetime_.guard([this, id](sim::DeliveryFailure) {
                  process_.set_timer(sim::Duration::zero(),
                                     [this, id] { finish(id, KubernetesResult::unavailable); });
                }));
}

// A request that got no answer: the server is down or cut off.
void KubernetesClient::finish(uint64_t request, KubernetesResult result) {
  const auto it = pending_.find(request);
  if (it == pending_.end()) return;
  process_.cancel_timer(it->second.timeout);
  ResponseHandler done = std::move(it->second.done);
  pending_.erase(it);
  KubernetesResponse response;
  response.request = request;
  response.result = result;
  done(response);
}

bool KubernetesClient::on_message(const sim::MessagePtr& message) {
  if (const auto* event = message->as<KubernetesWatchEvent>()) {
    deliver(event->name, event->config_map);
    return true;
  }
  const auto* response = message->as<KubernetesResponse>();
  if (response == nullptr) return false;
  const auto it = pending_.find(response->request);
  if (it == pending_.end()) return true;  // answered after its timeout: the caller moved on
  process_.cancel_timer(it->second.timeout);
  ResponseHandler done = std::move(it->second.done);
  pending_.erase(it);
  done(*response);
  return true;
}

void KubernetesClient::get(const std::string& name, ResponseHandler done) {
  KubernetesRequest request;
  request.operation = KubernetesOperation::get;
  request.name = name;
  send_request(std::move(request), std::move(done));
}

void KubernetesClient::create(ConfigMap config_map, ResponseHandler done) {
  write(KubernetesOperation::create, std::move(config_map), std::move(done));
}

void KubernetesClient::replace(ConfigMap config_map, ResponseHandler done) {
  write(KubernetesOperation::replace, std::move(config_map), std::move(done));
}

void KubernetesClient::write(KubernetesOperation operation, ConfigMap config_map, ResponseHandler done) {
  KubernetesRequest request;
  request.operation = operation;
  request.name = config_map.name;
  request.config_map = std::move(config_map);
  send_request(std::move(request), std::move(done));
}

void KubernetesClient::remove(const std::string& name, ResponseHandler done) {
  KubernetesRequest request;
  request.operation = KubernetesOperation::remove;
  request.name = name;
  send_request(std::move(request), std::move(done));
}

void KubernetesClient::check_and_update(const std::string& name, UpdateFunction update,
                                        std::function<void(UpdateResult)> done) {
  attempt_update(name, std::move(update), std::move(done), kMaxRetries);
}

void KubernetesClient::attempt_update(const std::string& name, UpdateFunction update,
                                      std::function<void(UpdateResult)> done, int retries_left) {
  get(name, [this, name, update, done, retries_left](const KubernetesResponse& read) {
    // A missing ConfigMap cannot be updated (Fabric8FlinkKubeClient throws).
    if (read.result == KubernetesResult::not_found) return done(UpdateResult::missing);
    if (read.result != KubernetesResult::ok || !read.config_map) return done(UpdateResult::failed);
    std::optional<ConfigMap> changed = update(*read.config_map);
    if (!changed) return done(UpdateResult::unchanged);
    changed->resource_version = read.config_map->resource_version;
    replace(std::move(*changed), [this, name, update, done,
                                  retries_left](const KubernetesResponse& written) {
      if (written.result == KubernetesResult::ok) return done(UpdateResult::updated);
      if (written.result != KubernetesResult::conflict || retries_left == 0)
        return done(UpdateResult::failed);
      attempt_update(name, update, done, retries_left - 1);
    });
  });
}

void KubernetesClient::watch(const std::string& name, WatchListener listener) {
  watches_[name].push_back(std::move(listener));
  register_watch(name);
}

void KubernetesClient::register_watch(const std::string& name) {
  auto request = std::make_shared<KubernetesWatchRequest>();
  request->name = name;
  // The informer retries its watch until the server takes it; then it lists.
  process_.send(self_, server_, std::move(request),
                lifetime_.guard([this, name](sim::DeliveryFailure) {
                  process_.set_timer(sim::Duration::seconds(1),
                                     [this, name] { register_watch(name); });
                }));
  get(name, [this, name](const KubernetesResponse& response) {
    if (response.result == KubernetesResult::ok) deliver(name, response.config_map);
    if (response.result == KubernetesResult::not_found) deliver(name, std::nullopt);
  });
}

void KubernetesClient::deliver(const std::string& name, const std::optional<ConfigMap>& config_map) {
  const auto it = watches_.find(name);
  if (it == watches_.end()) return;
  const std::vector<WatchListener> listeners = it->second;
  for (const WatchListener& listener : listeners) listener(config_map);
}

}  // namespace flinksim::model::ha
