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
    case JobStatus::cancelling: return "CANCELLING";
    case JobStatus::canceled: return "CANCELED";
    case JobStatus::lost: return "LOST";
    case JobStatus::suspended: return "SUSPENDED";
    case JobStatus::reconciling: return "RECONCILING";
  }
  return "?";
}

namespace {

std::string how_lost(FailureCause::Kind kind) {
  switch (kind) {
    case FailureCause::Kind::heartbeat_timeout: return "heartbeat timeout";
    case FailureCause::Kind::remote_transport: return "connection reset";
    case FailureCause::Kind::pod_terminated: return "pod terminated";
    default: return "unreachable";
  }
}

}  // namespace

std::string failure_origin(const FailureCause& cause) {
  if (!cause.lost_task_manager) return "";
  // JobMaster#disconnectTaskManager (a heartbeat timeout, refused heartbeat RPCs, or the pod
  // watch through the ResourceManager) fails every task the TaskManager ran; a reset data
  // connection fails the tasks that read from it.
  return *cause.lost_task_manager + " lost (" + how_lost(cause.kind) + ")";
}

}  // namespace flinksim::model
