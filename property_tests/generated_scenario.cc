#include "property_tests/generated_scenario.h"

#include <algorithm>
#include <limits>
#include <ostream>

#include "property_tests/fault_schedule.h"
#include "property_tests/scenario_yaml.h"

namespace flinksim::property_tests {
namespace {

// TaskManagers the cluster can lose and still offer the slots the job needs.
int64_t spare_taskmanagers(const GeneratedJob& job, const GeneratedCluster& cluster) {
  const int64_t spare_slots =
      cluster.taskmanagers_total() * cluster.slots_per_taskmanager - job.parallelism_max();
  return spare_slots / cluster.slots_per_taskmanager;
}

FaultTargets targets_of(const GeneratedJob& job, const GeneratedCluster& cluster,
                        const ScenarioShape& shape) {
  FaultTargets targets;
  targets.partitions = shape.partitions;
  if (shape.kills_anywhere) {
    targets.kills_max = std::numeric_limits<int64_t>::max();
  } else if (cluster.slots_per_taskmanager == 1) {
    targets.kills_max = spare_taskmanagers(job, cluster);
  }
  targets.tasks = job.task_ids();
  targets.taskmanagers = cluster.taskmanagers_total();
  targets.taskmanagers_replaced = cluster.deployment == scenarios::Deployment::kubernetes;
  // The first half of the input: every consequence of a fault (detection within the 3 s
  // heartbeat timeout, a restart, a checkpoint failing during an outage) lands before any
  // sink can have finished.
  targets.strike_before = sim::Duration::milliseconds(job.source_time.count_milliseconds() / 2);
  return targets;
}

GeneratedScenario generate_scenario_now(const ScenarioShape& shape) {
  GeneratedScenario scenario;
  scenario.seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  scenario.name = "property-" + shape.name + "-" + std::to_string(scenario.seed);
  scenario.expect = shape.expect;
  scenario.job = *generate_job(shape.delivery);
  scenario.cluster = *generate_cluster(scenario.job.parallelism_max());
  scenario.configuration = *generate_configuration(shape.modes);
  if (shape.approximate_local_recovery) {
    scenario.configuration.failover = FailoverStrategy::region;
    scenario.configuration.unaligned = false;
    scenario.configuration.approximate_local_recovery = true;
  }
  scenario.faults = *generate_fault_schedule(targets_of(scenario.job, scenario.cluster, shape));
  // Approximate recovery under jitter and a TaskManager kill can still deadlock on a stale
  // barrier (docs/property-testing.md, "Liveness"): those two stay apart there.
  const bool kills = std::any_of(scenario.faults.begin(), scenario.faults.end(),
                                 [](const FaultCommand& command) {
                                   return std::holds_alternative<KillTaskManager>(command);
                                 });
  if (!shape.jitter || (shape.approximate_local_recovery && kills)) {
    scenario.cluster.network_jitter = sim::Duration::zero();
  }
  return scenario;
}

}  // namespace

rc::Gen<GeneratedScenario> generate_scenario(const ScenarioShape& shape) {
  return rc::gen::exec([shape] { return generate_scenario_now(shape); });
}

void showValue(const GeneratedScenario& scenario, std::ostream& os) {
  os << "\n" << to_yaml(scenario);
}

}  // namespace flinksim::property_tests
