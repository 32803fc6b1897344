#pragma once

// The JobMaster's CheckpointCoordinator: periodic triggering through the CheckpointRequestDecider,
// PendingCheckpoints with their timeout canceller, completion into the CompletedCheckpointStore,
// and failures through the CheckpointFailureManager, which may ask for a global failover.

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/checkpoint/checkpoint_failure_manager.h"
#include "model/checkpoint/checkpoint_messages.h"
#include "model/checkpoint/checkpoint_request_decider.h"
#include "model/checkpoint/completed_checkpoint_store.h"
#include "model/cluster_options.h"
#include "sim/assert.h"
#include "sim/lifetime.h"
#include "sim/process.h"
#include "sim/rng.h"

namespace flinksim::model::checkpoint {

struct CheckpointStats {
  int64_t completed = 0;
  int64_t failed = 0;
  std::vector<CheckpointId> restored_from;
  std::vector<sim::Duration> durations;  // trigger to completion
  // What each completed checkpoint uploaded, all subtasks together (Flink's checkpointed data
  // size: the whole state, or with incremental snapshots what changed).
  std::vector<int64_t> sizes_bytes;
};

// What the coordinator needs from the JobMaster.
class CheckpointCoordinatorHost {
 public:
  virtual ~CheckpointCoordinatorHost() = default;
  // One task of the checkpoint plan (Flink's CheckpointPlan): triggered (a source, or with
  // finished tasks a running task whose producers all finished), only awaited, or finished.
  struct RunningTask {
    ExecutionAttemptId attempt;
    sim::EndpointId location;
    bool trigger = false;
    bool finished = false;  // recorded with its last state, neither triggered nor awaited
  };
  // The checkpoint plan, or nullopt when not all required tasks are running.
  virtual std::optional<std::vector<RunningTask>> tasks_to_checkpoint() const = 0;
  virtual void send_to_task(sim::EndpointId location, sim::MessagePtr message,
                            sim::FailureCallback on_failure = nullptr) = 0;
  // CheckpointFailureManager's callback: "Exceeded checkpoint tolerable failure threshold."
  virtual void on_tolerable_failures_exceeded(const std::string& reason) = 0;
  // Makes a completed checkpoint durable before it counts (with high availability: its metadata
  // and a pointer in the HA store); `done` reports the outcome, possibly later.
  virtual void persist_completed(const CompletedCheckpoint& checkpoint,
                                 std::function<void(bool)> done) {
    (void)checkpoint;
    done(true);
  }
  // CheckpointIDCounter.getAndIncrement: the coordinator wants to use `id`; `done(false)` when
  // the counter cannot be advanced (with high availability: ZooKeeper is out of reach).
  virtual void acquire_checkpoint_id(CheckpointId id, std::function<void(bool)> done) {
    (void)id;
    done(true);
  }
};

// The answer to a savepoint request (CheckpointCoordinator#triggerSavepoint's future): the
// completed savepoint, or why it failed, and whether its trigger reached the tasks.
struct SavepointResult {
  SnapshotType type = SnapshotType::savepoint;
  CheckpointId id = 0;  // 0: no id was drawn
  sim::Instant triggered;
  std::optional<CompletedCheckpoint> savepoint;
  std::string failure;  // the CheckpointFailureReason, when `savepoint` is unset
  bool reached_tasks = false;
  int64_t bytes = 0;
};
using SavepointCallback = std::function<void(const SavepointResult&)>;

class CheckpointCoordinator {
 public:
  CheckpointCoordinator(sim::Process& process, const CheckpointOptions& options,
                        CheckpointCoordinatorHost& host, LeaderSessionId leader_session, sim::Rng rng);
  ~CheckpointCoordinator();

  void start_scheduler();
  void stop_scheduler();
  // A savepoint (checkpoint/savepoint_entry.cc): not periodic, past the request decider's
  // limits, never in the CompletedCheckpointStore; `done` gets the outcome.
  void trigger_savepoint(SnapshotType type, SavepointCallback done);
  void on_acknowledge(const AcknowledgeCheckpoint& ack);
  void on_decline(const DeclineCheckpoint& decline);
  // A task FINISHED while checkpoints awaited it: it counts as finished in them (FLIP-147).
  void on_task_finished(const ExecutionAttemptId& attempt);
  // Aborts every pending checkpoint, not counted by the CheckpointFailureManager.
  void abort_pending(const std::string& reason);
  // The latest completed checkpoint, which every restore uses.
  const CompletedCheckpoint* latest_completed() const;
  // Whether a checkpoint every task acknowledged is still waiting for the HA store. Flink adds it
  // to the CompletedCheckpointStore under the coordinator's lock, and a restore takes the same
  // lock, so no restore happens before the outcome is known.
  bool finalizing() const { return finalizing_ > 0; }
  // Runs `callback` once no checkpoint is finalizing (at once when none is).
  void when_finalized(std::function<void()> callback);
  // Invariant: every restore uses the latest completed checkpoint.
  void note_restore(CheckpointId id) {
    FLINKSIM_ASSERT(latest_completed() != nullptr && latest_completed()->id == id);
    stats_.restored_from.push_back(id);
  }
  const CheckpointStats& stats() const { return stats_; }
  // The newest checkpoint this coordinator gave up on (aborted, expired, declined, subsumed), or
  // that an earlier leader started: a task deployed now treats its barriers as stale.
  CheckpointId last_aborted() const { return last_aborted_; }
  // A new leader's coordinator: the latest completed checkpoint from the HA store, and the next
  // id from the checkpoint id counter (CheckpointCoordinator.restoreLatestCheckpointedState).
  void recover(std::optional<CompletedCheckpoint> latest, CheckpointId next_id);

 private:
  struct PendingCheckpoint {
    CheckpointId id = 0;
    sim::Instant triggered;
    std::map<ExecutionAttemptId, sim::EndpointId> awaiting;
    std::map<ExecutionAttemptId, sim::EndpointId> acknowledged;
    std::map<graph::ExecutionVertexId, TaskStateSnapshot> states;
    sim::TimerId canceller;
    SnapshotType type = SnapshotType::checkpoint;
    SavepointCallback on_savepoint;  // savepoints only
  };
  // Guards network callbacks and HA store answers that may outlive the coordinator.
  sim::Lifetime lifetime_;

  void schedule_trigger(sim::Duration delay);
  // CheckpointCoordinator.executeQueuedRequest: the first queued periodic request, if its turn.
  void execute_queued();
  void execute_queued_soon();
  void trigger();
  // False when the checkpoint plan has nothing to trigger (NOT_ALL_REQUIRED_TASKS_RUNNING).
  bool start_pending(CheckpointId id, SnapshotType type = SnapshotType::checkpoint,
                     SavepointCallback on_savepoint = nullptr);
  void complete_savepoint(PendingCheckpoint pending);
  // A completed checkpoint (or synchronous savepoint) subsumes the pending ones older than it,
  // and its tasks are told it completed (notifyCheckpointComplete: sinks commit).
  void subsume_pending_older_than(CheckpointId id);
  void notify_complete(const PendingCheckpoint& pending);
  void fail_savepoint(const PendingCheckpoint& pending, const std::string& reason);
  // The checkpoint id counter refused `id` (ZooKeeper SUSPENDED or LOST).
  void on_trigger_failure(CheckpointId id);
  void complete(PendingCheckpoint pending);
  void on_persisted(PendingCheckpoint pending, bool persisted);
  // `task_level`: a task declined (CheckpointFailureManager#handleTaskLevelCheckpointException);
  // otherwise the JobManager side failed it (never counted for a savepoint).
  void fail_pending(CheckpointId id, const std::string& reason, bool counted, bool task_level = false);
  // A finished task's state: what it acknowledged last, from the latest completed checkpoint.
  std::optional<TaskStateSnapshot> finished_state(const graph::ExecutionVertexId& vertex) const;

  sim::Process& process_;
  const CheckpointOptions& options_;
  CheckpointCoordinatorHost& host_;
  LeaderSessionId leader_session_;
  sim::Rng rng_;
  CheckpointId next_id_ = 1;  // CheckpointIDCounter
  CheckpointId last_aborted_ = 0;
  std::map<CheckpointId, PendingCheckpoint> pending_;
  // Acknowledged by every task, waiting for the HA store to take their pointers.
  int finalizing_ = 0;
  std::vector<std::function<void()>> after_finalizing_;
  CheckpointRequestDecider decider_;
  CompletedCheckpointStore store_;
  CheckpointFailureManager failure_manager_;
  bool scheduler_running_ = false;
  bool acquiring_id_ = false;  // waiting for the checkpoint id counter
  sim::TimerId trigger_timer_;
  sim::TimerId queued_timer_;
  CheckpointStats stats_;
};

}  // namespace flinksim::model::checkpoint
