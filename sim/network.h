#pragma once

// The simulated network. Hosts hold endpoints (one per RPC endpoint of a process). Every ordered
// pair of endpoints has a connection that is reliable and FIFO while it lives, with latency,
// jitter (never reordering within a connection) and bandwidth (serialization delay by size).
//
// Faults: a partition between sets of hosts, symmetric or one-way, breaks the connections that
// cross it and drops their in-flight messages. A sender learns that a message was not delivered
// only through its optional failure callback: after a round trip when the target host is up but
// nobody listens on the endpoint (connection refused, e.g. a crashed process), or after the
// connect timeout when the target cannot be reached at all — never instantly and for free.
//
// A crash resets the crashed process's connections: its kernel sends an RST on each connection
// that carried traffic, and a peer that listens for resets learns of it one latency later, after
// what was already on the wire (Netty's channelInactive in Flink's data plane).

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/message.h"
#include "sim/rng.h"
#include "sim/simulation.h"
#include "sim/time.h"

namespace flinksim::sim {

class Trace;

struct HostId {
  uint32_t value = 0;
  auto operator<=>(const HostId&) const = default;
};

struct EndpointId {
  uint32_t value = UINT32_MAX;
  bool valid() const { return value != UINT32_MAX; }
  auto operator<=>(const EndpointId&) const = default;
};

struct LinkProperties {
  Duration latency = Duration::milliseconds(1);
  Duration jitter = Duration::zero();  // uniform extra delay in [0, jitter]
  int64_t bandwidth_bits_per_second = 10'000'000'000;
};

enum class PartitionDirection { both_ways, one_way };

struct PartitionId {
  uint32_t value = 0;
  auto operator<=>(const PartitionId&) const = default;
};

enum class DeliveryFailure { refused, unreachable };

using Receiver = std::function<void(EndpointId source, const MessagePtr& message)>;
using FailureCallback = std::function<void(DeliveryFailure failure)>;
// Told that the connection with `remote` was reset by the remote side (its process crashed).
using ResetListener = std::function<void(EndpointId remote)>;

struct NetworkCounters {
  uint64_t messages_sent = 0;
  uint64_t messages_delivered = 0;
  uint64_t messages_dropped = 0;
  int64_t bytes_sent = 0;
};

class Network {
 public:
  Network(Simulation& simulation, Rng rng, LinkProperties defaults);
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  HostId add_host(std::string name);
  const std::string& host_name(HostId host) const;
  // Opens an endpoint. It stays closed for delivery until `open` is called.
  EndpointId add_endpoint(HostId host, std::string name);
  const std::string& endpoint_name(EndpointId endpoint) const;
  HostId host_of(EndpointId endpoint) const;
  // An open endpoint receives; closing it (a crash) refuses later and in-flight deliveries.
  // Reopening starts a new incarnation: messages sent to the old one are never delivered to it.
  void open(EndpointId endpoint, Receiver receiver);
  // A crash: the endpoint closes and its established connections are reset (see above).
  void close(EndpointId endpoint);
  // Resets of `endpoint`'s connections are reported to `listener` while the endpoint is open.
  void set_reset_listener(EndpointId endpoint, ResetListener listener);
  bool is_open(EndpointId endpoint) const;

  void send(EndpointId source, EndpointId target, MessagePtr message,
            FailureCallback on_failure = nullptr);

  // Time after which a send to an unreachable host reports failure (TCP connect timeout).
  void set_connect_timeout(Duration timeout) { connect_timeout_ = timeout; }
  Duration connect_timeout() const { return connect_timeout_; }

  // Cuts traffic from `side_a` to `side_b` (and back, if both ways) until healed.
  PartitionId partition(std::vector<HostId> side_a, std::vector<HostId> side_b,
                        PartitionDirection direction);
  void heal(PartitionId partition);
  bool reachable(HostId source, HostId target) const;

  // Overrides the link properties between two hosts (both directions).
  void set_link(HostId a, HostId b, LinkProperties properties);
  void reset_link(HostId a, HostId b);
  // A slow link: latency added on top of the link's own between two hosts (both directions),
  // until removed. Slowdowns that overlap add up. Messages already on their way keep the latency
  // they were sent with, and a connection stays FIFO when the latency drops again.
  void add_latency(HostId a, HostId b, Duration extra);
  void remove_latency(HostId a, HostId b, Duration extra);
  // The latency a message sent now from `a` to `b` gets, before jitter and serialization.
  Duration latency(HostId a, HostId b) const;

  const NetworkCounters& counters() const { return counters_; }

 private:
  struct Host {
    std::string name;
  };
  struct Endpoint {
    std::string name;
    HostId host;
    Receiver receiver;
    ResetListener reset_listener;
    bool open = false;
    // 32 bits keep a send's closure inside the event queue's inline storage (with the epoch).
    uint32_t incarnation = 0;
    // The connections from this endpoint, by target endpoint id: index + 1, 0 for none yet.
    std::vector<uint32_t> connection_to;
  };
  struct Connection {
    Instant last_arrival;
    Instant link_free_at;
    EndpointId source;
    EndpointId target;
    uint32_t epoch = 0;  // bumped when a partition breaks the connection
    bool established = false;  // carried a message since it was last broken or reset
  };
  struct Partition {
    std::vector<HostId> side_a;
    std::vector<HostId> side_b;
    PartitionDirection direction;
    bool active = true;
  };

  const LinkProperties& link(HostId a, HostId b) const;
  // What slow links add between two hosts; zero without any (one empty-map check on a send).
  Duration added_latency(HostId a, HostId b) const;
  // What a message in flight remembers of its send (a send's closure stays allocation-free).
  struct InFlight {
    uint32_t connection;
    uint32_t source_incarnation;
    uint32_t target_incarnation;
    uint32_t epoch;
    uint32_t failure_slot;  // kNoFailureCallback when the sender gave none
  };
  static constexpr uint32_t kNoFailureCallback = UINT32_MAX;

  // The connection's index, created on first use: O(1) through the source's table.
  uint32_t connection_index(EndpointId source, EndpointId target);
  // The connection's index, or UINT32_MAX when the pair never exchanged a message.
  uint32_t find_connection(EndpointId source, EndpointId target) const;
  uint32_t park_failure_callback(FailureCallback on_failure);
  FailureCallback take_failure_callback(uint32_t slot);
  void deliver(const InFlight& in_flight, const MessagePtr& message);
  void report_failure(EndpointId source, uint32_t source_incarnation, Duration after,
                      DeliveryFailure failure, FailureCallback on_failure);
  bool cuts(const Partition& partition, HostId source, HostId target) const;
  // The peers `endpoint` has established connections with; those connections are forgotten.
  std::vector<EndpointId> take_established_peers(EndpointId endpoint);
  void send_reset(EndpointId crashed, EndpointId peer);
  // Links and added latencies are symmetric: kept under the host pair in ascending order.
  static std::pair<uint32_t, uint32_t> host_pair(HostId a, HostId b);

  Simulation& simulation_;
  Rng rng_;
  LinkProperties defaults_;
  Duration connect_timeout_ = Duration::seconds(10);
  std::vector<Host> hosts_;
  std::vector<Endpoint> endpoints_;
  // In creation order; iteration only ever touches each connection on its own (order-free).
  std::vector<Connection> connections_;
  // Failure callbacks of messages in flight, parked here so the delivery closure stays small;
  // freed slots are reused lowest-last (a stack), deterministically.
  std::vector<FailureCallback> failure_callbacks_;
  std::vector<uint32_t> free_failure_slots_;
  std::map<std::pair<uint32_t, uint32_t>, LinkProperties> links_;
  std::map<std::pair<uint32_t, uint32_t>, Duration> added_latency_;
  std::vector<Partition> partitions_;
  NetworkCounters counters_;
};

}  // namespace flinksim::sim
