#pragma once

// Everything the simulated cluster reads from a scenario, as typed values with Flink's defaults.
// The scenarios layer fills it from the YAML file and the Flink configuration keys; the model
// never parses text. Each field names the Flink key it comes from.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/graph/job_graph.h"
#include "sim/network.h"
#include "sim/time.h"
#include "strategies/restart_backoff_time_strategy_factory.h"

namespace flinksim::model {

enum class Deployment { standalone, kubernetes };
// Session: the cluster runs jobs submitted to it, kept by the Dispatcher. Application (and
// per-job): the JobManager runs the job's main itself (ApplicationDispatcherBootstrap), so every
// start of a JobManager process submits the job.
enum class DeploymentMode { session, application };
enum class FailoverStrategyKind { full, region };

struct HeartbeatOptions {
  sim::Duration interval = sim::Duration::seconds(10);  // heartbeat.interval
  sim::Duration timeout = sim::Duration::seconds(50);   // heartbeat.timeout
  int rpc_failure_threshold = 2;                        // heartbeat.rpc-failure-threshold
};

// The data plane's settings (Flink's NettyShuffleEnvironmentOptions and pipeline options).
struct DataPlaneOptions {
  int64_t segment_size_bytes = 32 * 1024;     // taskmanager.memory.segment-size
  int buffers_per_channel = 2;                // taskmanager.network.memory.buffers-per-channel
  int floating_buffers_per_gate = 8;          // taskmanager.network.memory.floating-buffers-per-gate
  int max_buffers_per_channel = 10;           // taskmanager.network.memory.max-buffers-per-channel
  sim::Duration buffer_timeout = sim::Duration::milliseconds(100);  // execution.buffer-timeout.interval
  sim::Duration auto_watermark_interval = sim::Duration::milliseconds(200);  // pipeline.auto-watermark-interval
  sim::Duration request_backoff_initial = sim::Duration::milliseconds(100);  // taskmanager.network.request-backoff.initial
  sim::Duration request_backoff_max = sim::Duration::seconds(10);  // taskmanager.network.request-backoff.max
  // Serialized size of one real record; a data buffer holds segment size / record size records.
  int64_t record_size_bytes = 64;
  // A simulated record stands for this many real records of its key (docs/data-plane.md): sources
  // produce rate / n of them, each weighs n records on the wire and in CPU cost, and the oracle
  // counts each lost or duplicated one n times. 1 = every record is simulated.
  int64_t records_per_simulated_record = 1;
  int64_t simulated_record_size_bytes() const { return record_size_bytes * records_per_simulated_record; }
  // An unbounded source without `rate` produces this many records per second per subtask, so
  // that a run of minutes stays cheap to simulate.
  double default_unbounded_rate = 1000;
  // Keys a source draws from when the scenario does not say.
  int64_t default_keys = 1000;

  int records_per_buffer() const {
    const int64_t n = segment_size_bytes / std::max<int64_t>(simulated_record_size_bytes(), 1);
    return static_cast<int>(std::max<int64_t>(n, 1));
  }
};

enum class CheckpointingMode { exactly_once, at_least_once };

// state.backend.type: how keyed state is kept and snapshotted (Flink's StateBackendOptions).
// hashmap (HashMapStateBackend, the default): objects on the heap, every snapshot writes the
// whole state. rocksdb (EmbeddedRocksDBStateBackend): SST files on local disk; with
// execution.checkpointing.incremental a snapshot uploads only the files created since the last
// completed checkpoint.
enum class StateBackend { hashmap, rocksdb };

// execution.checkpointing.*; checkpointing is off while `interval` is unset.
struct CheckpointOptions {
  std::optional<sim::Duration> interval;                              // .interval
  CheckpointingMode mode = CheckpointingMode::exactly_once;          // .mode
  sim::Duration timeout = sim::Duration::minutes(10);                // .timeout
  sim::Duration min_pause = sim::Duration::zero();                   // .min-pause
  int max_concurrent = 1;                                            // .max-concurrent-checkpoints
  int tolerable_failures = 0;                                        // .tolerable-failed-checkpoints
  int num_retained = 1;                                              // .num-retained
  bool unaligned = false;                                            // .unaligned.enabled
  // .aligned-checkpoint-timeout: with unaligned checkpoints, start aligned and switch to
  // unaligned once alignment has taken this long at a task; zero = unaligned from the start.
  sim::Duration aligned_checkpoint_timeout = sim::Duration::zero();
  // .checkpoints-after-tasks-finish (FLIP-147): tasks that ended their data wait for a final
  // checkpoint before they finish, and checkpoints go on with finished tasks.
  bool checkpoints_after_tasks_finish = true;
  // .savepoint-dir: where savepoints go; without it Flink refuses a savepoint request that
  // names no directory (docs/savepoints.md).
  std::optional<std::string> savepoint_dir;
  // .externalized-checkpoint-retention: whether the latest checkpoint outlives its job
  // (ExternalizedCheckpointRetention → CheckpointProperties' discard flags).
  enum class Retention { no_externalized_checkpoints, delete_on_cancellation, retain_on_cancellation };
  Retention retention = Retention::no_externalized_checkpoints;
  StateBackend state_backend = StateBackend::hashmap;  // state.backend.type
  // .incremental; only the rocksdb backend takes incremental snapshots, hashmap ignores it.
  bool incremental = false;
  bool incremental_snapshots() const { return incremental && state_backend == StateBackend::rocksdb; }
  // A deliberately wrong sink for testing the oracle: transactions commit when the snapshot is
  // taken instead of when the checkpoint completes. Never set by scenarios.
  bool planted_commit_on_snapshot = false;
  bool enabled() const { return interval.has_value(); }
};

// cluster.checkpoint-storage (flinksim's, not Flink's): bytes per second a transfer may move on
// its connection (uploads write, restores read) and all transfers together (0 = no limit).
struct CheckpointStorageBandwidth {
  int64_t write_bytes_per_second = 100'000'000;
  int64_t read_bytes_per_second = 100'000'000;
  int64_t total_bytes_per_second = 0;
};

// execution.state-recovery.from-local: a TaskManager keeps a local copy of the state its tasks
// snapshotted (Flink's TaskLocalStateStore); a task restored on that TaskManager reads the copy
// from its disk at cluster.taskmanager-local-disk-bandwidth instead of the checkpoint storage.
struct LocalRecoveryOptions {
  bool enabled = false;
  int64_t disk_bytes_per_second = 500'000'000;
};

// high-availability.*: with `zookeeper`, JobManagers elect a leader through the `zookeeper`
// process and keep jobs, checkpoint pointers and the checkpoint id counter there.
struct HighAvailabilityOptions {
  bool enabled = false;                                        // high-availability.type: zookeeper
  sim::Duration session_timeout = sim::Duration::seconds(60);  // .zookeeper.client.session-timeout
  sim::Duration connection_timeout =
      sim::Duration::seconds(15);               // .zookeeper.client.connection-timeout
  bool tolerate_suspended_connections = false;  // .zookeeper.client.tolerate-suspended-connections
};

// execution.batch.job-recovery.* (FLIP-383): a new leader recovers a batch job's progress.
struct BatchJobRecoveryOptions {
  bool enabled = false;  // .enabled
  // .previous-worker.recovery.timeout: how long a new leader waits for TaskManagers to report
  // the partitions they still hold.
  sim::Duration previous_worker_recovery_timeout = sim::Duration::seconds(30);
  // .snapshot.min-pause: a finished subtask's event carries the coordinators' and shuffle
  // master's snapshot when its job vertex finished with it or this long after the last one.
  sim::Duration snapshot_min_pause = sim::Duration::minutes(3);
  // job-event.store.write-buffer.flush-interval: how often buffered job events are written out.
  sim::Duration flush_interval = sim::Duration::seconds(1);
};

struct ClusterOptions {
  // cluster:
  Deployment deployment = Deployment::standalone;
  DeploymentMode deployment_mode = DeploymentMode::session;
  int taskmanagers = 1;
  int standby_taskmanagers = 0;
  int jobmanagers = 1;
  sim::Duration taskmanager_startup = sim::Duration::seconds(5);
  // Kubernetes: from a TaskManager pod's death until the ResourceManager's pod watch reports it
  // (the kubelet notices a dead container on its next relist, every second).
  sim::Duration pod_watch_delay = sim::Duration::seconds(1);
  // Time a JobManager or TaskManager process needs from (re)start until its RPC endpoints
  // serve; zero keeps timelines easy to check by hand.
  sim::Duration process_startup = sim::Duration::zero();

  // network:
  sim::LinkProperties link;

  // Flink configuration.
  int slots_per_taskmanager = 1;  // taskmanager.numberOfTaskSlots
  HeartbeatOptions heartbeat;
  FailoverStrategyKind failover_strategy = FailoverStrategyKind::region;
  strategies::RestartStrategyOptions restart_strategy;
  sim::Duration slot_request_timeout = sim::Duration::minutes(5);  // slot.request.timeout
  // taskmanager.slot.timeout: falls back to the RPC ask timeout (pekko.ask.timeout, 10 s).
  sim::Duration slot_timeout = sim::Duration::seconds(10);
  sim::Duration ask_timeout = sim::Duration::seconds(10);  // pekko.ask.timeout
  // resourcemanager.standalone.start-up-time; unset = slot.request.timeout.
  std::optional<sim::Duration> standalone_startup_time;
  // cluster.registration.initial-timeout / max-timeout / refused-registration-delay.
  sim::Duration registration_initial_timeout = sim::Duration::milliseconds(100);
  sim::Duration registration_max_timeout = sim::Duration::seconds(30);
  sim::Duration registration_error_delay = sim::Duration::seconds(10);  // cluster.registration.error-delay

  // Task lifecycle costs: DEPLOYING → INITIALIZING → RUNNING.
  sim::Duration task_deploy_time = sim::Duration::milliseconds(50);
  sim::Duration task_initialize_time = sim::Duration::milliseconds(100);
  sim::Duration task_cancel_time = sim::Duration::milliseconds(10);

  DataPlaneOptions data_plane;
  CheckpointOptions checkpointing;
  CheckpointStorageBandwidth checkpoint_storage;
  LocalRecoveryOptions local_recovery;
  HighAvailabilityOptions high_availability;
  BatchJobRecoveryOptions batch_job_recovery;
  uint64_t seed = 1;  // the scenario's seed: the source log's content derives from it

  graph::JobGraph job;
  sim::Duration duration = sim::Duration::minutes(10);  // scenario duration: the liveness bound
};

}  // namespace flinksim::model
