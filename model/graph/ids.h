#pragma once

// Strong identifiers of the job graph and the execution graph. They are small value types with a
// total order, so that sets and maps keyed by them iterate deterministically.

#include <compare>
#include <cstdint>

namespace flinksim::graph {

// Index of a JobVertex in its JobGraph (declaration order).
struct JobVertexId {
  uint32_t index = 0;
  constexpr auto operator<=>(const JobVertexId&) const = default;
};

// Index of a JobEdge in its JobGraph (declaration order). Each edge carries its own
// IntermediateDataSet, so it also identifies the intermediate result.
struct JobEdgeId {
  uint32_t index = 0;
  constexpr auto operator<=>(const JobEdgeId&) const = default;
};

// One parallel subtask of a job vertex (Flink's ExecutionVertexID).
struct ExecutionVertexId {
  JobVertexId vertex;
  uint32_t subtask = 0;
  constexpr auto operator<=>(const ExecutionVertexId&) const = default;
};

// The result partition that subtask `producer_subtask` of the edge's producer writes on `edge`
// (Flink's IntermediateResultPartitionID: one partition per producer subtask per data set).
struct ResultPartitionId {
  JobEdgeId edge;
  uint32_t producer_subtask = 0;
  constexpr auto operator<=>(const ResultPartitionId&) const = default;
};

}  // namespace flinksim::graph
