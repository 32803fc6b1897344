#include "property_tests/generated_cluster.h"

namespace flinksim::property_tests {
namespace {

GeneratedCluster generate_cluster_now(int64_t slots_needed) {
  GeneratedCluster cluster;
  cluster.deployment =
      *rc::gen::element(scenarios::Deployment::kubernetes, scenarios::Deployment::standalone);
  cluster.slots_per_taskmanager = *rc::gen::inRange<int64_t>(1, 5);
  const int64_t taskmanagers_needed =
      (slots_needed + cluster.slots_per_taskmanager - 1) / cluster.slots_per_taskmanager;
  cluster.taskmanagers = taskmanagers_needed + *rc::gen::inRange<int64_t>(0, 2);
  cluster.standby_taskmanagers = *rc::gen::inRange<int64_t>(0, 3);
  cluster.taskmanager_startup = sim::Duration::seconds(*rc::gen::inRange<int64_t>(1, 6));
  cluster.network_jitter = sim::Duration::milliseconds(*rc::gen::element<int64_t>(0, 5, 20, 50));
  return cluster;
}

GeneratedCluster generate_high_availability_cluster_now(int64_t slots_needed) {
  GeneratedCluster cluster = generate_cluster_now(slots_needed);
  cluster.high_availability = true;
  cluster.jobmanagers = *rc::gen::inRange<int64_t>(1, 4);
  cluster.session_timeout = sim::Duration::seconds(*rc::gen::element<int64_t>(10, 20));
  cluster.tolerate_suspended_connections = *rc::gen::arbitrary<bool>();
  return cluster;
}

}  // namespace

rc::Gen<GeneratedCluster> generate_cluster(int64_t slots_needed) {
  return rc::gen::exec([slots_needed] { return generate_cluster_now(slots_needed); });
}

rc::Gen<GeneratedCluster> generate_high_availability_cluster(int64_t slots_needed) {
  return rc::gen::exec(
      [slots_needed] { return generate_high_availability_cluster_now(slots_needed); });
}

}  // namespace flinksim::property_tests
