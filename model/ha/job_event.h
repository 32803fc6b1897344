#pragma once

// FLIP-383's job events (Flink's ExecutionVertexFinishedEvent and ExecutionVertexResetEvent),
// written by the JobMaster to the job event store while a batch job runs and replayed by a new
// leader. A finished event names the TaskExecutor that holds the vertex's result partitions.

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

  std::string format() const;
  static std::optional<JobEvent> parse(const std::string& text);
};

}  // namespace flinksim::model::ha
