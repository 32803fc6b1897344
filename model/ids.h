#pragma once

// Identifiers of the cluster model, as in Flink: a TaskManager's ResourceID (its process name),
// slot AllocationIDs, and ExecutionAttemptIDs (an execution vertex plus its attempt number).

#include <compare>
#include <cstdint>
#include <string>

#include "model/graph/ids.h"
#include "model/graph/job_graph.h"

namespace flinksim::model {

using ResourceId = std::string;  // "taskmanager-2"

struct AllocationId {
  uint64_t value = 0;
  bool valid() const { return value != 0; }
  auto operator<=>(const AllocationId&) const = default;
};

struct ExecutionAttemptId {
  graph::ExecutionVertexId vertex;
  uint32_t attempt = 0;
  auto operator<=>(const ExecutionAttemptId&) const = default;
};

// Fencing token of a JobMaster leadership (Flink's JobMasterId / leader session id).
struct LeaderSessionId {
  uint64_t value = 0;
  auto operator<=>(const LeaderSessionId&) const = default;
};

// "Source: source -> map (1/4)", as Flink names its tasks (graph::task_name).
using graph::task_name;
// "Source: source -> map (1/4)#0": the task and its attempt.
std::string attempt_name(const graph::JobGraph& job, const ExecutionAttemptId& attempt);

}  // namespace flinksim::model
