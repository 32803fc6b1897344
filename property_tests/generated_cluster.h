#pragma once

// A generated cluster shape that can always run the job: the initial TaskManagers alone offer
// the slots the job needs. Standby TaskManagers add spare capacity; a Kubernetes deployment
// replaces TaskManagers that are lost, so a killed TaskManager need not come back there.

#include <rapidcheck.h>

#include <cstdint>

#include "scenarios/scenario_spec.h"
#include "sim/time.h"

namespace flinksim::property_tests {

struct GeneratedCluster {
  scenarios::Deployment deployment = scenarios::Deployment::standalone;
  int64_t taskmanagers = 1;
  int64_t standby_taskmanagers = 0;
  int64_t slots_per_taskmanager = 1;
  // kubernetes: how long a replacement TaskManager needs to register.
  sim::Duration taskmanager_startup = sim::Duration::seconds(1);
  // network.jitter: a random extra delay per message. Barriers then reach a task's input
  // channels at different times, which is what barrier alignment exists for.
  sim::Duration network_jitter = sim::Duration::zero();

  // Initial and standby TaskManagers: taskmanager-0 .. taskmanager-(N-1).
  int64_t taskmanagers_total() const { return taskmanagers + standby_taskmanagers; }
};

rc::Gen<GeneratedCluster> generate_cluster(int64_t slots_needed);

}  // namespace flinksim::property_tests
