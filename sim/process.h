#pragma once

// Something that runs on a host and can crash. A crash closes the process's endpoints (messages
// to it are refused), discards its timers (they never fire) and, through on_crash, its in-memory
// state; start() runs it again from scratch as a new incarnation.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/context.h"

namespace flinksim::sim {

using MessageHandler = std::function<void(EndpointId source, const MessagePtr& message)>;

class Process {
 public:
  Process(Context& context, HostId host, std::string name);
  virtual ~Process() = default;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  const std::string& name() const { return name_; }
  HostId host() const { return host_; }
  bool alive() const { return alive_; }
  uint64_t incarnation() const { return incarnation_; }

  void start();
  void crash();

  Context& context() { return context_; }
  const Context& context() const { return context_; }
  Instant now() const { return context_.now(); }

  // Services for the components a process hosts; all are bound to the current incarnation.
  // A timer of this incarnation: it never fires after a crash.
  TimerId set_timer(Duration delay, Callback callback);
  void cancel_timer(TimerId& timer);
  void send(EndpointId source, EndpointId target, MessagePtr message,
            FailureCallback on_failure = nullptr);
  void trace(std::string_view kind, std::string_view detail = {}) {
    context_.trace_event(name_, kind, detail);
  }

 protected:
  // Declares an endpoint of this process; it is open while the process is alive.
  EndpointId add_endpoint(std::string endpoint_name, MessageHandler handler);

  virtual void on_start() = 0;
  // Drop all in-memory state here; timers and endpoints are handled by Process.
  virtual void on_crash() {}

 private:
  struct OwnedEndpoint {
    EndpointId id;
    MessageHandler handler;
  };

  Context& context_;
  HostId host_;
  std::string name_;
  bool alive_ = false;
  uint64_t incarnation_ = 0;
  std::vector<OwnedEndpoint> endpoints_;
};

}  // namespace flinksim::sim
