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

  // high-availability.type: zookeeper with jobmanager-0 .. jobmanager-(N-1), one leading at a
  // time (docs/high-availability.md). Without HA there is one JobManager and no ZooKeeper.
  bool high_availability = false;
  int64_t jobmanagers = 1;
  // high-availability.zookeeper.client.session-timeout. Shorter than Flink's 60 s default so
  // that a leader change takes seconds, not minutes, of virtual time: a standby leads once the
  // old leader's session expired, a cut-off leader steps down after 2/3 of it.
  sim::Duration session_timeout = sim::Duration::seconds(60);
  // high-availability.zookeeper.client.tolerate-suspended-connections: a cut-off leader hangs on
  // until its session is LOST, while a standby may already lead (two leaders for a while).
  bool tolerate_suspended_connections = false;

  // Initial and standby TaskManagers: taskmanager-0 .. taskmanager-(N-1).
  int64_t taskmanagers_total() const { return taskmanagers + standby_taskmanagers; }
};

rc::Gen<GeneratedCluster> generate_cluster(int64_t slots_needed);

// The same with ZooKeeper high availability: 1-3 JobManagers, a 10 s or 20 s session timeout,
// suspended connections tolerated or not.
rc::Gen<GeneratedCluster> generate_high_availability_cluster(int64_t slots_needed);

}  // namespace flinksim::property_tests
