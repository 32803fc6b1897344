#pragma once

// Generated fault schedules: one to four commands (fault_command.h) that name only processes
// and tasks the scenario has, strike within a window that ends well before the job's nominal
// end of input, and heal. Faults late in a bounded run would hit sinks that already finished,
// and a finished exactly-once sink that is restarted commits its output again — a limit of the
// model's scope, not the recovery protocol under test.

#include <rapidcheck.h>

#include <cstdint>
#include <string>
#include <vector>

#include "property_tests/fault_command.h"
#include "sim/time.h"

namespace flinksim::property_tests {

struct FaultTargets {
  std::vector<std::string> tasks;  // VERTEX:SUBTASK
  int64_t taskmanagers = 1;        // taskmanager-0 .. taskmanager-(N-1), standbys included
  // Kubernetes: the ResourceManager replaces a lost TaskManager, so a kill need not restart.
  bool taskmanagers_replaced = false;
  // Faults strike in [strike_after, strike_before].
  sim::Duration strike_after = sim::Duration::seconds(1);
  sim::Duration strike_before = sim::Duration::seconds(5);
  // At most this many TaskManager kills; none by default.
  int64_t kills_max = 0;
  // JobManager-TaskManager partitions and slow links, off by default (the liveness properties
  // ask for them; docs/property-testing.md, "Liveness").
  bool partitions = false;
  // Shorter than the heartbeat timeout, a partition may go unnoticed while it drops task state
  // updates and deployments; longer, it is always detected.
  sim::Duration partition_lasting_min = sim::Duration::seconds(1);
  sim::Duration partition_lasting_max = sim::Duration::seconds(6);
  // ZooKeeper high availability with jobmanager-0 .. jobmanager-(N-1): the schedule may also kill
  // the leader (only with a standby, fewer times than there are JobManagers), kill and restart a
  // JobManager (after 1 s up to a session timeout), take ZooKeeper down or cut a JobManager off
  // it (for 1 s up to 1.5 session timeouts).
  bool high_availability = false;
  int64_t jobmanagers = 1;
  sim::Duration session_timeout = sim::Duration::seconds(60);
  // At least one command that may change the leader (fault_command.h, changes_leader).
  bool leader_change = false;
  // Protocol moments (scenarios/fault_moment.h) a FaultAtMoment may wait for; none: no such
  // commands.
  std::vector<std::string> moments;
};

rc::Gen<std::vector<FaultCommand>> generate_fault_schedule(const FaultTargets& targets);

}  // namespace flinksim::property_tests
