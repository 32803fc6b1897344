#pragma once

// The `zookeeper` process: a single-server coordination service with ZooKeeper's semantics as
// Flink relies on them.
// - Sessions: a client opens a session with a timeout and keeps it alive with pings; a session
//   that hears nothing for its timeout expires, and its ephemeral nodes go with it. Expiry is the
//   server's decision alone (a client never learns of it but by asking).
// - The tree is durable (ZooKeeper writes a transaction log), so a crash makes the service
//   unreachable, not forgetful. Sessions survive a restart too, and the restarted server gives
//   each a fresh timeout, as a newly elected ZooKeeper leader does.
// - Requests of an expired or unknown session are refused: a stale client cannot write.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/ha/zookeeper_messages.h"
#include "sim/process.h"

namespace flinksim::model::ha {

class ZooKeeperProcess final : public sim::Process {
 public:
  ZooKeeperProcess(sim::Context& context, sim::HostId host);
  sim::EndpointId endpoint() const { return endpoint_; }

  // Inspection for tests and the run recorder.
  bool exists(const std::string& path) const { return nodes_.count(path) > 0; }
  std::vector<std::string> children(const std::string& path) const;
  size_t open_sessions() const { return sessions_.size(); }

 protected:
  void on_start() override;

 private:
  struct Node {
    std::string data;
    ZooKeeperSessionId owner;  // ephemeral nodes: the session they live with
  };
  static constexpr size_t kRememberedAnswers = 256;
  struct Session {
    sim::EndpointId client;
    sim::Duration timeout;
    sim::TimerId expiry;
    std::set<std::string> watches;
    uint64_t watch_events_sent = 0;
    // The latest answers by request id: a request the client sends again (its first copy or
    // the answer was lost in a partition) is answered, not applied, a second time.
    std::map<uint64_t, std::shared_ptr<ZooKeeperResponse>> answers;
  };

  void on_message(sim::EndpointId source, const sim::MessagePtr& message);
  void on_connect(sim::EndpointId source, const ZooKeeperConnectRequest& request);
  void on_request(sim::EndpointId source, const ZooKeeperRequest& request);
  void apply(const ZooKeeperRequest& request, ZooKeeperResponse& response);
  void touch(ZooKeeperSessionId id);
  void expire(ZooKeeperSessionId id);
  void write_node(const std::string& path, std::string data, ZooKeeperSessionId owner);
  void remove_node(const std::string& path);
  // Tells every session watching `path` or its parent that something changed.
  void notify_watchers(const std::string& path);

  sim::EndpointId endpoint_;
  std::map<std::string, Node> nodes_;
  std::map<ZooKeeperSessionId, Session> sessions_;
  uint64_t next_session_ = 1;
  uint64_t next_sequence_ = 0;
};

// "/a/b/c" -> "/a/b"; "/a" -> "/".
std::string parent_path(const std::string& path);

}  // namespace flinksim::model::ha
