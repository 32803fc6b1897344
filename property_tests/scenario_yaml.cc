#include "property_tests/scenario_yaml.h"

#include <algorithm>
#include <sstream>

namespace flinksim::property_tests {
namespace {

std::string milliseconds(sim::Duration duration) {
  return std::to_string(duration.count_milliseconds()) + " ms";
}

std::string percent_as_fraction(int64_t percent) {
  if (percent >= 100) return "1.0";
  return "0." + std::string(percent < 10 ? "0" : "") + std::to_string(percent);
}

void write_header(std::ostringstream& out, std::string_view header) {
  std::istringstream lines{std::string(header)};
  for (std::string line; std::getline(lines, line);) out << "# " << line << "\n";
}

void write_cluster(std::ostringstream& out, const GeneratedCluster& cluster) {
  out << "cluster: {deployment: " << scenarios::to_string(cluster.deployment)
      << ", taskmanagers: " << cluster.taskmanagers
      << ", standby-taskmanagers: " << cluster.standby_taskmanagers
      << (cluster.high_availability ? ", jobmanagers: " + std::to_string(cluster.jobmanagers) : "")
      << ", taskmanager-startup: " << milliseconds(cluster.taskmanager_startup) << "}\n";
  if (cluster.network_jitter > sim::Duration::zero()) {
    out << "network: {jitter: " << milliseconds(cluster.network_jitter) << "}\n";
  }
}

std::string tenths(int64_t tenths) {
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

void write_high_availability(std::ostringstream& out, const GeneratedCluster& cluster) {
  if (!cluster.high_availability) return;
  out << "  high-availability.type: zookeeper\n"
      << "  high-availability.zookeeper.client.session-timeout: "
      << milliseconds(cluster.session_timeout) << "\n"
      << "  high-availability.zookeeper.client.tolerate-suspended-connections: "
      << (cluster.tolerate_suspended_connections ? "true" : "false") << "\n";
}

void write_restart_strategy(std::ostringstream& out, const GeneratedConfiguration& config) {
  const std::string prefix = "  restart-strategy." + std::string(to_string(config.restart_strategy));
  out << "  restart-strategy.type: " << to_string(config.restart_strategy) << "\n";
  switch (config.restart_strategy) {
    case RestartStrategy::fixed_delay:
      out << prefix << ".attempts: " << config.restart_attempts << "\n"
          << prefix << ".delay: " << milliseconds(config.restart_delay) << "\n";
      break;
    case RestartStrategy::exponential_delay:
      out << prefix << ".initial-backoff: " << milliseconds(config.restart_delay) << "\n"
          << prefix << ".max-backoff: " << milliseconds(config.restart_delay_max) << "\n"
          << prefix << ".backoff-multiplier: " << tenths(config.backoff_multiplier_tenths) << "\n"
          << prefix << ".jitter-factor: " << tenths(config.jitter_factor_tenths) << "\n";
      break;
    case RestartStrategy::failure_rate:
      out << prefix << ".max-failures-per-interval: " << config.restart_attempts << "\n"
          << prefix << ".failure-rate-interval: " << milliseconds(config.failure_rate_interval)
          << "\n"
          << prefix << ".delay: " << milliseconds(config.restart_delay) << "\n";
      break;
  }
}

void write_config(std::ostringstream& out, const GeneratedCluster& cluster,
                  const GeneratedConfiguration& config) {
  out << "config:\n"
      << "  taskmanager.numberOfTaskSlots: " << cluster.slots_per_taskmanager << "\n"
      << "  jobmanager.execution.failover-strategy: " << to_string(config.failover) << "\n"
      << "  execution.checkpointing.interval: " << milliseconds(config.checkpoint_interval) << "\n"
      << "  execution.checkpointing.mode: " << to_string(config.checkpointing_mode) << "\n"
      << "  execution.checkpointing.unaligned.enabled: " << (config.unaligned ? "true" : "false")
      << "\n"
      << "  execution.checkpointing.num-retained: " << config.num_retained << "\n"
      << (config.approximate_local_recovery
              ? "  execution.state-recovery.approximate-local-recovery: true\n"
              : "")
      << (config.batch_job_recovery ? "  execution.batch.job-recovery.enabled: true\n" : "");
  if (config.tolerable_failed_checkpoints) {
    out << "  execution.checkpointing.tolerable-failed-checkpoints: "
        << *config.tolerable_failed_checkpoints << "\n";
  }
  if (config.savepoint_dir) out << "  execution.checkpointing.savepoint-dir: /savepoints\n";
  if (!config.checkpoint_retention.empty()) {
    out << "  execution.checkpointing.externalized-checkpoint-retention: "
        << config.checkpoint_retention << "\n";
  }
  write_high_availability(out, cluster);
  write_restart_strategy(out, config);
  out << "  heartbeat.interval: " << milliseconds(config.heartbeat_interval) << "\n"
      << "  heartbeat.timeout: " << milliseconds(config.heartbeat_timeout) << "\n";
}

std::string operator_settings(const GeneratedVertex& vertex) {
  std::ostringstream out;
  switch (vertex.kind) {
    case graph::OperatorKind::source:
      out << ", records: " << vertex.records << ", rate: " << vertex.rate_per_second
          << "/s, keys: " << vertex.keys
          << ", out-of-orderness: " << milliseconds(vertex.out_of_orderness);
      if (vertex.log_backlog) out << ", backlog: log";
      break;
    case graph::OperatorKind::filter:
      out << ", selectivity: " << percent_as_fraction(vertex.selectivity_percent);
      break;
    case graph::OperatorKind::aggregate:
      out << ", function: " << graph::to_string(vertex.function);
      break;
    case graph::OperatorKind::window:
      out << ", function: " << graph::to_string(vertex.function)
          << ", size: " << milliseconds(vertex.window_size);
      break;
    case graph::OperatorKind::sink:
      out << ", delivery: " << graph::to_string(vertex.delivery);
      break;
    default:
      break;
  }
  return out.str();
}

void write_job(std::ostringstream& out, const GeneratedJob& job) {
  out << "job:\n  mode: " << to_string(job.mode) << "\n  vertices:\n";
  for (const GeneratedVertex& vertex : job.vertices) {
    out << "    - {name: " << vertex.name << ", operator: " << graph::to_string(vertex.kind)
        << ", parallelism: " << vertex.parallelism << operator_settings(vertex) << "}\n";
  }
  out << "  edges:\n";
  for (const GeneratedEdge& edge : job.edges) {
    out << "    - {from: " << edge.source << ", to: " << edge.target
        << ", partitioning: " << to_string(edge.partitioning) << "}\n";
  }
}

// In time order, which is how a reader follows a schedule; the loader takes any order.
void write_faults(std::ostringstream& out, const std::vector<FaultCommand>& faults) {
  if (faults.empty()) return;
  std::vector<FaultCommand> ordered = faults;
  std::stable_sort(
      ordered.begin(), ordered.end(),
      [](const FaultCommand& a, const FaultCommand& b) { return strikes_at(a) < strikes_at(b); });
  out << "faults:\n";
  for (const FaultCommand& command : ordered) {
    for (const std::string& entry : fault_entries(command)) out << "  - " << entry << "\n";
  }
}

void write_expect(std::ostringstream& out, const ExpectedOutcome& expect) {
  if (!expect.finished && !expect.exactly_once && !expect.no_records_lost) return;
  out << "expect:\n";
  if (expect.finished) out << "  final-status: FINISHED\n";
  if (expect.exactly_once) out << "  exactly-once: true\n";
  if (expect.no_records_lost) out << "  records-lost-max: 0\n";
}

}  // namespace

std::string to_yaml(const GeneratedScenario& scenario, std::string_view header) {
  std::ostringstream out;
  write_header(out, header);
  out << "name: " << scenario.name << "\n"
      << "seed: " << scenario.seed << "\n"
      << "duration: " << milliseconds(scenario.duration) << "\n";
  if (scenario.buggify) out << "simulation: {buggify: true}\n";
  write_cluster(out, scenario.cluster);
  write_config(out, scenario.cluster, scenario.configuration);
  write_job(out, scenario.job);
  write_faults(out, scenario.faults);
  write_expect(out, scenario.expect);
  return out.str();
}

}  // namespace flinksim::property_tests
