#pragma once

// The ZooKeeper client a process embeds (ZooKeeper's ClientCnxn with Curator's connection state
// tracking on top). It keeps one session alive with pings and reports the connection states
// Curator reports:
// - CONNECTED: a new session is open (the first one, or a new one after LOST);
// - SUSPENDED: nothing heard from the server for 2/3 of the session timeout (ZooKeeper's read
//   timeout) or the connection was refused; pending requests fail with connection loss;
// - RECONNECTED: the same session is back before it expired;
// - LOST: suspended for a whole session timeout (Curator then treats the session as expired), or
//   the server said the session expired. The next connection opens a new session.
// While disconnected the client retries the connection every `retry_wait`.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/ha/zookeeper_messages.h"
#include "sim/process.h"

namespace flinksim::model::ha {

enum class ConnectionState { connected, suspended, reconnected, lost };
std::string_view to_string(ConnectionState state);

struct ZooKeeperClientOptions {
  // high-availability.zookeeper.client.session-timeout
  sim::Duration session_timeout = sim::Duration::seconds(60);
  // high-availability.zookeeper.client.connection-timeout: how long one connection attempt waits.
  sim::Duration connection_timeout = sim::Duration::seconds(15);
  // Pause between connection attempts while disconnected.
  sim::Duration retry_wait = sim::Duration::seconds(1);
};

class ZooKeeperClient {
 public:
  using StateListener = std::function<void(ConnectionState)>;
  using ResponseHandler = std::function<void(const ZooKeeperResponse&)>;
  using WatchListener = std::function<void()>;

  ZooKeeperClient(sim::Process& process, sim::EndpointId self, sim::EndpointId server,
                  ZooKeeperClientOptions options);
  ~ZooKeeperClient();
  ZooKeeperClient(const ZooKeeperClient&) = delete;
  ZooKeeperClient& operator=(const ZooKeeperClient&) = delete;

  // Listeners are told of every connection state change, in registration order.
  void add_state_listener(StateListener listener) { listeners_.push_back(std::move(listener)); }
  void start();
  // Returns false when the message is not for the ZooKeeper client.
  bool on_message(const sim::MessagePtr& message);

  bool connected() const { return connected_; }
  ZooKeeperSessionId session() const { return session_; }

  // Operations; `done` always runs exactly once, later (with connection_loss when disconnected).
  void create(const std::string& path, const std::string& data, bool ephemeral, bool sequential,
              ResponseHandler done);
  // Creates or overwrites a node (an ephemeral one belongs to this session afterwards).
  void put(const std::string& path, const std::string& data, bool ephemeral, ResponseHandler done);
  void get(const std::string& path, ResponseHandler done);
  void children(const std::string& path, ResponseHandler done);
  void remove(const std::string& path, ResponseHandler done);
  // A persistent watch on `path` and its direct children, registered again with every new
  // session; the listener also runs after each (re)connection, since changes may have been missed.
  void watch(const std::string& path, WatchListener listener);

 private:
  void connect();
  void on_connect_response(const ZooKeeperConnectResponse& response);
  void heard_from_server();
  void ping();
  // Every watch listener, as if its path changed: after a reconnect, or when events were lost.
  void notify_all_watchers();
  void suspend(const std::string& reason);
  void lose(const std::string& reason);
  void set_state(ConnectionState state);
  void send_request(ZooKeeperRequest request, ResponseHandler done);
  // Sends a pending request, and again while it stays unanswered for a connection timeout on a
  // live connection: the network lost it or its answer, which TCP would have retransmitted once
  // the network healed (the simulated network drops what a partition catches instead). The
  // server answers a repeated request from its memory.
  void transmit(uint64_t request);
  void fail_later(uint64_t request, ResponseHandler done);
  void register_watch(const std::string& path);

  sim::Process& process_;
  sim::EndpointId self_;
  sim::EndpointId server_;
  ZooKeeperClientOptions options_;
  std::vector<StateListener> listeners_;
  ZooKeeperSessionId session_;
  bool connected_ = false;
  bool connecting_ = false;
  bool ever_connected_ = false;
  uint64_t next_request_ = 1;
  uint64_t connect_attempt_ = 0;
  struct PendingRequest {
    ZooKeeperRequest request;
    ResponseHandler done;
    sim::TimerId retransmission;
  };
  std::map<uint64_t, PendingRequest> pending_;
  std::map<std::string, std::vector<WatchListener>> watches_;
  uint64_t watch_events_received_ = 0;  // in this session
  sim::TimerId ping_timer_;
  sim::TimerId read_timer_;
  sim::TimerId lost_timer_;
  sim::TimerId connect_timer_;
};

}  // namespace flinksim::model::ha
