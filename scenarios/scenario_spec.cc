#include "scenarios/scenario_spec.h"

namespace flinksim::scenarios {

std::string_view to_string(Deployment deployment) {
  switch (deployment) {
    case Deployment::standalone: return "standalone";
    case Deployment::kubernetes: return "kubernetes";
  }
  return "unknown";
}

std::string_view to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::kill: return "kill";
    case FaultKind::restart: return "restart";
    case FaultKind::fail_task: return "fail-task";
    case FaultKind::partition: return "partition";
    case FaultKind::outage: return "outage";
    case FaultKind::slow: return "slow";
  }
  return "unknown";
}

std::string_view to_string(FinalStatus status) {
  switch (status) {
    case FinalStatus::finished: return "FINISHED";
    case FinalStatus::running: return "RUNNING";
    case FinalStatus::failed: return "FAILED";
    case FinalStatus::canceled: return "CANCELED";
    case FinalStatus::lost: return "LOST";
    case FinalStatus::suspended: return "SUSPENDED";
  }
  return "UNKNOWN";
}

std::string strategy_label(const FlinkConfiguration& config) {
  const std::string failover = config.get_enum("jobmanager.execution.failover-strategy");
  // Approximate local recovery (FLIP-135) is region failover over approximate partitions; with
  // full failover every task restarts anyway, so the label stays "full".
  if (failover == "region" && config.get_bool("execution.state-recovery.approximate-local-recovery")) {
    return "approximate";
  }
  return failover;
}

}  // namespace flinksim::scenarios
