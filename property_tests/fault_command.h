#pragma once

// One command of a generated fault schedule. Each command heals on its own: partitions and
// outages last a bounded time, and a killed TaskManager is restarted after a delay or (on
// Kubernetes) replaced by the ResourceManager. RapidCheck shrinks a schedule by dropping
// commands and simplifying the rest, which keeps it healing.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/time.h"

namespace flinksim::property_tests {

struct KillTaskManager {
  sim::Duration at;
  int64_t taskmanager = 0;
  // Unset: the TaskManager stays dead (only generated where it is replaced).
  std::optional<sim::Duration> restart_after;
};

struct FailTask {
  sim::Duration at;
  std::string task;  // VERTEX:SUBTASK
};

// Cuts jobmanager-0 off one TaskManager in both directions.
struct PartitionJobManager {
  sim::Duration at;
  int64_t taskmanager = 0;
  sim::Duration lasts;
};

struct CheckpointStorageOutage {
  sim::Duration at;
  sim::Duration lasts;
};

// High availability only. Kills `jobmanager-leader` (whichever leads then; nothing if none
// does), never restarted: a standby takes over once the dead leader's ZooKeeper session expired.
// Generated only with standbys, fewer times than there are JobManagers.
struct KillJobManagerLeader {
  sim::Duration at;
};

// High availability only. Kills jobmanager-N and restarts it (Kubernetes-style) after a delay;
// its new incarnation queues behind its own dead one for the leadership.
struct KillJobManager {
  sim::Duration at;
  int64_t jobmanager = 0;
  sim::Duration restart_after;
};

// High availability only: ZooKeeper refuses every connection for a while. Each client becomes
// SUSPENDED at its next request or ping, the leader gives up leadership.
struct ZooKeeperOutage {
  sim::Duration at;
  sim::Duration lasts;
};

// High availability only: jobmanager-N cut off from ZooKeeper in both directions. A leader
// steps down after 2/3 of the session timeout (or, tolerating suspended connections, only when
// its session is LOST, while a standby may already lead).
struct PartitionJobManagerFromZooKeeper {
  sim::Duration at;
  int64_t jobmanager = 0;
  sim::Duration lasts;
};

// Slows the link between jobmanager-0 and one TaskManager (both ways) by `extra_latency` for a
// while: below the heartbeat timeout it only delays heartbeats, deployments and checkpoints;
// beyond it the TaskManager is lost as if it had crashed, though it still runs.
struct SlowLink {
  sim::Duration at;
  int64_t taskmanager = 0;
  sim::Duration extra_latency;
  sim::Duration lasts;
};

// A fault at a protocol moment (`after:`, scenarios/fault_moment.h) instead of a time, drawn
// where a protocol is fragile and uniform strike times hit only by luck: fails a task, or kills
// a TaskManager and restarts it `restart_after` later. Its time is known only when the run gets
// there, so `at` is Duration::max() (it sorts last and never conflicts with a timed kill; a
// kill of a TaskManager that is already dead does nothing).
struct FaultAtMoment {
  sim::Duration at = sim::Duration::max();
  std::string moment;  // "sink:0 pre-committed checkpoint 2"
  sim::Duration delay;
  std::string fail_task;  // VERTEX:SUBTASK; empty: kill `taskmanager`
  int64_t taskmanager = 0;
  sim::Duration restart_after;
};

// An operator action (docs/savepoints.md) among the faults, at a time or `delay` after a
// protocol moment: a savepoint, a stop-with-savepoint, a cancel, a resubmission from the latest
// savepoint or checkpoint. With a moment, `at` is Duration::max(), as for FaultAtMoment.
struct JobAction {
  sim::Duration at = sim::Duration::max();
  std::string moment;  // "checkpoint 2 completed", "job CANCELED"; empty: at `at`
  sim::Duration delay;
  std::string action;  // the entry's action and options: "stop-with-savepoint: job"
};

using FaultCommand =
    std::variant<KillTaskManager, FailTask, PartitionJobManager, SlowLink, CheckpointStorageOutage,
                 KillJobManagerLeader, KillJobManager, ZooKeeperOutage,
                 PartitionJobManagerFromZooKeeper, FaultAtMoment, JobAction>;

sim::Duration strikes_at(const FaultCommand& command);
// When the command's fault has healed: the restart, the end of the outage or partition; the
// strike itself for task failures and unrestarted kills.
sim::Duration heals_at(const FaultCommand& command);
// Whether the command may change the JobManager leader.
bool changes_leader(const FaultCommand& command);

// The `faults:` list entries the command stands for, as YAML flow maps ("{at: 2000 ms, ...}");
// a kill with a restart gives two.
std::vector<std::string> fault_entries(const FaultCommand& command);

}  // namespace flinksim::property_tests
