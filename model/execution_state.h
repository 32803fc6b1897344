#pragma once

// Flink's ExecutionState and JobStatus, with the failure causes the protocols produce.

#include <optional>
#include <string>
#include <string_view>

#include "model/graph/ids.h"

namespace flinksim::model {

enum class ExecutionState {
  created,
  scheduled,
  deploying,
  initializing,
  running,
  finished,
  canceling,
  canceled,
  failed
};

// suspended: the JobMaster lost its leadership; the job lives on in the HA stores.
// reconciling: a new leader reconciles a recovered batch job with what TaskExecutors still hold.
enum class JobStatus {
  created,
  running,
  restarting,
  failing,
  failed,
  finished,
  cancelling,
  canceled,
  lost,
  suspended,
  reconciling
};

bool is_terminal(ExecutionState state);
bool is_globally_terminal(JobStatus status);
std::string_view to_string(ExecutionState state);  // "RUNNING"
std::string_view to_string(JobStatus status);      // "RESTARTING"

// Why an execution failed, reduced to what the failure handling distinguishes.
struct FailureCause {
  enum class Kind {
    task_exception,           // the user code threw (fail-task fault)
    heartbeat_timeout,        // TimeoutException: heartbeat of the TaskManager timed out
    taskmanager_unreachable,  // JobMasterException: the TaskManager is no longer reachable
    no_resource,              // NoResourceAvailableException
    jobmanager_lost,          // the TaskManager lost its JobManager
    partition_error,          // PartitionNotFoundException / PartitionConnectionException
    remote_transport,         // RemoteTransportException: a data connection was closed
    pod_terminated,           // Kubernetes: the ResourceManager's pod watch saw the pod die
    global_failure,           // the JobMaster restarts the whole job (FailoverStrategy aside)
  };
  Kind kind = Kind::task_exception;
  std::string message;
  std::optional<graph::ResultPartitionId> partition;  // set for partition errors
  // The TaskManager whose loss failed the task (heartbeat_timeout, taskmanager_unreachable):
  // every task it ran fails with the same cause, and a summary names the loss once.
  std::optional<std::string> lost_task_manager = std::nullopt;
};

// What failed a task when it is more than the task itself, for a summary that names the loss
// once for all its tasks: "taskmanager-2 lost (heartbeat timeout)"; empty otherwise.
std::string failure_origin(const FailureCause& cause);

}  // namespace flinksim::model
