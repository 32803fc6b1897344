#include "sim/process.h"

#include "sim/assert.h"

namespace flinksim::sim {

Process::Process(Context& context, HostId host, std::string name)
    : context_(context), host_(host), name_(std::move(name)) {}

EndpointId Process::add_endpoint(std::string endpoint_name, MessageHandler handler) {
  const EndpointId id = context_.network().add_endpoint(host_, std::move(endpoint_name));
  endpoints_.push_back(OwnedEndpoint{id, std::move(handler)});
  if (alive_) context_.network().open(id, endpoints_.back().handler);
  return id;
}

void Process::start() {
  FLINKSIM_ASSERT_MSG(!alive_, name_ + " is already running");
  alive_ = true;
  ++incarnation_;
  for (const OwnedEndpoint& endpoint : endpoints_) {
    context_.network().open(endpoint.id, endpoint.handler);
  }
  trace("started");
  on_start();
}

void Process::crash() {
  if (!alive_) return;
  alive_ = false;
  ++incarnation_;
  for (const OwnedEndpoint& endpoint : endpoints_) context_.network().close(endpoint.id);
  trace("crashed");
  on_crash();
}

TimerId Process::set_timer(Duration delay, Callback callback) {
  FLINKSIM_ASSERT(alive_);
  const uint64_t incarnation = incarnation_;
  return context_.simulation().schedule_after(
      delay, [this, incarnation, callback = std::move(callback)]() {
        if (alive_ && incarnation_ == incarnation) callback();
      });
}

void Process::cancel_timer(TimerId& timer) {
  context_.simulation().cancel(timer);
  timer = TimerId();
}

void Process::send(EndpointId source, EndpointId target, MessagePtr message,
                   FailureCallback on_failure) {
  if (!alive_) return;
  context_.network().send(source, target, std::move(message), std::move(on_failure));
}

}  // namespace flinksim::sim
