#pragma once

// A scenario file (../shared/design/SCENARIOS.md §2) as an immutable value: what the cluster
// looks like, how the network behaves, the Flink configuration, the job, the faults to inject and
// the expectations to check. The loader (scenario_loader.h) builds it and validates everything a
// scenario can get wrong before anything runs; later layers only read it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster_options.h"
#include "model/fault.h"
#include "model/graph/job_graph.h"
#include "scenarios/diagnostics.h"
#include "scenarios/flink_configuration.h"
#include "scenarios/yaml_document.h"
#include "sim/time.h"

namespace flinksim::scenarios {

enum class Deployment { standalone, kubernetes };
// A session cluster runs jobs submitted to it; an application cluster runs the job's main itself
// (and so does a per-job cluster), so it submits the job again whenever its JobManager starts.
enum class DeploymentMode { session, application };

struct ClusterSpec {
  Deployment deployment = Deployment::standalone;
  // `deployment-mode`, or what `execution.target` implies; unset = session.
  std::optional<DeploymentMode> deployment_mode;
  int64_t taskmanagers = 1;
  // Idle TaskManagers registered from the start; numbered after the others.
  int64_t standby_taskmanagers = 0;
  int64_t jobmanagers = 1;
  // Time a replacement TaskManager needs before it registers (kubernetes deployment).
  sim::Duration taskmanager_startup = sim::Duration::seconds(5);
  sim::Duration pod_watch_delay = sim::Duration::seconds(1);
  // checkpoint-storage: bandwidths in bytes per second (per connection; total 0 = unlimited).
  model::CheckpointStorageBandwidth checkpoint_storage;
  // A TaskManager's disk, which local recovery reads (bytes per second).
  int64_t taskmanager_local_disk_bytes_per_second = 500'000'000;

  int64_t total_taskmanagers() const { return taskmanagers + standby_taskmanagers; }
};

struct NetworkSpec {
  sim::Duration latency = sim::Duration::milliseconds(1);
  sim::Duration jitter = sim::Duration::zero();
  int64_t bandwidth_bits_per_second = 10'000'000'000;  // 10 gbps
};

// `simulation:` — flinksim's own knobs, not Flink's: how coarse the data plane may be.
// A simulated record stands for `records_per_simulated_record` real records of the same key
// (docs/data-plane.md); unset = chosen from the budget of simulated source records per second.
struct SimulationSpec {
  std::optional<int64_t> records_per_simulated_record;
  int64_t simulated_records_per_second = 100'000;
  // Code-level fault sites switched on by the seed (sim/buggify.h); off unless asked for.
  bool buggify = false;
};

// A task named in a fault: VERTEX:SUBTASK ("window:1").
struct TaskRef {
  std::string vertex;
  int64_t subtask = 0;
  std::string to_string() const { return vertex + ":" + std::to_string(subtask); }
};

// A process named in a fault (SCENARIOS.md §2 "Process names").
struct ProcessRef {
  enum class Kind {
    jobmanager,          // jobmanager-N
    jobmanager_leader,   // whichever JobManager leads when the fault fires
    taskmanager,         // taskmanager-N (standby TaskManagers are numbered after the others)
    taskmanager_of,      // the TaskManager running `task` when the fault fires
    zookeeper,
    kubernetes_api_server,
    checkpoint_storage,
    source_log,
    sink_store,
  };
  Kind kind = Kind::taskmanager;
  int64_t index = 0;  // jobmanager and taskmanager
  TaskRef task;       // taskmanager_of
  std::string text;   // as written, for messages and traces
};

enum class FaultKind {
  kill,       // the process crashes; it comes back only if restarted (or replaced, kubernetes)
  restart,    // a killed process starts again
  fail_task,  // the task throws
  partition,  // the network between two processes is cut
  outage,     // an external service (zookeeper, checkpoint-storage, ...) stops answering
  slow,       // the link between two processes gets extra latency
};

enum class PartitionDirection { both, one_way };

struct FaultSpec {
  sim::Duration at;  // unless `after` is set
  // `after: "checkpoint 3 completed + 5 ms"`: the protocol moment the fault waits for
  // (fault_moment.h), with the task or JobManager it names, checked against the job and cluster.
  std::optional<model::FaultMoment> after;
  std::optional<TaskRef> after_task;
  std::optional<int64_t> after_jobmanager;
  SourceLocation after_location;
  FaultKind kind = FaultKind::kill;
  // kill, restart, outage: one process; partition, slow: two (the first is the sender for
  // a one-way partition); fail_task: none.
  std::vector<ProcessRef> processes;
  TaskRef task;  // fail_task
  // partition, outage, slow: how long it lasts; unset = until the end of the run.
  std::optional<sim::Duration> lasts;
  PartitionDirection direction = PartitionDirection::both;  // partition
  sim::Duration extra_latency = sim::Duration::zero();      // slow
  SourceLocation location;  // of the list entry, for errors found later
  std::string path;         // "faults[3]"
  // Of the action's value (the process or task named), for errors about the target.
  SourceLocation target_location;
  std::string target_path;  // "faults[3].kill"
};

// An operator action among the faults (`savepoint: job`, `stop-with-savepoint: job`,
// `cancel: job`, `start-from-savepoint: latest`, ...; scenarios/job_action_reader.h).
struct JobActionSpec {
  model::JobAction action;  // `at` relative to the start; Instant::max() with `after`
  SourceLocation location;
  std::string path;  // "faults[3]"
};

// Seeded faults: `random: {kill-taskmanager: 1/10min, fail-task: 1/5min, until: 8 min}`.
struct RandomFaultSpec {
  double kill_taskmanager_per_second = 0;
  double fail_task_per_second = 0;
  sim::Duration from = sim::Duration::zero();
  sim::Duration until;
  SourceLocation location;
  std::string path;
};

// suspended: with high availability, no JobManager runs the job at the end; it lives on in the
// HA stores.
enum class FinalStatus { finished, running, failed, canceled, lost, suspended };

struct ExpectSpec {
  std::optional<bool> exactly_once;
  std::optional<FinalStatus> final_status;
  std::optional<sim::Duration> recovery_time_max;
  std::optional<int64_t> tasks_restarted_max;
  std::optional<int64_t> records_lost_max;
  std::optional<int64_t> records_duplicated_max;
  std::optional<int64_t> failovers_max;
  std::optional<int64_t> failovers_min;
  std::optional<int64_t> checkpoints_completed_min;
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  uint64_t seed = 1;
  sim::Duration duration = sim::Duration::minutes(10);
  ClusterSpec cluster;
  NetworkSpec network;
  SimulationSpec simulation;
  FlinkConfiguration config;
  // Where each explicitly set config key was written ("<command line>" for --conf).
  std::map<std::string, SourceLocation> config_locations;
  // The job as it runs: the operators of stream_graph chained by Flink's rules
  // (graph::chain_operators, `pipeline.operator-chaining.enabled`).
  std::optional<graph::JobGraph> job;
  // The job as loaded by load_job (scenarios/job_loader.h): one vertex per operator.
  std::optional<graph::JobGraph> stream_graph;
  // The `job:` node as written, kept for tools that reread it (e.g. `flinksim graph`).
  std::optional<NodeRef> job_node;
  std::vector<FaultSpec> faults;  // in file order
  std::vector<JobActionSpec> job_actions;  // operator actions among the faults, in file order
  std::vector<RandomFaultSpec> random_faults;
  ExpectSpec expect;

  std::string file;          // as given by the user
  std::string content_hash;  // FNV-1a 64 of the file's bytes, 16 hex digits (results database)
  // --conf overrides applied after loading, "KEY=VALUE" as given, in order.
  std::vector<std::string> conf_overrides;
  // Non-fatal findings (deprecated keys), formatted "FILE:LINE:COL: warning: MESSAGE".
  std::vector<std::string> warnings;
};

std::string_view to_string(Deployment deployment);
std::string_view to_string(FaultKind kind);
std::string_view to_string(FinalStatus status);  // upper case, as in the contract: "FINISHED"

// The failover strategy label of a configuration, for results and reports: "full", "region" or
// "approximate" (region failover with approximate local recovery).
std::string strategy_label(const FlinkConfiguration& config);

}  // namespace flinksim::scenarios
