#pragma once

// How the data plane's partitions and gates reach the network: through the TaskExecutor that
// hosts them, which sends from its own endpoint.

#include "sim/message.h"
#include "sim/network.h"

namespace flinksim::model::runtime {

class ChannelTransport {
 public:
  virtual ~ChannelTransport() = default;
  virtual void send_data(sim::EndpointId target, sim::MessagePtr message,
                         sim::FailureCallback on_failure) = 0;
};

}  // namespace flinksim::model::runtime
