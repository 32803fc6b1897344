#include "model/ids.h"

namespace flinksim::model {

std::string task_name(const graph::JobGraph& job, graph::ExecutionVertexId vertex) {
  return job.vertex(vertex.vertex).name + ":" + std::to_string(vertex.subtask);
}

std::string attempt_name(const graph::JobGraph& job, const ExecutionAttemptId& attempt) {
  return task_name(job, attempt.vertex) + "#" + std::to_string(attempt.attempt);
}

}  // namespace flinksim::model
