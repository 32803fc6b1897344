#include "sim/network.h"

#include <algorithm>
#include <set>

#include "sim/assert.h"

namespace flinksim::sim {

Network::Network(Simulation& simulation, Rng rng, LinkProperties defaults)
    : simulation_(simulation), rng_(std::move(rng)), defaults_(defaults) {}

HostId Network::add_host(std::string name) {
  hosts_.push_back(Host{std::move(name)});
  return HostId{static_cast<uint32_t>(hosts_.size() - 1)};
}

const std::string& Network::host_name(HostId host) const {
  FLINKSIM_ASSERT(host.value < hosts_.size());
  return hosts_[host.value].name;
}

EndpointId Network::add_endpoint(HostId host, std::string name) {
  FLINKSIM_ASSERT(host.value < hosts_.size());
  endpoints_.push_back(Endpoint{std::move(name), host, nullptr, nullptr, false, 0, {}});
  return EndpointId{static_cast<uint32_t>(endpoints_.size() - 1)};
}

const std::string& Network::endpoint_name(EndpointId endpoint) const {
  FLINKSIM_ASSERT(endpoint.value < endpoints_.size());
  return endpoints_[endpoint.value].name;
}

HostId Network::host_of(EndpointId endpoint) const {
  FLINKSIM_ASSERT(endpoint.value < endpoints_.size());
  return endpoints_[endpoint.value].host;
}

void Network::open(EndpointId endpoint, Receiver receiver) {
  Endpoint& e = endpoints_.at(endpoint.value);
  e.receiver = std::move(receiver);
  e.open = true;
  ++e.incarnation;
}

void Network::close(EndpointId endpoint) {
  Endpoint& e = endpoints_.at(endpoint.value);
  e.open = false;
  e.receiver = nullptr;
  ++e.incarnation;
  for (EndpointId peer : take_established_peers(endpoint)) send_reset(endpoint, peer);
}

void Network::set_reset_listener(EndpointId endpoint, ResetListener listener) {
  endpoints_.at(endpoint.value).reset_listener = std::move(listener);
}

std::vector<EndpointId> Network::take_established_peers(EndpointId endpoint) {
  std::set<uint32_t> peers;  // ordered: resets go out in endpoint order
  for (Connection& c : connections_) {
    if (!c.established || (c.source != endpoint && c.target != endpoint)) continue;
    c.established = false;
    peers.insert(c.source == endpoint ? c.target.value : c.source.value);
  }
  peers.erase(endpoint.value);
  std::vector<EndpointId> out;
  for (uint32_t peer : peers) out.push_back(EndpointId{peer});
  return out;
}

void Network::send_reset(EndpointId crashed, EndpointId peer) {
  const HostId source = endpoints_[crashed.value].host;
  const HostId target = endpoints_[peer.value].host;
  if (!endpoints_[peer.value].reset_listener || !reachable(source, target)) return;
  // The RST follows whatever the crashed side had already put on the wire to the peer.
  Instant arrival = simulation_.now() + latency(source, target);
  const uint32_t wire = find_connection(crashed, peer);
  if (wire != UINT32_MAX) arrival = std::max(arrival, connections_[wire].last_arrival);
  const uint32_t incarnation = endpoints_[peer.value].incarnation;
  simulation_.schedule_at(arrival, [this, crashed, peer, incarnation] {
    const Endpoint& e = endpoints_[peer.value];
    if (!e.open || e.incarnation != incarnation || !e.reset_listener) return;
    const ResetListener listener = e.reset_listener;  // the listener may crash the process
    listener(crashed);
  });
}

bool Network::is_open(EndpointId endpoint) const { return endpoints_.at(endpoint.value).open; }

std::pair<uint32_t, uint32_t> Network::host_pair(HostId a, HostId b) {
  const auto [low, high] = std::minmax(a.value, b.value);
  return {low, high};
}

const LinkProperties& Network::link(HostId a, HostId b) const {
  const auto it = links_.find(host_pair(a, b));
  return it == links_.end() ? defaults_ : it->second;
}

uint32_t Network::connection_index(EndpointId source, EndpointId target) {
  std::vector<uint32_t>& table = endpoints_[source.value].connection_to;
  if (table.size() <= target.value) table.resize(target.value + 1, 0);
  if (table[target.value] == 0) {
    Connection& c = connections_.emplace_back();
    c.source = source;
    c.target = target;
    table[target.value] = static_cast<uint32_t>(connections_.size());
  }
  return table[target.value] - 1;
}

uint32_t Network::find_connection(EndpointId source, EndpointId target) const {
  const std::vector<uint32_t>& table = endpoints_[source.value].connection_to;
  return target.value < table.size() ? table[target.value] - 1 : UINT32_MAX;
}

uint32_t Network::park_failure_callback(FailureCallback on_failure) {
  if (!on_failure) return kNoFailureCallback;
  if (free_failure_slots_.empty()) {
    failure_callbacks_.push_back(std::move(on_failure));
    return static_cast<uint32_t>(failure_callbacks_.size() - 1);
  }
  const uint32_t slot = free_failure_slots_.back();
  free_failure_slots_.pop_back();
  failure_callbacks_[slot] = std::move(on_failure);
  return slot;
}

FailureCallback Network::take_failure_callback(uint32_t slot) {
  if (slot == kNoFailureCallback) return nullptr;
  FailureCallback on_failure = std::move(failure_callbacks_[slot]);
  failure_callbacks_[slot] = nullptr;
  free_failure_slots_.push_back(slot);
  return on_failure;
}

void Network::send(EndpointId source, EndpointId target, MessagePtr message,
                   FailureCallback on_failure) {
  FLINKSIM_ASSERT(source.value < endpoints_.size() && target.value < endpoints_.size());
  const Endpoint& sender = endpoints_[source.value];
  if (!sender.open) return;  // a crashed process sends nothing
  ++counters_.messages_sent;
  counters_.bytes_sent += message->size_bytes();
  const HostId source_host = sender.host;
  const HostId target_host = endpoints_[target.value].host;
  if (!reachable(source_host, target_host)) {
    ++counters_.messages_dropped;
    report_failure(source, sender.incarnation, connect_timeout_, DeliveryFailure::unreachable,
                   std::move(on_failure));
    return;
  }
  const uint32_t index = connection_index(source, target);
  Connection& c = connections_[index];
  // A message to a closed endpoint is refused: no connection is set up (the SYN gets an RST).
  if (endpoints_[target.value].open) c.established = true;
  const Instant now = simulation_.now();
  Instant arrival = now;
  if (source_host != target_host) {
    const LinkProperties& properties = link(source_host, target_host);
    // Serialization: the connection's link carries one message at a time at the bandwidth.
    const Instant start = std::max(now, c.link_free_at);
    const int64_t bits = message->size_bytes() * 8;
    const Duration serialization = Duration::nanoseconds(
        properties.bandwidth_bits_per_second > 0
            ? static_cast<int64_t>((static_cast<__int128>(bits) * 1'000'000'000 +
                                    properties.bandwidth_bits_per_second - 1) /
                                   properties.bandwidth_bits_per_second)
            : 0);
    c.link_free_at = start + serialization;
    Duration jitter = Duration::zero();
    if (properties.jitter > Duration::zero()) {
      jitter = Duration::nanoseconds(rng_.uniform_int(0, properties.jitter.count_nanoseconds()));
    }
    arrival =
        c.link_free_at + properties.latency + added_latency(source_host, target_host) + jitter;
  }
  // Jitter never reorders a connection: a message arrives no earlier than its predecessor.
  arrival = std::max(arrival, c.last_arrival);
  c.last_arrival = arrival;
  const InFlight in_flight{index, sender.incarnation, endpoints_[target.value].incarnation, c.epoch,
                           park_failure_callback(std::move(on_failure))};
  simulation_.schedule_at(arrival, [this, in_flight, message = std::move(message)]() {
    deliver(in_flight, message);
  });
}

void Network::deliver(const InFlight& in_flight, const MessagePtr& message) {
  const Connection& c = connections_[in_flight.connection];
  const EndpointId source = c.source;
  Endpoint& receiver = endpoints_[c.target.value];
  FailureCallback on_failure = take_failure_callback(in_flight.failure_slot);
  if (c.epoch != in_flight.epoch) {
    // A partition broke the connection while the message was in flight.
    ++counters_.messages_dropped;
    report_failure(source, in_flight.source_incarnation, connect_timeout_,
                   DeliveryFailure::unreachable, std::move(on_failure));
    return;
  }
  if (!receiver.open || receiver.incarnation != in_flight.target_incarnation) {
    ++counters_.messages_dropped;
    const Duration back = latency(endpoints_[source.value].host, receiver.host);
    report_failure(source, in_flight.source_incarnation, back, DeliveryFailure::refused,
                   std::move(on_failure));
    return;
  }
  ++counters_.messages_delivered;
  // Copy the receiver: the callback may close or reopen the endpoint.
  const Receiver deliver_to = receiver.receiver;
  deliver_to(source, message);
}

void Network::report_failure(EndpointId source, uint32_t source_incarnation, Duration after,
                             DeliveryFailure failure, FailureCallback on_failure) {
  if (!on_failure) return;
  simulation_.schedule_after(after, [this, source, source_incarnation, failure,
                                     on_failure = std::move(on_failure)]() {
    const Endpoint& sender = endpoints_[source.value];
    if (sender.open && sender.incarnation == source_incarnation) on_failure(failure);
  });
}

bool Network::cuts(const Partition& partition, HostId source, HostId target) const {
  if (!partition.active) return false;
  const auto contains = [](const std::vector<HostId>& side, HostId host) {
    return std::find(side.begin(), side.end(), host) != side.end();
  };
  if (contains(partition.side_a, source) && contains(partition.side_b, target)) return true;
  return partition.direction == PartitionDirection::both_ways &&
         contains(partition.side_b, source) && contains(partition.side_a, target);
}

bool Network::reachable(HostId source, HostId target) const {
  for (const Partition& partition : partitions_) {
    if (cuts(partition, source, target)) return false;
  }
  return true;
}

PartitionId Network::partition(std::vector<HostId> side_a, std::vector<HostId> side_b,
                               PartitionDirection direction) {
  partitions_.push_back(Partition{std::move(side_a), std::move(side_b), direction, true});
  const Partition& p = partitions_.back();
  // Break every connection the partition cuts, in either direction: TCP needs both ways.
  for (Connection& c : connections_) {
    const HostId source = endpoints_[c.source.value].host;
    const HostId target = endpoints_[c.target.value].host;
    if (cuts(p, source, target) || cuts(p, target, source)) {
      // The broken connection's in-flight messages are dropped, so they must not hold up the
      // next connection between the pair: its wire and arrival order start afresh.
      ++c.epoch;
      c.established = false;
      c.link_free_at = Instant::zero();
      c.last_arrival = Instant::zero();
    }
  }
  return PartitionId{static_cast<uint32_t>(partitions_.size() - 1)};
}

void Network::heal(PartitionId partition) {
  FLINKSIM_ASSERT(partition.value < partitions_.size());
  partitions_[partition.value].active = false;
}

void Network::set_link(HostId a, HostId b, LinkProperties properties) {
  links_[host_pair(a, b)] = properties;
}

void Network::reset_link(HostId a, HostId b) {
  links_.erase(host_pair(a, b));
}

void Network::add_latency(HostId a, HostId b, Duration extra) {
  FLINKSIM_ASSERT(extra >= Duration::zero());
  added_latency_[host_pair(a, b)] += extra;
}

void Network::remove_latency(HostId a, HostId b, Duration extra) {
  const auto it = added_latency_.find(host_pair(a, b));
  FLINKSIM_ASSERT(it != added_latency_.end() && it->second >= extra);
  it->second -= extra;
  if (it->second == Duration::zero()) added_latency_.erase(it);
}

Duration Network::added_latency(HostId a, HostId b) const {
  if (added_latency_.empty()) return Duration::zero();
  const auto it = added_latency_.find(host_pair(a, b));
  return it == added_latency_.end() ? Duration::zero() : it->second;
}

Duration Network::latency(HostId a, HostId b) const {
  return link(a, b).latency + added_latency(a, b);
}

}  // namespace flinksim::sim
