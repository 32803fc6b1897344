#include "model/execution_state.h"

namespace flinksim::model {

bool is_terminal(ExecutionState state) {
  return state == ExecutionState::finished || state == ExecutionState::canceled ||
         state == ExecutionState::failed;
}

bool is_globally_terminal(JobStatus status) {
  return status == JobStatus::failed || status == JobStatus::finished ||
         status == JobStatus::canceled;
}

std::string_view to_string(ExecutionState state) {
  switch (state) {
    case ExecutionState::created: return "CREATED";
    case ExecutionState::scheduled: return "SCHEDULED";
    case ExecutionState::deploying: return "DEPLOYING";
    case ExecutionState::initializing: return "INITIALIZING";
    case ExecutionState::running: return "RUNNING";
    case ExecutionState::finished: return "FINISHED";
    case ExecutionState::canceling: return "CANCELING";
    case ExecutionState::canceled: return "CANCELED";
    case ExecutionState::failed: return "FAILED";
  }
  return "?";
}

std::string_view to_string(JobStatus status) {
  switch (status) {
    case JobStatus::created: return "CREATED";
    case JobStatus::running: return "RUNNING";
    case JobStatus::restarting: return "RESTARTING";
    case JobStatus::failing: return "FAILING";
    case JobStatus::failed: return "FAILED";
    case JobStatus::finished: return "FINISHED";
    case JobStatus::canceled: return "CANCELED";
    case JobStatus::lost: return "LOST";
    case JobStatus::suspended: return "SUSPENDED";
    case JobStatus::reconciling: return "RECONCILING";
  }
  return "?";
}

std::string failure_origin(const FailureCause& cause) {
  if (!cause.lost_task_manager) return "";
  // JobMaster#disconnectTaskManager: a heartbeat timeout, or the TaskManager's RPC endpoint
  // reported unreachable (its connection broke), both fail every task it ran.
  const bool timed_out = cause.kind == FailureCause::Kind::heartbeat_timeout;
  return *cause.lost_task_manager + " lost (" + (timed_out ? "heartbeat timeout" : "unreachable") + ")";
}

}  // namespace flinksim::model
