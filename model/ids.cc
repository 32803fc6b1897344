#include "model/ids.h"

namespace flinksim::model {

std::string attempt_name(const graph::JobGraph& job, const ExecutionAttemptId& attempt) {
  return task_name(job, attempt.vertex) + "#" + std::to_string(attempt.attempt);
}

}  // namespace flinksim::model
