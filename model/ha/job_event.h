#pragma once

// FLIP-383's job events (Flink's ExecutionVertexFinishedEvent and ExecutionVertexResetEvent),
// written by the JobMaster to the job event store while a batch job runs and replayed by a new
// leader. A finished event names the TaskExecutor that holds the vertex's result partitions, and
// whether it carries the operator coordinators' and shuffle master's snapshot.

#include <optional>
#include <string>
#include <vector>

#include "model/graph/ids.h"
#include "model/ids.h"

namespace flinksim::model::ha {

struct JobEvent {
  enum class Kind { vertex_finished, vertices_reset };
  Kind kind = Kind::vertex_finished;
  std::vector<graph::ExecutionVertexId> vertices;
  ResourceId location;  // vertex_finished: where its blocking partitions are
  bool snapshot = false;  // vertex_finished: hasOperatorCoordinatorAndShuffleMasterSnapshots

  std::string format() const;
  static std::optional<JobEvent> parse(const std::string& text);
};

struct ReplayedFinish {
  graph::ExecutionVertexId vertex;
  ResourceId location;
  bool snapshot = false;
};

// DefaultBatchJobRecoveryHandler.replayOneEvent and finalizeReplay: the finished subtasks in the
// order they first finished (a LinkedHashMap: a later finish of the same subtask keeps its place,
// a reset removes it), without the trailing ones that carry no snapshot — the coordinators' state
// of their time is not known, so they run again.
std::vector<ReplayedFinish> replay_finished(const std::vector<JobEvent>& events);

}  // namespace flinksim::model::ha
