#include "model/ha/zookeeper_process.h"

#include <cstdio>

namespace flinksim::model::ha {

std::string parent_path(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

ZooKeeperProcess::ZooKeeperProcess(sim::Context& context, sim::HostId host)
    : sim::Process(context, host, "zookeeper") {
  endpoint_ = add_endpoint("zookeeper/server",
                           [this](sim::EndpointId source, const sim::MessagePtr& message) {
                             on_message(source, message);
                           });
}

void ZooKeeperProcess::on_start() {
  // The old incarnation's timers are gone; every session gets its full timeout again.
  for (auto& [id, session] : sessions_) {
    session.expiry = sim::TimerId();
    touch(id);
  }
}

std::vector<std::string> ZooKeeperProcess::children(const std::string& path) const {
  std::vector<std::string> names;
  const std::string prefix = path == "/" ? "/" : path + "/";
  for (auto it = nodes_.lower_bound(prefix); it != nodes_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    const std::string rest = it->first.substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string::npos) names.push_back(rest);
  }
  return names;
}

void ZooKeeperProcess::on_message(sim::EndpointId source, const sim::MessagePtr& message) {
  if (const auto* connect = message->as<ZooKeeperConnectRequest>()) {
    on_connect(source, *connect);
  } else if (const auto* ping = message->as<ZooKeeperPing>()) {
    auto pong = std::make_shared<ZooKeeperPong>();
    const auto session = sessions_.find(ping->session);
    pong->expired = session == sessions_.end();
    if (!pong->expired) {
      pong->watch_events_sent = session->second.watch_events_sent;
      touch(ping->session);
    }
    send(endpoint_, source, std::move(pong));
  } else if (const auto* request = message->as<ZooKeeperRequest>()) {
    on_request(source, *request);
  }
}

void ZooKeeperProcess::on_connect(sim::EndpointId source, const ZooKeeperConnectRequest& request) {
  auto response = std::make_shared<ZooKeeperConnectResponse>();
  ZooKeeperSessionId id = request.session;
  if (id.valid() && sessions_.count(id) == 0) {
    response->expired = true;
  } else {
    if (!id.valid()) {
      id = ZooKeeperSessionId{next_session_++};
      sessions_[id].timeout = request.session_timeout;
      trace("session opened",
            std::to_string(id.value) + " for " + context().network().endpoint_name(source));
    }
    sessions_[id].client = source;
    touch(id);
    response->session = id;
    response->watch_events_sent = sessions_[id].watch_events_sent;
  }
  send(endpoint_, source, std::move(response));
}

void ZooKeeperProcess::on_request(sim::EndpointId source, const ZooKeeperRequest& request) {
  auto response = std::make_shared<ZooKeeperResponse>();
  response->request = request.request;
  const auto session = sessions_.find(request.session);
  if (session == sessions_.end()) {
    response->result = ZooKeeperResult::session_expired;
  } else {
    session->second.client = source;
    touch(request.session);
    auto& answers = session->second.answers;
    if (const auto answered = answers.find(request.request); answered != answers.end()) {
      send(endpoint_, source, answered->second);
      return;
    }
    apply(request, *response);
    answers[request.request] = response;
    // Repeats come within a connect timeout of the original; a few hundred answers cover that.
    if (answers.size() > kRememberedAnswers) answers.erase(answers.begin());
  }
  send(endpoint_, source, std::move(response));
}

void ZooKeeperProcess::apply(const ZooKeeperRequest& request, ZooKeeperResponse& response) {
  const auto node = nodes_.find(request.path);
  const ZooKeeperSessionId owner = request.ephemeral ? request.session : ZooKeeperSessionId{};
  switch (request.operation) {
    case ZooKeeperOperation::create: {
      std::string path = request.path;
      if (request.sequential) {
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, "%010llu",
                      static_cast<unsigned long long>(next_sequence_++));
        path += suffix;
      }
      if (nodes_.count(path) > 0) {
        response.result = ZooKeeperResult::node_exists;
        return;
      }
      write_node(path, request.data, owner);
      response.path = path;
      return;
    }
    case ZooKeeperOperation::put:
      write_node(request.path, request.data, owner);
      response.path = request.path;
      return;
    case ZooKeeperOperation::get:
      if (node == nodes_.end()) {
        response.result = ZooKeeperResult::no_node;
      } else {
        response.data = node->second.data;
      }
      return;
    case ZooKeeperOperation::children:
      response.children = children(request.path);
      return;
    case ZooKeeperOperation::remove:
      if (node == nodes_.end()) {
        response.result = ZooKeeperResult::no_node;
      } else {
        remove_node(request.path);
      }
      return;
    case ZooKeeperOperation::watch:
      sessions_[request.session].watches.insert(request.path);
      return;
  }
}

void ZooKeeperProcess::touch(ZooKeeperSessionId id) {
  Session& session = sessions_.at(id);
  cancel_timer(session.expiry);
  session.expiry = set_timer(session.timeout, [this, id] { expire(id); });
}

void ZooKeeperProcess::expire(ZooKeeperSessionId id) {
  trace("session expired", std::to_string(id.value));
  sessions_.erase(id);
  std::vector<std::string> ephemeral;
  for (const auto& [path, node] : nodes_) {
    if (node.owner == id) ephemeral.push_back(path);
  }
  for (const std::string& path : ephemeral) remove_node(path);
}

void ZooKeeperProcess::write_node(const std::string& path, std::string data,
                                  ZooKeeperSessionId owner) {
  nodes_[path] = Node{std::move(data), owner};
  notify_watchers(path);
}

void ZooKeeperProcess::remove_node(const std::string& path) {
  nodes_.erase(path);
  notify_watchers(path);
}

void ZooKeeperProcess::notify_watchers(const std::string& path) {
  const std::string parent = parent_path(path);
  for (auto& [id, session] : sessions_) {
    for (const std::string& watched : {path, parent}) {
      if (session.watches.count(watched) == 0) continue;
      ++session.watch_events_sent;
      auto event = std::make_shared<ZooKeeperWatchEvent>();
      event->session = id;
      event->path = watched;
      send(endpoint_, session.client, std::move(event));
    }
  }
}

}  // namespace flinksim::model::ha
