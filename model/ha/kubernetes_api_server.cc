#include "model/ha/kubernetes_api_server.h"

namespace flinksim::model::ha {

KubernetesApiServer::KubernetesApiServer(sim::Context& context, sim::HostId host)
    : sim::Process(context, host, "kubernetes-api-server") {
  endpoint_ = add_endpoint("kubernetes-api-server/api",
                           [this](sim::EndpointId source, const sim::MessagePtr& message) {
                             on_message(source, message);
                           });
}

const ConfigMap* KubernetesApiServer::find(const std::string& name) const {
  const auto it = config_maps_.find(name);
  return it == config_maps_.end() ? nullptr : &it->second;
}

void KubernetesApiServer::on_start() {
  // Back from an outage: informers list again, so each watcher learns the current state.
  for (const auto& [name, watchers] : watchers_) notify(name);
}

void KubernetesApiServer::on_message(sim::EndpointId source, const sim::MessagePtr& message) {
  if (const auto* watch = message->as<KubernetesWatchRequest>()) {
    watchers_[watch->name].insert(source);
    return;
  }
  const auto* request = message->as<KubernetesRequest>();
  if (request == nullptr) return;
  auto response = std::make_shared<KubernetesResponse>();
  response->request = request->request;
  apply(*request, *response);
  send(endpoint_, source, std::move(response));
}

void KubernetesApiServer::apply(const KubernetesRequest& request, KubernetesResponse& response) {
  const auto stored = config_maps_.find(request.name);
  const bool exists = stored != config_maps_.end();
  switch (request.operation) {
    case KubernetesOperation::get:
      if (!exists) response.result = KubernetesResult::not_found;
      if (exists) response.config_map = stored->second;
      return;
    case KubernetesOperation::create:
      if (exists) response.result = KubernetesResult::already_exists;
      if (!exists) write(request.config_map, response);
      return;
    case KubernetesOperation::replace:
      if (!exists) response.result = KubernetesResult::not_found;
      else if (stored->second.resource_version != request.config_map.resource_version)
        response.result = KubernetesResult::conflict;
      else write(request.config_map, response);
      return;
    case KubernetesOperation::remove:
      if (!exists) response.result = KubernetesResult::not_found;
      if (!exists) return;
      config_maps_.erase(stored);
      notify(request.name);
      return;
  }
}

void KubernetesApiServer::write(ConfigMap config_map, KubernetesResponse& response) {
  config_map.resource_version = next_resource_version_++;
  const std::string name = config_map.name;
  config_maps_[name] = config_map;
  response.config_map = std::move(config_map);
  notify(name);
}

void KubernetesApiServer::notify(const std::string& name) {
  const auto watchers = watchers_.find(name);
  if (watchers == watchers_.end()) return;
  for (const sim::EndpointId watcher : watchers->second) {
    auto event = std::make_shared<KubernetesWatchEvent>();
    event->name = name;
    if (const ConfigMap* config_map = find(name)) event->config_map = *config_map;
    send(endpoint_, watcher, std::move(event));
  }
}

}  // namespace flinksim::model::ha
