#pragma once

// The wire protocol between ZooKeeper clients and the `zookeeper` process, reduced to what Flink's
// HA services use through Curator: sessions kept alive by pings, znodes (persistent or ephemeral,
// optionally sequential), reads, deletes and persistent watches (ZooKeeper 3.6's
// addWatch(PERSISTENT), which Curator's caches approximate). Node data is text: the HA stores keep
// only small pointers here, as Flink does.

#include <cstdint>
#include <string>
#include <vector>

#include "model/gateways.h"
#include "sim/time.h"

namespace flinksim::model::ha {

// A client session; 0 means none (a connect request for a new session).
struct ZooKeeperSessionId {
  uint64_t value = 0;
  bool valid() const { return value != 0; }
  auto operator<=>(const ZooKeeperSessionId&) const = default;
};

struct ZooKeeperConnectRequest final : sim::Message {
  FLINKSIM_MESSAGE(ZooKeeperConnectRequest)
  ZooKeeperSessionId session;  // invalid: open a new session
  sim::Duration session_timeout;
};

struct ZooKeeperConnectResponse final : sim::Message {
  FLINKSIM_MESSAGE(ZooKeeperConnectResponse)
  ZooKeeperSessionId session;
  uint64_t watch_events_sent = 0;  // to this session so far (see ZooKeeperPong)
  // The session asked for no longer exists (it expired): the client must start a new one.
  bool expired = false;
};

struct ZooKeeperPing final : sim::Message {
  FLINKSIM_MESSAGE(ZooKeeperPing)
  ZooKeeperSessionId session;
};

struct ZooKeeperPong final : sim::Message {
  FLINKSIM_MESSAGE(ZooKeeperPong)
  bool expired = false;
  // How many watch events the server has sent to the session. A connection is FIFO, so a client
  // that counted fewer lost some in a partition it did not notice; TCP would have delivered
  // them after the heal, and the simulated network drops them instead.
  uint64_t watch_events_sent = 0;
};

enum class ZooKeeperOperation { create, put, get, children, remove, watch };

// One operation on the tree, answered by a ZooKeeperResponse with the same request number.
struct ZooKeeperRequest final : sim::Message {
  FLINKSIM_MESSAGE(ZooKeeperRequest)
  ZooKeeperSessionId session;
  uint64_t request = 0;
  ZooKeeperOperation operation = ZooKeeperOperation::get;
  std::string path;
  std::string data;
  bool ephemeral = false;   // create / put: the node lives as long as the session
  bool sequential = false;  // create: a unique increasing number is appended to the path
};

enum class ZooKeeperResult { ok, no_node, node_exists, session_expired, connection_loss };

struct ZooKeeperResponse final : sim::Message {
  FLINKSIM_MESSAGE(ZooKeeperResponse)
  uint64_t request = 0;
  ZooKeeperResult result = ZooKeeperResult::ok;
  std::string path;                   // create: the node created (with its sequence number)
  std::string data;                   // get
  std::vector<std::string> children;  // children: names, sorted
};

// Something changed at a watched path: the node itself or one of its direct children.
struct ZooKeeperWatchEvent final : sim::Message {
  FLINKSIM_MESSAGE(ZooKeeperWatchEvent)
  // The session that watches. Its connection is the only one the event travels on: a client
  // process restarted on the same endpoint must not take its predecessor's events for its own.
  ZooKeeperSessionId session;
  std::string path;  // the watched path
};

}  // namespace flinksim::model::ha
