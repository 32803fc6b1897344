#pragma once

// A simulated Flink cluster: JobManager and TaskManager processes on their own hosts, the fault
// plan that strikes them, and the recorder that turns the job's observable behaviour into the
// run's metrics. Building and running a cluster is all `flinksim run` needs from the model.

#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster_options.h"
#include "model/fault.h"
#include "model/invariant_monitor.h"
#include "model/ha/kubernetes_api_server.h"
#include "model/ha/zookeeper_process.h"
#include "model/dispatcher/job_manager_process.h"
#include "model/jobmaster/job_observer.h"
#include "model/checkpoint/checkpoint_coordinator.h"
#include "model/checkpoint/checkpoint_storage.h"
#include "model/sink_store.h"
#include "model/taskexecutor/task_executor.h"
#include "sim/context.h"

namespace flinksim::model {

struct FailoverRecord {
  sim::Instant time;
  std::string failed_task;
  std::vector<std::string> restarted_tasks;  // sorted task ids
  sim::Duration delay;
  std::string cause;  // the failure's message
  // What failed the task, when more than the task itself: "taskmanager-2 lost (heartbeat
  // timeout)". Empty for a task's own failure.
  std::string origin;
  // A task failure's: what the failover strategy decided from (empty for a global failover).
  FailoverInputs inputs;
};

// A savepoint an operator action asked for (id 0: it never got one).
struct SavepointRecord {
  int64_t id = 0;
  std::string type;  // "savepoint", "stop-with-savepoint", "stop-with-savepoint --drain"
  sim::Instant triggered;
  std::optional<sim::Duration> duration;  // unset: it failed
  int64_t size_bytes = 0;
  std::string failure;
};

// One submission of the job: the first at start, then one per start-from-* action.
struct JobSubmission {
  sim::Instant submitted;
  std::optional<int64_t> restored_from;  // the savepoint's or checkpoint's id
  std::string restored_kind;              // "savepoint" | "checkpoint" | ""
  JobStatus status = JobStatus::created;  // its last known status
  std::optional<sim::Instant> ended_at;
  // From the stop or cancel that ended the previous submission until every task of this one
  // ran again (unset while not all do): an upgrade's downtime.
  std::optional<sim::Duration> downtime;
};

struct RunMetrics {
  JobStatus final_status = JobStatus::created;
  int failovers = 0;
  int64_t tasks_restarted = 0;
  // Of those, restarts of tasks that had not started since their last reset (CREATED or
  // SCHEDULED: a batch consumer still waiting for its blocking input, a task waiting for a
  // slot): Flink resets them with their region, but no work is lost or done again.
  int64_t tasks_restarted_not_started = 0;
  // Largest recovery over failure episodes; unset when no failover happened.
  std::optional<sim::Duration> recovery_time_max;
  // Where the last failure episode began (its fault), for catch-up times.
  std::optional<sim::Instant> last_episode_start;
  // When the last episode that recovered did (every task RUNNING or FINISHED again).
  std::optional<sim::Instant> last_episode_recovered;
  // Episodes that had not recovered when the run ended.
  int unrecovered_episodes = 0;
  sim::Duration downtime;
  std::vector<FailoverRecord> failover_log;
  std::optional<sim::Instant> finished_at;
  // When the job reached its final status (FINISHED, FAILED, CANCELED) or was lost (its only
  // JobManager died without high availability); unset while it runs.
  std::optional<sim::Instant> ended_at;
  // Flink's reason for failing the job ("Recovery is suppressed by ..."), once it FAILED.
  std::optional<std::string> failure_reason;
  // Faults of the plan never injected: the run had ended before their time (a bounded job that
  // finished first), in plan order.
  std::vector<Fault> faults_not_applied;
  // What the sinks made visible in the sink store, in commit order.
  std::vector<CommittedRecord> committed_output;
  // Transactions the sink store discarded: open ones of failed sink attempts.
  int64_t sink_transactions_aborted = 0;
  // Of those, the ones the store aborted because they stayed open longer than their timeout
  // (Kafka's transaction.timeout.ms), and the records they held (simulated records).
  int64_t sink_transactions_timed_out = 0;
  int64_t sink_records_timed_out = 0;
  runtime::DataPlaneStats data_plane;
  // The first safety invariant the run broke (model/invariant_monitor.h), with the seed; the run
  // stopped there.
  std::optional<std::string> invariant_violation;
  // Operator actions (cluster_job_actions.cc): savepoints, submissions, and what they refused.
  std::vector<SavepointRecord> savepoints;
  std::vector<JobSubmission> submissions;
  std::vector<std::string> actions_refused;
  // Of the JobMaster that knew the job last; unset when checkpointing is off.
  std::optional<checkpoint::CheckpointStats> checkpoints;
};

class Cluster final : public JobObserver {
 public:
  Cluster(sim::Context& context, ClusterOptions options, FaultPlan plan);
  ~Cluster() override;
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Starts every process at time zero and runs until the job ends or `duration` passes.
  void run();
  const RunMetrics& metrics() const { return metrics_; }
  const ClusterOptions& options() const { return options_; }

 private:
  void add_taskmanager(sim::Duration startup_delay);
  void schedule_fault(size_t index);
  // Every trace event: the invariant monitor, then faults waiting for a protocol moment
  // (Fault::after), each of which strikes after the first trace event that matches its moment.
  void on_trace_event(const sim::TraceEvent& event);
  void inject(const Fault& fault);
  void slow_down(const Fault& fault);
  void schedule_random_kill(sim::Rng& rng);
  void report_pod_terminated(const TaskManagerProcess& taskmanager);
  void schedule_random_task_failure(sim::Rng& rng);
  // Resolves a process name at the moment of a fault; nullptr when none matches.
  sim::Process* resolve(const std::string& name);
  // A fault that may start a failure episode; `stops_tasks` when it stopped running tasks.
  void note_fault(bool stops_tasks = false);
  bool runs_tasks(const sim::Process& process) const;
  // The checkpoint statistics of every JobMaster that ran the job, merged in time order.
  std::optional<checkpoint::CheckpointStats> merged_checkpoint_stats() const;
  void update_episode();
  void close_unrecovered_episode(sim::Instant time);
  // Without high availability the job dies with the last JobManager that knew it.
  void note_job_lost_if_unknown();
  void close_lost_episode();
  void record_faults_not_applied();
  // Operator actions (cluster_job_actions.cc).
  void schedule_action(size_t index);
  void perform_action(size_t index);
  void trigger_savepoint_action(const JobAction& action);
  void resubmit_action(const JobAction& action);
  std::optional<checkpoint::CompletedCheckpoint> retained_checkpoint(std::string& refusal) const;
  void refuse_action(const JobAction& action, const std::string& why);
  // The JobManager whose Dispatcher takes the actions: the leader (without HA, the live one).
  JobManagerProcess* acting_jobmanager() const;
  JobStatus acting_job_status() const;
  // Whether an action will still submit the job again: its end does not end the run.
  bool resubmission_pending() const;
  void note_submission_status(sim::Instant time, JobStatus status);
  void note_submission_running();
  // JobObserver
  void on_job_status(sim::Instant time, LeaderSessionId session, JobStatus status) override;
  void on_task_state(sim::Instant time, LeaderSessionId session, graph::ExecutionVertexId vertex,
                     ExecutionState state) override;
  // Whether a report comes from the newest leadership seen; a newer one starts a fresh view of
  // the tasks. Reports of a deposed leader do not count towards recovery.
  bool from_newest_leader(LeaderSessionId session);
  int64_t not_started(const std::vector<graph::ExecutionVertexId>& tasks) const;
  void on_failover(sim::Instant time, LeaderSessionId session,
                   std::optional<graph::ExecutionVertexId> failed,
                   const std::vector<graph::ExecutionVertexId>& restarted, sim::Duration delay,
                   const FailureCause& cause) override;
  void on_failover_inputs(const FailoverInputs& inputs) override;
  void on_leader_recovery(sim::Instant time) override;
  void on_job_failing(sim::Instant time, LeaderSessionId session, const std::string& reason) override;
  void on_job_result_recorded(sim::Instant time, JobStatus status) override;

  sim::Context& context_;
  ClusterOptions options_;
  FaultPlan plan_;
  std::vector<bool> fault_applied_;  // per plan_.faults entry
  std::vector<bool> action_applied_;  // per plan_.actions entry
  std::optional<checkpoint::CompletedCheckpoint> latest_savepoint_;
  bool latest_savepoint_native_ = false;  // `format: native`
  // When a stop or cancel action stopped the current submission's processing.
  std::optional<sim::Instant> stopped_at_;
  FailoverInputs next_failover_inputs_;  // for the failover being reported
  InvariantMonitor invariants_;
  ClusterDirectory directory_;
  std::vector<std::unique_ptr<JobManagerProcess>> jobmanagers_;
  std::vector<std::unique_ptr<TaskManagerProcess>> taskmanagers_;
  std::unique_ptr<SinkStoreProcess> sink_store_;
  std::unique_ptr<checkpoint::CheckpointStorageProcess> checkpoint_storage_;
  std::unique_ptr<ha::ZooKeeperProcess> zookeeper_;  // with ZooKeeper high availability only
  // With Kubernetes high availability only.
  std::unique_ptr<ha::KubernetesApiServer> kubernetes_api_server_;
  std::unique_ptr<sim::Rng> random_kill_rng_;
  std::unique_ptr<sim::Rng> random_task_rng_;
  RunMetrics metrics_;
  // The task states as the newest leader reports them.
  std::map<graph::ExecutionVertexId, ExecutionState> task_states_;
  // Tasks whose current attempt was deployed (see not_started).
  std::set<graph::ExecutionVertexId> deployed_;
  LeaderSessionId newest_leader_;
  std::optional<sim::Instant> pending_fault_;
  std::optional<sim::Instant> pending_disruption_;  // the first fault that stopped tasks
  std::optional<sim::Instant> episode_start_;
  std::optional<sim::Instant> episode_disruption_;
  bool leader_recovery_ = false;  // the next failover is a new leader's recovery
  std::optional<sim::Instant> job_lost_at_;
  JobStatus job_status_ = JobStatus::created;
};

}  // namespace flinksim::model
