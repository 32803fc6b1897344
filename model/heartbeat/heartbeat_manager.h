#pragma once

// Heartbeats between two components, as Flink's HeartbeatManagerImpl (receiver side) and
// HeartbeatManagerSenderImpl (requesting side) do them:
// - the sender asks every monitored target for a heartbeat each `heartbeat.interval`;
// - a target answers a request with a heartbeat of its own;
// - each side keeps, per target, a timer of `heartbeat.timeout` that every heartbeat from the
//   target resets; when it expires the listener hears "heartbeat timeout";
// - a heartbeat RPC that fails because the recipient is unreachable (a refused connection: the
//   process is gone) counts; `heartbeat.rpc-failure-threshold` consecutive such failures make the
//   target "unreachable" at once (FLINK-23209). Timeouts of the RPC itself do not count, as in
//   Flink where only RecipientUnreachableException does.
// - requests and responses carry payloads (slot reports, deployment reports) when the owner
//   installs a PayloadExchange; a payload is reported only for a monitored target.

#include <functional>
#include <map>
#include <string>

#include "model/cluster_options.h"
#include "model/gateways.h"
#include "sim/lifetime.h"
#include "sim/process.h"

namespace flinksim::model {

class HeartbeatManager {
 public:
  enum class Role { sender, receiver };
  using TargetCallback = std::function<void(const std::string& target)>;
  struct PayloadExchange {
    // What to send to `target` with the next request or response.
    std::function<HeartbeatPayloadPtr(const std::string& target)> retrieve;
    // What `target` sent; called before the heartbeat is answered.
    std::function<void(const std::string& target, const HeartbeatPayload& payload)> report;
  };

  HeartbeatManager(sim::Process& process, sim::EndpointId own_endpoint, std::string own_id,
                   HeartbeatOptions options, Role role, TargetCallback on_timeout,
                   TargetCallback on_unreachable);
  HeartbeatManager(const HeartbeatManager&) = delete;
  HeartbeatManager& operator=(const HeartbeatManager&) = delete;
  ~HeartbeatManager();

  void set_payload_exchange(PayloadExchange exchange) { payloads_ = std::move(exchange); }
  void monitor_target(const std::string& target, sim::EndpointId endpoint);
  void unmonitor_target(const std::string& target);
  bool is_monitoring(const std::string& target) const { return targets_.count(target) > 0; }
  void stop();

  // Route incoming heartbeat messages here.
  void on_request(const HeartbeatRequest& request);
  void on_response(const HeartbeatResponse& response);

 private:
  struct Monitor {
    sim::EndpointId endpoint;
    sim::TimerId timeout_timer;
    int rpc_failures = 0;
  };

  void report_heartbeat(const std::string& target);
  void arm_timeout(const std::string& target, Monitor& monitor);
  void send_heartbeat_requests();
  void send(const std::string& target, sim::EndpointId endpoint, sim::MessagePtr message);
  void report_rpc_failure(const std::string& target);
  HeartbeatPayloadPtr retrieve_payload(const std::string& target) const;
  void report_payload(const std::string& target, const HeartbeatPayloadPtr& payload);

  sim::Process& process_;
  sim::EndpointId own_endpoint_;
  std::string own_id_;
  HeartbeatOptions options_;
  Role role_;
  TargetCallback on_timeout_;
  TargetCallback on_unreachable_;
  PayloadExchange payloads_;
  std::map<std::string, Monitor> targets_;
  sim::TimerId request_timer_;
  bool stopped_ = false;
  // Guards callbacks that outlive this manager (network failure reports).
  sim::Lifetime lifetime_;
};

}  // namespace flinksim::model
