#include "model/heartbeat/heartbeat_manager.h"

#include "model/gateways.h"

namespace flinksim::model {

HeartbeatManager::HeartbeatManager(sim::Process& process, sim::EndpointId own_endpoint,
                                   std::string own_id, HeartbeatOptions options, Role role,
                                   TargetCallback on_timeout, TargetCallback on_unreachable)
    : process_(process),
      own_endpoint_(own_endpoint),
      own_id_(std::move(own_id)),
      options_(options),
      role_(role),
      on_timeout_(std::move(on_timeout)),
      on_unreachable_(std::move(on_unreachable)) {
  if (role_ == Role::sender) {
    request_timer_ = process_.set_timer(options_.interval, [this] { send_heartbeat_requests(); });
  }
}

HeartbeatManager::~HeartbeatManager() { stop(); }

void HeartbeatManager::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& [target, monitor] : targets_) process_.cancel_timer(monitor.timeout_timer);
  targets_.clear();
  process_.cancel_timer(request_timer_);
}

void HeartbeatManager::monitor_target(const std::string& target, sim::EndpointId endpoint) {
  if (stopped_ || targets_.count(target) > 0) return;
  Monitor& monitor = targets_[target];
  monitor.endpoint = endpoint;
  arm_timeout(target, monitor);
}

void HeartbeatManager::unmonitor_target(const std::string& target) {
  const auto it = targets_.find(target);
  if (it == targets_.end()) return;
  process_.cancel_timer(it->second.timeout_timer);
  targets_.erase(it);
}

void HeartbeatManager::arm_timeout(const std::string& target, Monitor& monitor) {
  process_.cancel_timer(monitor.timeout_timer);
  monitor.timeout_timer = process_.set_timer(options_.timeout, [this, target] {
    if (targets_.count(target) == 0) return;
    unmonitor_target(target);
    on_timeout_(target);
  });
}

void HeartbeatManager::report_heartbeat(const std::string& target) {
  const auto it = targets_.find(target);
  if (it == targets_.end()) return;
  it->second.rpc_failures = 0;
  arm_timeout(target, it->second);
}

void HeartbeatManager::send_heartbeat_requests() {
  if (stopped_) return;
  for (const auto& [target, monitor] : targets_) {
    auto request = std::make_shared<HeartbeatRequest>();
    request->origin = own_id_;
    request->reply_to = own_endpoint_;
    request->payload = retrieve_payload(target);
    const sim::MessagePtr message = std::move(request);
    send(target, monitor.endpoint, message);
    // BUGGIFY duplicated-heartbeat: the same request twice (an RPC retried after a lost reply);
    // HeartbeatManagerImpl reports each and answers each, and the payloads must be idempotent.
    if (process_.context().buggify().fire("duplicated-heartbeat", 0.1)) {
      send(target, monitor.endpoint, message);
    }
  }
  request_timer_ = process_.set_timer(options_.interval, [this] { send_heartbeat_requests(); });
}

void HeartbeatManager::send(const std::string& target, sim::EndpointId endpoint,
                            sim::MessagePtr message) {
  process_.send(own_endpoint_, endpoint, std::move(message),
                lifetime_.guard([this, target](sim::DeliveryFailure failure) {
                  if (failure == sim::DeliveryFailure::refused) report_rpc_failure(target);
                }));
}

void HeartbeatManager::report_rpc_failure(const std::string& target) {
  const auto it = targets_.find(target);
  if (it == targets_.end() || options_.rpc_failure_threshold <= 0) return;
  if (++it->second.rpc_failures >= options_.rpc_failure_threshold) {
    unmonitor_target(target);
    on_unreachable_(target);
  }
}

HeartbeatPayloadPtr HeartbeatManager::retrieve_payload(const std::string& target) const {
  return payloads_.retrieve ? payloads_.retrieve(target) : nullptr;
}

void HeartbeatManager::report_payload(const std::string& target,
                                      const HeartbeatPayloadPtr& payload) {
  if (payload && payloads_.report) payloads_.report(target, *payload);
}

void HeartbeatManager::on_request(const HeartbeatRequest& request) {
  if (stopped_ || targets_.count(request.origin) == 0) return;
  report_heartbeat(request.origin);
  report_payload(request.origin, request.payload);
  // The payload may have stopped this manager or dropped the target.
  if (stopped_ || targets_.count(request.origin) == 0) return;
  auto response = std::make_shared<HeartbeatResponse>();
  response->origin = own_id_;
  response->payload = retrieve_payload(request.origin);
  send(request.origin, request.reply_to, std::move(response));
}

void HeartbeatManager::on_response(const HeartbeatResponse& response) {
  if (stopped_ || targets_.count(response.origin) == 0) return;
  report_heartbeat(response.origin);
  report_payload(response.origin, response.payload);
}

}  // namespace flinksim::model
