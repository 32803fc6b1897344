#include "model/graph/execution_graph.h"

#include <charconv>

#include "sim/assert.h"

namespace flinksim::graph {

sim::Result<ExecutionGraph> ExecutionGraph::build(const JobGraph& job) {
  auto valid = job.validate();
  if (!valid.ok()) return valid.error();
  auto order = job.topological_order();
  if (!order.ok()) return order.error();

  ExecutionGraph graph(job);
  const auto& job_vertices = job.vertices();
  graph.first_vertex_.assign(job_vertices.size(), 0);
  for (JobVertexId id : order.value()) {
    graph.first_vertex_[id.index] = static_cast<VertexIndex>(graph.vertices_.size());
    const int parallelism = job_vertices[id.index].parallelism;
    for (int subtask = 0; subtask < parallelism; ++subtask) {
      graph.vertices_.push_back(
          ExecutionVertex{ExecutionVertexId{id, static_cast<uint32_t>(subtask)}, {}, {}});
    }
  }

  // Partitions per edge, in edge declaration order.
  const auto& edges = job.edges();
  graph.first_partition_.assign(edges.size(), 0);
  for (uint32_t e = 0; e < edges.size(); ++e) {
    const JobEdgeId edge_id{e};
    const ResultPartitionType type = job.result_type_of(edge_id);
    graph.first_partition_[e] = static_cast<PartitionIndex>(graph.partitions_.size());
    const int parallelism = job_vertices[edges[e].producer.index].parallelism;
    for (int subtask = 0; subtask < parallelism; ++subtask) {
      const VertexIndex producer =
          graph.first_vertex_[edges[e].producer.index] + static_cast<VertexIndex>(subtask);
      const auto index = static_cast<PartitionIndex>(graph.partitions_.size());
      graph.partitions_.push_back(
          ResultPartition{ResultPartitionId{edge_id, static_cast<uint32_t>(subtask)}, type,
                          producer, {}});
      graph.vertices_[producer].produced_partitions.push_back(index);
    }
  }

  // Connect consumers; consumers are visited in topological order as Flink attaches inputs
  // while it walks the job vertices, and each consumer's inputs in edge order.
  for (JobVertexId consumer : order.value()) {
    for (uint32_t e = 0; e < edges.size(); ++e) {
      if (edges[e].consumer != consumer) continue;
      if (edges[e].distribution == DistributionPattern::all_to_all) {
        graph.connect_all_to_all(JobEdgeId{e});
      } else {
        graph.connect_pointwise(JobEdgeId{e});
      }
    }
  }
  return graph;
}

GroupIndex ExecutionGraph::add_consumed_group(JobEdgeId edge,
                                              std::vector<PartitionIndex> partitions) {
  consumed_groups_.push_back(
      ConsumedPartitionGroup{edge, job_.result_type_of(edge), std::move(partitions)});
  return static_cast<GroupIndex>(consumed_groups_.size() - 1);
}

GroupIndex ExecutionGraph::add_consumer_group(JobEdgeId edge, std::vector<VertexIndex> vertices) {
  consumer_groups_.push_back(ConsumerVertexGroup{edge, std::move(vertices)});
  return static_cast<GroupIndex>(consumer_groups_.size() - 1);
}

void ExecutionGraph::connect_all_to_all(JobEdgeId edge_id) {
  const JobEdge& edge = job_.edge(edge_id);
  const int producers = job_.vertex(edge.producer).parallelism;
  const int consumers = job_.vertex(edge.consumer).parallelism;
  std::vector<PartitionIndex> partitions(static_cast<size_t>(producers));
  for (int i = 0; i < producers; ++i) partitions[i] = first_partition_[edge_id.index] + i;
  std::vector<VertexIndex> consumer_vertices(static_cast<size_t>(consumers));
  for (int i = 0; i < consumers; ++i) consumer_vertices[i] = first_vertex_[edge.consumer.index] + i;

  const GroupIndex consumed = add_consumed_group(edge_id, partitions);
  const GroupIndex consumer_group = add_consumer_group(edge_id, consumer_vertices);
  for (VertexIndex v : consumer_vertices) vertices_[v].consumed_partition_groups.push_back(consumed);
  for (PartitionIndex p : partitions) partitions_[p].consumer_vertex_groups.push_back(consumer_group);
}

// EdgeManagerBuildUtil#connectPointwise, restated:
// - P == C: subtask i reads partition i.
// - P > C: consumer k reads partitions [k*P/C, (k+1)*P/C) as one group; those partitions share
//   the consumer group {k}.
// - P < C: partition k is read by consumers [ceil(k*C/P), ceil((k+1)*C/P)), which form its
//   consumer group; each of them reads the one-partition group {k}.
void ExecutionGraph::connect_pointwise(JobEdgeId edge_id) {
  const JobEdge& edge = job_.edge(edge_id);
  const int64_t producers = job_.vertex(edge.producer).parallelism;
  const int64_t consumers = job_.vertex(edge.consumer).parallelism;
  const PartitionIndex first_partition = first_partition_[edge_id.index];
  const VertexIndex first_consumer = first_vertex_[edge.consumer.index];

  auto link = [&](std::vector<PartitionIndex> partitions, std::vector<VertexIndex> consumer_set) {
    const GroupIndex consumed = add_consumed_group(edge_id, partitions);
    const GroupIndex consumer_group = add_consumer_group(edge_id, consumer_set);
    for (VertexIndex v : consumer_set) vertices_[v].consumed_partition_groups.push_back(consumed);
    for (PartitionIndex p : partitions) {
      partitions_[p].consumer_vertex_groups.push_back(consumer_group);
    }
  };

  if (producers == consumers) {
    for (int64_t i = 0; i < producers; ++i) {
      link({first_partition + static_cast<PartitionIndex>(i)},
           {first_consumer + static_cast<VertexIndex>(i)});
    }
  } else if (producers > consumers) {
    for (int64_t k = 0; k < consumers; ++k) {
      const int64_t start = k * producers / consumers;
      const int64_t end = (k + 1) * producers / consumers;
      std::vector<PartitionIndex> partitions;
      for (int64_t i = start; i < end; ++i) {
        partitions.push_back(first_partition + static_cast<PartitionIndex>(i));
      }
      link(std::move(partitions), {first_consumer + static_cast<VertexIndex>(k)});
    }
  } else {
    for (int64_t k = 0; k < producers; ++k) {
      const int64_t start = (k * consumers + producers - 1) / producers;
      const int64_t end = ((k + 1) * consumers + producers - 1) / producers;
      std::vector<VertexIndex> consumer_set;
      for (int64_t i = start; i < end; ++i) {
        consumer_set.push_back(first_consumer + static_cast<VertexIndex>(i));
      }
      // Flink gives each consumer its own one-partition ConsumedPartitionGroup but one shared
      // ConsumerVertexGroup for the partition.
      const PartitionIndex partition = first_partition + static_cast<PartitionIndex>(k);
      const GroupIndex consumer_group = add_consumer_group(edge_id, consumer_set);
      partitions_[partition].consumer_vertex_groups.push_back(consumer_group);
      for (VertexIndex v : consumer_set) {
        vertices_[v].consumed_partition_groups.push_back(add_consumed_group(edge_id, {partition}));
      }
    }
  }
}

VertexIndex ExecutionGraph::index_of(ExecutionVertexId id) const {
  FLINKSIM_ASSERT(contains(id));
  return first_vertex_[id.vertex.index] + id.subtask;
}

PartitionIndex ExecutionGraph::index_of(ResultPartitionId id) const {
  FLINKSIM_ASSERT(contains(id));
  return first_partition_[id.edge.index] + id.producer_subtask;
}

bool ExecutionGraph::contains(ExecutionVertexId id) const {
  return id.vertex.index < job_.vertices().size() &&
         id.subtask < static_cast<uint32_t>(job_.vertex(id.vertex).parallelism);
}

bool ExecutionGraph::contains(ResultPartitionId id) const {
  if (id.edge.index >= job_.edges().size()) return false;
  const JobVertex& producer = job_.vertex(job_.edge(id.edge).producer);
  return id.producer_subtask < static_cast<uint32_t>(producer.parallelism);
}

std::string ExecutionGraph::task_name(ExecutionVertexId id) const {
  return graph::task_name(job_, id);
}

std::string ExecutionGraph::task_id(ExecutionVertexId id) const {
  return job_.vertex(id.vertex).name + ":" + std::to_string(id.subtask);
}

std::string ExecutionGraph::partition_name(ResultPartitionId id) const {
  const JobEdge& edge = job_.edge(id.edge);
  return job_.vertex(edge.producer).name + "->" + job_.vertex(edge.consumer).name + "/" +
         std::to_string(id.producer_subtask);
}

namespace {

std::optional<uint32_t> parse_index(std::string_view text) {
  uint32_t value = 0;
  if (text.empty()) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

sim::Result<ExecutionVertexId> ExecutionGraph::parse_task(std::string_view text) const {
  if (text.ends_with(")")) {
    for (const ExecutionVertex& vertex : vertices_) {
      if (task_name(vertex.id) == text) return vertex.id;
    }
  }
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return sim::Error{"task '" + std::string(text) + "' is not of the form VERTEX:SUBTASK"};
  }
  const auto vertex = job_.find_vertex(text.substr(0, colon));
  if (!vertex) {
    return sim::Error{"unknown vertex '" + std::string(text.substr(0, colon)) + "' in task '" +
                      std::string(text) + "'"};
  }
  const auto subtask = parse_index(text.substr(colon + 1));
  const int parallelism = job_.vertex(*vertex).parallelism;
  if (!subtask || *subtask >= static_cast<uint32_t>(parallelism)) {
    return sim::Error{"subtask of task '" + std::string(text) + "' must be within [0, " +
                      std::to_string(parallelism - 1) + "]"};
  }
  return ExecutionVertexId{*vertex, *subtask};
}

sim::Result<ResultPartitionId> ExecutionGraph::parse_partition(std::string_view text) const {
  const size_t slash = text.rfind('/');
  const size_t arrow = text.find("->");
  if (slash == std::string_view::npos || arrow == std::string_view::npos || arrow > slash) {
    return sim::Error{"partition '" + std::string(text) +
                      "' is not of the form PRODUCER->CONSUMER/SUBTASK"};
  }
  const std::string_view producer_name = text.substr(0, arrow);
  const std::string_view consumer_name = text.substr(arrow + 2, slash - arrow - 2);
  const auto producer = job_.find_vertex(producer_name);
  const auto consumer = job_.find_vertex(consumer_name);
  std::optional<JobEdgeId> edge;
  if (producer && consumer) edge = job_.find_edge(*producer, *consumer);
  if (!edge) {
    return sim::Error{"no edge '" + std::string(producer_name) + "->" +
                      std::string(consumer_name) + "' for partition '" + std::string(text) + "'"};
  }
  const auto subtask = parse_index(text.substr(slash + 1));
  const int parallelism = job_.vertex(*producer).parallelism;
  if (!subtask || *subtask >= static_cast<uint32_t>(parallelism)) {
    return sim::Error{"producer subtask of partition '" + std::string(text) +
                      "' must be within [0, " + std::to_string(parallelism - 1) + "]"};
  }
  return ResultPartitionId{*edge, *subtask};
}

}  // namespace flinksim::graph
