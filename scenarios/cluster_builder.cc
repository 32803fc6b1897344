#include "scenarios/cluster_builder.h"

#include <algorithm>
#include <cctype>

#include "scenarios/record_grouping.h"
#include "scenarios/restart_strategy_options.h"
#include "sim/assert.h"

namespace flinksim::scenarios {

namespace {

void apply_data_plane_options(const FlinkConfiguration& config, model::DataPlaneOptions& options) {
  options.segment_size_bytes = config.get_size_bytes("taskmanager.memory.segment-size");
  options.buffers_per_channel = static_cast<int>(config.get_int("taskmanager.network.memory.buffers-per-channel"));
  options.floating_buffers_per_gate =
      static_cast<int>(config.get_int("taskmanager.network.memory.floating-buffers-per-gate"));
  options.max_buffers_per_channel =
      static_cast<int>(config.get_int("taskmanager.network.memory.max-buffers-per-channel"));
  options.request_backoff_initial = config.get_duration("taskmanager.network.request-backoff.initial");
  options.request_backoff_max = config.get_duration("taskmanager.network.request-backoff.max");
  options.buffer_timeout = config.get_duration("execution.buffer-timeout.interval");
  options.auto_watermark_interval = config.get_duration("pipeline.auto-watermark-interval");
}

void apply_checkpoint_options(const FlinkConfiguration& config, model::CheckpointOptions& options) {
  options.interval = config.get_optional_duration("execution.checkpointing.interval");
  // Enum values are case-insensitive and '-' and '_' are interchangeable, as in Flink.
  std::string mode = config.get_enum("execution.checkpointing.mode");
  std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) {
    return c == '-' ? '_' : static_cast<char>(std::tolower(c));
  });
  options.mode = mode == "at_least_once" ? model::CheckpointingMode::at_least_once
                                         : model::CheckpointingMode::exactly_once;
  options.timeout = config.get_duration("execution.checkpointing.timeout");
  options.min_pause = config.get_duration("execution.checkpointing.min-pause");
  options.max_concurrent = static_cast<int>(config.get_int("execution.checkpointing.max-concurrent-checkpoints"));
  options.tolerable_failures =
      static_cast<int>(config.get_int("execution.checkpointing.tolerable-failed-checkpoints"));
  options.num_retained = static_cast<int>(config.get_int("execution.checkpointing.num-retained"));
  options.unaligned = config.get_bool("execution.checkpointing.unaligned.enabled");
  options.aligned_checkpoint_timeout = config.get_duration("execution.checkpointing.aligned-checkpoint-timeout");
  options.checkpoints_after_tasks_finish =
      config.get_bool("execution.checkpointing.checkpoints-after-tasks-finish");
  if (config.is_set("execution.checkpointing.savepoint-dir")) {
    options.savepoint_dir = config.get_string("execution.checkpointing.savepoint-dir");
  }
  const std::string retention = config.get_enum("execution.checkpointing.externalized-checkpoint-retention");
  using Retention = model::CheckpointOptions::Retention;
  options.retention = retention == "retain_on_cancellation"   ? Retention::retain_on_cancellation
                      : retention == "delete_on_cancellation" ? Retention::delete_on_cancellation
                                                              : Retention::no_externalized_checkpoints;
  // forst (a disaggregated LSM store) is taken as rocksdb: the loader warns.
  options.state_backend = config.get_enum("state.backend.type") == "hashmap" ? model::StateBackend::hashmap
                                                                             : model::StateBackend::rocksdb;
  options.incremental = config.get_bool("execution.checkpointing.incremental");
}

void apply_high_availability_options(const FlinkConfiguration& config,
                                     model::ClusterOptions& options) {
  const std::string type = config.get_enum("high-availability.type");
  options.high_availability.enabled = type == "zookeeper" || type == "kubernetes";
  options.high_availability.kind = type == "kubernetes" ? model::HighAvailabilityKind::kubernetes
                                                        : model::HighAvailabilityKind::zookeeper;
  options.high_availability.lease_duration =
      config.get_duration("high-availability.kubernetes.leader-election.lease-duration");
  options.high_availability.renew_deadline =
      config.get_duration("high-availability.kubernetes.leader-election.renew-deadline");
  options.high_availability.retry_period =
      config.get_duration("high-availability.kubernetes.leader-election.retry-period");
  options.high_availability.session_timeout =
      config.get_duration("high-availability.zookeeper.client.session-timeout");
  options.high_availability.connection_timeout =
      config.get_duration("high-availability.zookeeper.client.connection-timeout");
  options.high_availability.tolerate_suspended_connections =
      config.get_bool("high-availability.zookeeper.client.tolerate-suspended-connections");
  options.batch_job_recovery.enabled = config.get_bool("execution.batch.job-recovery.enabled");
  options.batch_job_recovery.previous_worker_recovery_timeout =
      config.get_duration("execution.batch.job-recovery.previous-worker.recovery.timeout");
  options.batch_job_recovery.snapshot_min_pause =
      config.get_duration("execution.batch.job-recovery.snapshot.min-pause");
  options.batch_job_recovery.flush_interval =
      config.get_duration("job-event.store.write-buffer.flush-interval");
}

}  // namespace

model::ClusterOptions build_cluster_options(const ScenarioSpec& spec) {
  FLINKSIM_ASSERT_MSG(spec.job.has_value(), "a scenario to run needs a job");
  const FlinkConfiguration& config = spec.config;
  model::ClusterOptions options;
  options.deployment = spec.cluster.deployment == Deployment::kubernetes
                           ? model::Deployment::kubernetes
                           : model::Deployment::standalone;
  options.deployment_mode = spec.cluster.deployment_mode == DeploymentMode::application
                                ? model::DeploymentMode::application
                                : model::DeploymentMode::session;
  options.taskmanagers = static_cast<int>(spec.cluster.taskmanagers);
  options.standby_taskmanagers = static_cast<int>(spec.cluster.standby_taskmanagers);
  options.jobmanagers = static_cast<int>(spec.cluster.jobmanagers);
  options.taskmanager_startup = spec.cluster.taskmanager_startup;
  options.pod_watch_delay = spec.cluster.pod_watch_delay;
  options.checkpoint_storage = spec.cluster.checkpoint_storage;
  options.local_recovery.enabled = config.get_bool("execution.state-recovery.from-local");
  options.local_recovery.disk_bytes_per_second = spec.cluster.taskmanager_local_disk_bytes_per_second;
  options.link.latency = spec.network.latency;
  options.link.jitter = spec.network.jitter;
  options.link.bandwidth_bits_per_second = spec.network.bandwidth_bits_per_second;

  options.slots_per_taskmanager = static_cast<int>(config.get_int("taskmanager.numberOfTaskSlots"));
  options.heartbeat.interval = config.get_duration("heartbeat.interval");
  options.heartbeat.timeout = config.get_duration("heartbeat.timeout");
  options.heartbeat.rpc_failure_threshold =
      static_cast<int>(config.get_int("heartbeat.rpc-failure-threshold"));
  options.failover_strategy = config.get_enum("jobmanager.execution.failover-strategy") == "region"
                                  ? model::FailoverStrategyKind::region
                                  : model::FailoverStrategyKind::full;
  // The loader validated the restart strategy, so this cannot fail.
  options.restart_strategy = restart_strategy_options(config).value();
  options.slot_request_timeout = config.get_duration("slot.request.timeout");
  options.ask_timeout = config.get_duration("pekko.ask.timeout");
  options.slot_timeout = config.get_optional_duration("taskmanager.slot.timeout").value_or(options.ask_timeout);
  options.standalone_startup_time = config.get_optional_duration("resourcemanager.standalone.start-up-time");
  options.registration_initial_timeout = config.get_duration("cluster.registration.initial-timeout");
  options.registration_max_timeout = config.get_duration("cluster.registration.max-timeout");
  options.registration_error_delay = config.get_duration("cluster.registration.error-delay");
  apply_data_plane_options(config, options.data_plane);
  options.data_plane.records_per_simulated_record =
      records_per_simulated_record(spec, options.data_plane.default_unbounded_rate);
  apply_checkpoint_options(config, options.checkpointing);
  apply_high_availability_options(config, options);
  options.job = *spec.job;
  options.duration = spec.duration;
  return options;
}

const std::vector<std::string>& simulated_config_keys() {
  // Sorted; keep in step with build_cluster_options, restart_strategy_options and
  // load_scenario_text (approximate local recovery, operator chaining).
  static const std::vector<std::string> keys{
      "cluster.registration.error-delay",
      "cluster.registration.initial-timeout",
      "cluster.registration.max-timeout",
      "execution.batch.job-recovery.enabled",
      "execution.batch.job-recovery.previous-worker.recovery.timeout",
      "execution.batch.job-recovery.snapshot.min-pause",
      "execution.buffer-timeout.interval",
      "execution.checkpointing.aligned-checkpoint-timeout",
      "execution.checkpointing.checkpoints-after-tasks-finish",
      "execution.checkpointing.externalized-checkpoint-retention",
      "execution.checkpointing.incremental",
      "execution.checkpointing.interval",
      "execution.checkpointing.max-concurrent-checkpoints",
      "execution.checkpointing.min-pause",
      "execution.checkpointing.mode",
      "execution.checkpointing.num-retained",
      "execution.checkpointing.savepoint-dir",
      "execution.checkpointing.timeout",
      "execution.checkpointing.tolerable-failed-checkpoints",
      "execution.checkpointing.unaligned.enabled",
      "execution.state-recovery.approximate-local-recovery",
      "execution.state-recovery.from-local",
      "execution.target",
      "heartbeat.interval",
      "heartbeat.rpc-failure-threshold",
      "heartbeat.timeout",
      "high-availability.kubernetes.leader-election.lease-duration",
      "high-availability.kubernetes.leader-election.renew-deadline",
      "high-availability.kubernetes.leader-election.retry-period",
      "high-availability.type",
      "high-availability.zookeeper.client.connection-timeout",
      "high-availability.zookeeper.client.session-timeout",
      "high-availability.zookeeper.client.tolerate-suspended-connections",
      "job-event.store.write-buffer.flush-interval",
      "jobmanager.execution.failover-strategy",
      "pekko.ask.timeout",
      "pipeline.auto-watermark-interval",
      "pipeline.operator-chaining.chain-operators-with-different-max-parallelism",
      "pipeline.operator-chaining.enabled",
      "resourcemanager.standalone.start-up-time",
      "restart-strategy.exponential-delay.attempts-before-reset-backoff",
      "restart-strategy.exponential-delay.backoff-multiplier",
      "restart-strategy.exponential-delay.initial-backoff",
      "restart-strategy.exponential-delay.jitter-factor",
      "restart-strategy.exponential-delay.max-backoff",
      "restart-strategy.exponential-delay.reset-backoff-threshold",
      "restart-strategy.failure-rate.delay",
      "restart-strategy.failure-rate.failure-rate-interval",
      "restart-strategy.failure-rate.max-failures-per-interval",
      "restart-strategy.fixed-delay.attempts",
      "restart-strategy.fixed-delay.delay",
      "restart-strategy.type",
      "slot.request.timeout",
      "state.backend.type",
      "taskmanager.memory.segment-size",
      "taskmanager.network.memory.buffers-per-channel",
      "taskmanager.network.memory.floating-buffers-per-gate",
      "taskmanager.network.memory.max-buffers-per-channel",
      "taskmanager.network.request-backoff.initial",
      "taskmanager.network.request-backoff.max",
      "taskmanager.numberOfTaskSlots",
      "taskmanager.slot.timeout",
  };
  return keys;
}

bool is_simulated_config_key(std::string_view key) {
  const std::vector<std::string>& keys = simulated_config_keys();
  return std::binary_search(keys.begin(), keys.end(), key);
}

namespace {

std::string process_name(const ProcessRef& ref) {
  switch (ref.kind) {
    case ProcessRef::Kind::jobmanager:
      return "jobmanager-" + std::to_string(ref.index);
    case ProcessRef::Kind::jobmanager_leader:
      return "jobmanager-leader";
    case ProcessRef::Kind::taskmanager:
      return "taskmanager-" + std::to_string(ref.index);
    case ProcessRef::Kind::taskmanager_of:
      return "taskmanager-of " + ref.task.to_string();
    default:
      return ref.text;
  }
}

// A moment naming a task by an operator id, "sink:0 pre-committed checkpoint 2", waits for the
// trace events of the task that runs that operator's subtask: its own task when unchained, else
// its chain's ("Source: source -> Sink: sink (1/2)"). In Flink a chained operator has no
// lifecycle of its own either: it snapshots, finishes and fails with its StreamTask.
void resolve_operator_moment(const std::optional<graph::JobGraph>& job,
                             std::optional<model::FaultMoment>& moment) {
  if (!job || !moment) return;
  const size_t colon = moment->component.rfind(':');
  if (colon == std::string::npos) return;
  const std::string digits = moment->component.substr(colon + 1);
  const std::optional<graph::JobVertexId> vertex = job->find_vertex(moment->component.substr(0, colon));
  if (!vertex || digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return;
  const auto subtask = static_cast<uint32_t>(std::stoul(digits));
  if (subtask >= static_cast<uint32_t>(job->vertex(*vertex).parallelism)) return;
  moment->component = graph::task_name(*job, graph::ExecutionVertexId{*vertex, subtask});
}

}  // namespace

model::FaultPlan build_fault_plan(const ScenarioSpec& spec, FaultSelection selection) {
  model::FaultPlan plan;
  if (selection == FaultSelection::without_faults) return plan;
  for (const FaultSpec& fault : spec.faults) {
    model::Fault out;
    out.at = fault.after ? sim::Instant::max() : sim::Instant::zero() + fault.at;
    out.after = fault.after;
    resolve_operator_moment(spec.job, out.after);
    switch (fault.kind) {
      case FaultKind::kill: out.kind = model::Fault::Kind::kill; break;
      case FaultKind::restart: out.kind = model::Fault::Kind::restart; break;
      case FaultKind::fail_task: out.kind = model::Fault::Kind::fail_task; break;
      case FaultKind::partition: out.kind = model::Fault::Kind::partition; break;
      case FaultKind::outage: out.kind = model::Fault::Kind::outage; break;
      case FaultKind::slow: out.kind = model::Fault::Kind::slow; break;
    }
    if (fault.kind == FaultKind::fail_task) {
      out.target = fault.task.to_string();
    } else {
      out.target = process_name(fault.processes.at(0));
      if (fault.processes.size() > 1) out.peer = process_name(fault.processes[1]);
    }
    out.duration = fault.lasts;
    out.one_way = fault.direction == PartitionDirection::one_way;
    out.extra_latency = fault.extra_latency;
    plan.faults.push_back(std::move(out));
  }
  for (const JobActionSpec& action : spec.job_actions) {
    plan.actions.push_back(action.action);
    resolve_operator_moment(spec.job, plan.actions.back().after);
  }
  if (!spec.random_faults.empty()) {
    const RandomFaultSpec& random = spec.random_faults.front();
    plan.random = model::RandomFaults{random.kill_taskmanager_per_second, random.fail_task_per_second,
                                      sim::Instant::zero() + random.until};
  }
  return plan;
}

}  // namespace flinksim::scenarios
