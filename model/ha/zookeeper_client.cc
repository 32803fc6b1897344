#include "model/ha/zookeeper_client.h"

namespace flinksim::model::ha {

std::string_view to_string(ConnectionState state) {
  switch (state) {
    case ConnectionState::connected:
      return "CONNECTED";
    case ConnectionState::suspended:
      return "SUSPENDED";
    case ConnectionState::reconnected:
      return "RECONNECTED";
    case ConnectionState::lost:
      return "LOST";
  }
  return "?";
}

ZooKeeperClient::ZooKeeperClient(sim::Process& process, sim::EndpointId self,
                                 sim::EndpointId server, ZooKeeperClientOptions options)
    : process_(process), self_(self), server_(server), options_(options) {}

ZooKeeperClient::~ZooKeeperClient() {
  process_.cancel_timer(ping_timer_);
  process_.cancel_timer(read_timer_);
  process_.cancel_timer(lost_timer_);
  process_.cancel_timer(connect_timer_);
  for (auto& [id, request] : pending_) process_.cancel_timer(request.retransmission);
}

void ZooKeeperClient::start() {
  connect();
}

// ---- Connection --------------------------------------------------------------------------------

void ZooKeeperClient::connect() {
  connecting_ = true;
  const uint64_t attempt = ++connect_attempt_;
  auto request = std::make_shared<ZooKeeperConnectRequest>();
  request->session = session_;
  request->session_timeout = options_.session_timeout;
  const auto retry = [this, attempt] {
    if (connected_ || attempt != connect_attempt_) return;
    process_.cancel_timer(connect_timer_);
    connect_timer_ = process_.set_timer(options_.retry_wait, [this] { connect(); });
  };
  process_.send(self_, server_, std::move(request), [retry](sim::DeliveryFailure) { retry(); });
  process_.cancel_timer(connect_timer_);
  connect_timer_ = process_.set_timer(options_.connection_timeout, retry);
}

void ZooKeeperClient::on_connect_response(const ZooKeeperConnectResponse& response) {
  if (connected_ || !connecting_) return;
  if (response.expired) {
    // The server forgot the session: Curator's LOST, then a fresh session at once.
    lose("session expired");
    connect();
    return;
  }
  const bool same_session = session_.valid() && session_ == response.session;
  connecting_ = false;
  connected_ = true;
  session_ = response.session;
  watch_events_received_ = response.watch_events_sent;
  process_.cancel_timer(connect_timer_);
  process_.cancel_timer(lost_timer_);
  heard_from_server();
  process_.cancel_timer(ping_timer_);
  ping_timer_ = process_.set_timer(options_.session_timeout / 3, [this] { ping(); });
  // ClientCnxn.primeConnection sends SetWatches on every connection, not only a new session's:
  // a registration lost with the connection it was sent on is made again.
  for (const auto& [path, listeners] : watches_) register_watch(path);
  set_state(same_session ? ConnectionState::reconnected : ConnectionState::connected);
  ever_connected_ = true;
  // Changes may have happened while disconnected.
  notify_all_watchers();
}

void ZooKeeperClient::notify_all_watchers() {
  std::vector<WatchListener> listeners;
  for (const auto& [path, list] : watches_)
    listeners.insert(listeners.end(), list.begin(), list.end());
  for (const WatchListener& listener : listeners) listener();
}

void ZooKeeperClient::heard_from_server() {
  // ZooKeeper's read timeout is 2/3 of the session timeout; pings go out every third.
  process_.cancel_timer(read_timer_);
  read_timer_ = process_.set_timer(options_.session_timeout * 2 / 3,
                                   [this] { suspend("no answer from the server"); });
}

void ZooKeeperClient::ping() {
  if (!connected_) return;
  auto request = std::make_shared<ZooKeeperPing>();
  request->session = session_;
  process_.send(self_, server_, std::move(request), [this](sim::DeliveryFailure failure) {
    if (failure == sim::DeliveryFailure::refused) suspend("connection refused");
  });
  ping_timer_ = process_.set_timer(options_.session_timeout / 3, [this] { ping(); });
}

void ZooKeeperClient::suspend(const std::string& reason) {
  if (!connected_) return;
  process_.trace("zookeeper connection suspended", reason);
  connected_ = false;
  process_.cancel_timer(ping_timer_);
  process_.cancel_timer(read_timer_);
  // Curator: suspended for a whole session timeout means the session is as good as expired.
  lost_timer_ = process_.set_timer(options_.session_timeout,
                                   [this] { lose("suspended for the session timeout"); });
  std::map<uint64_t, PendingRequest> pending = std::move(pending_);
  pending_.clear();
  set_state(ConnectionState::suspended);
  for (auto& [id, request] : pending) {
    process_.cancel_timer(request.retransmission);
    fail_later(id, std::move(request.done));
  }
  connect();
}

void ZooKeeperClient::lose(const std::string& reason) {
  process_.trace("zookeeper session lost", reason);
  const bool was_connected = connected_;
  connected_ = false;
  session_ = ZooKeeperSessionId{};
  process_.cancel_timer(lost_timer_);
  process_.cancel_timer(ping_timer_);
  process_.cancel_timer(read_timer_);
  std::map<uint64_t, PendingRequest> pending = std::move(pending_);
  pending_.clear();
  if (was_connected) set_state(ConnectionState::suspended);
  if (ever_connected_) set_state(ConnectionState::lost);
  for (auto& [id, request] : pending) {
    process_.cancel_timer(request.retransmission);
    fail_later(id, std::move(request.done));
  }
  if (!connecting_) connect();
}

void ZooKeeperClient::set_state(ConnectionState state) {
  process_.trace("zookeeper " + std::string(to_string(state)));
  for (const StateListener& listener : listeners_) listener(state);
}

// ---- Requests ----------------------------------------------------------------------------------

void ZooKeeperClient::send_request(ZooKeeperRequest request, ResponseHandler done) {
  request.request = next_request_++;
  request.session = session_;
  if (!connected_) {
    fail_later(request.request, std::move(done));
    return;
  }
  const uint64_t id = request.request;
  pending_[id] = PendingRequest{std::move(request), std::move(done), {}};
  transmit(id);
}

void ZooKeeperClient::transmit(uint64_t request) {
  PendingRequest& pending = pending_.at(request);
  process_.send(self_, server_, std::make_shared<ZooKeeperRequest>(pending.request),
                [this](sim::DeliveryFailure failure) {
                  if (failure == sim::DeliveryFailure::refused) suspend("connection refused");
                });
  pending.retransmission = process_.set_timer(options_.connection_timeout, [this, request] {
    if (connected_ && pending_.count(request) > 0) transmit(request);
  });
}

void ZooKeeperClient::fail_later(uint64_t request, ResponseHandler done) {
  process_.set_timer(sim::Duration::zero(), [request, done = std::move(done)] {
    ZooKeeperResponse response;
    response.request = request;
    response.result = ZooKeeperResult::connection_loss;
    done(response);
  });
}

void ZooKeeperClient::create(const std::string& path, const std::string& data, bool ephemeral,
                             bool sequential, ResponseHandler done) {
  ZooKeeperRequest request;
  request.operation = ZooKeeperOperation::create;
  request.path = path;
  request.data = data;
  request.ephemeral = ephemeral;
  request.sequential = sequential;
  send_request(std::move(request), std::move(done));
}

void ZooKeeperClient::put(const std::string& path, const std::string& data, bool ephemeral,
                          ResponseHandler done) {
  ZooKeeperRequest request;
  request.operation = ZooKeeperOperation::put;
  request.path = path;
  request.data = data;
  request.ephemeral = ephemeral;
  send_request(std::move(request), std::move(done));
}

void ZooKeeperClient::get(const std::string& path, ResponseHandler done) {
  ZooKeeperRequest request;
  request.operation = ZooKeeperOperation::get;
  request.path = path;
  send_request(std::move(request), std::move(done));
}

void ZooKeeperClient::children(const std::string& path, ResponseHandler done) {
  ZooKeeperRequest request;
  request.operation = ZooKeeperOperation::children;
  request.path = path;
  send_request(std::move(request), std::move(done));
}

void ZooKeeperClient::remove(const std::string& path, ResponseHandler done) {
  ZooKeeperRequest request;
  request.operation = ZooKeeperOperation::remove;
  request.path = path;
  send_request(std::move(request), std::move(done));
}

void ZooKeeperClient::watch(const std::string& path, WatchListener listener) {
  const bool first = watches_.count(path) == 0;
  watches_[path].push_back(std::move(listener));
  if (first && connected_) register_watch(path);
}

void ZooKeeperClient::register_watch(const std::string& path) {
  ZooKeeperRequest request;
  request.operation = ZooKeeperOperation::watch;
  request.path = path;
  send_request(std::move(request), [](const ZooKeeperResponse&) {});
}

bool ZooKeeperClient::on_message(const sim::MessagePtr& message) {
  if (const auto* response = message->as<ZooKeeperConnectResponse>()) {
    on_connect_response(*response);
  } else if (const auto* pong = message->as<ZooKeeperPong>()) {
    if (!connected_) return true;
    if (pong->expired) {
      lose("session expired");
      return true;
    }
    heard_from_server();
    if (pong->watch_events_sent > watch_events_received_) {
      // Watch events lost in a partition: what TCP would have delivered late, every watcher
      // learns now by reading again (as after a reconnect).
      process_.trace("zookeeper watch events lost",
                     std::to_string(pong->watch_events_sent - watch_events_received_));
      watch_events_received_ = pong->watch_events_sent;
      notify_all_watchers();
    }
  } else if (const auto* response = message->as<ZooKeeperResponse>()) {
    const auto it = pending_.find(response->request);
    if (it == pending_.end()) return true;
    process_.cancel_timer(it->second.retransmission);
    ResponseHandler done = std::move(it->second.done);
    pending_.erase(it);
    if (connected_) heard_from_server();
    if (response->result == ZooKeeperResult::session_expired) {
      done(*response);
      lose("session expired");
      return true;
    }
    done(*response);
  } else if (const auto* event = message->as<ZooKeeperWatchEvent>()) {
    if (!connected_ || event->session != session_) return true;
    ++watch_events_received_;
    heard_from_server();
    const auto it = watches_.find(event->path);
    if (it == watches_.end()) return true;
    const std::vector<WatchListener> listeners = it->second;
    for (const WatchListener& listener : listeners) listener();
  } else {
    return false;
  }
  return true;
}

}  // namespace flinksim::model::ha
