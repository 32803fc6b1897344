#pragma once

// The parallel expansion of a JobGraph (Flink's ExecutionGraph topology, as built by
// EdgeManagerBuildUtil): one execution vertex per subtask, one result partition per producer
// subtask per job edge, and the partition groups that connect them.
//
// Groups are shared exactly as in Flink, so the graph stays linear in size: an ALL_TO_ALL edge has
// one ConsumedPartitionGroup (every partition) shared by all consumer subtasks and one
// ConsumerVertexGroup (every consumer) shared by all partitions. POINTWISE edges follow Flink's
// mapping for P == C, P > C and P < C (see connect_pointwise in execution_graph.cc).
//
// Vertices, partitions and groups are addressed by dense indices; vertex indices follow the
// topological order of the job vertices, then the subtask index.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/graph/ids.h"
#include "model/graph/job_graph.h"
#include "sim/result.h"

namespace flinksim::graph {

using VertexIndex = uint32_t;
using PartitionIndex = uint32_t;
using GroupIndex = uint32_t;

struct ExecutionVertex {
  ExecutionVertexId id;
  std::vector<GroupIndex> consumed_partition_groups;  // indices into consumed_partition_groups()
  std::vector<PartitionIndex> produced_partitions;
};

struct ResultPartition {
  ResultPartitionId id;
  ResultPartitionType type = ResultPartitionType::pipelined_bounded;
  VertexIndex producer = 0;
  std::vector<GroupIndex> consumer_vertex_groups;  // indices into consumer_vertex_groups()
};

// The partitions one consumer reads from one job edge; all share the edge's result type.
struct ConsumedPartitionGroup {
  JobEdgeId edge;
  ResultPartitionType type = ResultPartitionType::pipelined_bounded;
  std::vector<PartitionIndex> partitions;
};

// The consumer subtasks that read one partition.
struct ConsumerVertexGroup {
  JobEdgeId edge;
  std::vector<VertexIndex> vertices;
};

class ExecutionGraph {
 public:
  // Expands `job`, which must be valid (JobGraph::validate); an invalid job is an error value.
  static sim::Result<ExecutionGraph> build(const JobGraph& job);

  const JobGraph& job_graph() const { return job_; }
  size_t vertex_count() const { return vertices_.size(); }
  size_t partition_count() const { return partitions_.size(); }
  const std::vector<ExecutionVertex>& vertices() const { return vertices_; }
  const std::vector<ResultPartition>& partitions() const { return partitions_; }
  const std::vector<ConsumedPartitionGroup>& consumed_partition_groups() const {
    return consumed_groups_;
  }
  const std::vector<ConsumerVertexGroup>& consumer_vertex_groups() const {
    return consumer_groups_;
  }
  const ExecutionVertex& vertex(VertexIndex index) const { return vertices_[index]; }
  const ResultPartition& partition(PartitionIndex index) const { return partitions_[index]; }

  VertexIndex index_of(ExecutionVertexId id) const;
  PartitionIndex index_of(ResultPartitionId id) const;
  bool contains(ExecutionVertexId id) const;
  bool contains(ResultPartitionId id) const;
  // Every subtask of one job vertex, as a contiguous index range [first, first + parallelism).
  VertexIndex first_vertex_of(JobVertexId id) const { return first_vertex_[id.index]; }

  // "count:1" — the contract's task id VERTEX:SUBTASK.
  // As Flink names the task: "Source: source -> map (1/4)".
  std::string task_name(ExecutionVertexId id) const;
  // As a fault target names it: "source:0" (head operator, subtask from 0); parse_task reads it.
  std::string task_id(ExecutionVertexId id) const;
  std::string task_id(VertexIndex index) const { return task_id(vertices_[index].id); }
  std::string task_name(VertexIndex index) const { return task_name(vertices_[index].id); }
  // "source->count/3" — PRODUCER->CONSUMER/SUBTASK.
  std::string partition_name(ResultPartitionId id) const;
  std::string partition_name(PartitionIndex index) const {
    return partition_name(partitions_[index].id);
  }
  // Parse a task against this graph: its fault-target form "map:0" (any operator of a chain
  // names the chain's task) or its Flink name "Source: source -> map (1/4)", as failover logs
  // and traces give it; errors name what was not found.
  sim::Result<ExecutionVertexId> parse_task(std::string_view text) const;
  sim::Result<ResultPartitionId> parse_partition(std::string_view text) const;

 private:
  explicit ExecutionGraph(JobGraph job) : job_(std::move(job)) {}
  void connect_all_to_all(JobEdgeId edge);
  void connect_pointwise(JobEdgeId edge);
  GroupIndex add_consumed_group(JobEdgeId edge, std::vector<PartitionIndex> partitions);
  GroupIndex add_consumer_group(JobEdgeId edge, std::vector<VertexIndex> vertices);

  JobGraph job_;
  std::vector<ExecutionVertex> vertices_;
  std::vector<ResultPartition> partitions_;
  std::vector<ConsumedPartitionGroup> consumed_groups_;
  std::vector<ConsumerVertexGroup> consumer_groups_;
  std::vector<VertexIndex> first_vertex_;        // by job vertex
  std::vector<PartitionIndex> first_partition_;  // by job edge
};

}  // namespace flinksim::graph
