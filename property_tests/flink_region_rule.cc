#include "property_tests/flink_region_rule.h"

#include <algorithm>
#include <stdexcept>

#include "model/graph/pipelined_regions.h"
#include "model/graph/result_partition_type.h"

namespace flinksim::property_tests {

FlinkRegionRule::FlinkRegionRule(const graph::ExecutionGraph& graph) : graph_(graph) {
  const graph::PipelinedRegions regions = graph::compute_pipelined_regions(graph);
  region_of_vertex_.resize(graph.vertex_count());
  for (graph::VertexIndex v = 0; v < graph.vertex_count(); ++v) {
    region_of_vertex_[v] = regions.regions[regions.region_of[v]];
    vertex_by_name_[graph.task_name(v)] = v;
  }
}

// RegionFailoverResultPartitionAvailabilityChecker#isAvailable.
bool FlinkRegionRule::is_available(graph::PartitionIndex partition,
                                   const model::FailoverInputs& inputs) const {
  const graph::ResultPartition& p = graph_.partition(partition);
  if (inputs.failed_partition == p.id) return false;
  if (!std::binary_search(inputs.tracked_partitions.begin(), inputs.tracked_partitions.end(),
                          p.id)) {
    return false;
  }
  return graph::is_reconsumable(p.type) ||
         p.type == graph::ResultPartitionType::pipelined_approximate;
}

// A vertex's whole region becomes involved.
void FlinkRegionRule::involve(graph::VertexIndex vertex, std::set<graph::VertexIndex>& involved,
                              std::vector<graph::VertexIndex>& frontier) const {
  for (graph::VertexIndex member : region_of_vertex_[vertex]) {
    if (involved.insert(member).second) frontier.push_back(member);
  }
}

// Rules 2 and 3 for one involved vertex.
void FlinkRegionRule::expand(graph::VertexIndex vertex, const model::FailoverInputs& inputs,
                             std::set<graph::VertexIndex>& involved,
                             std::vector<graph::VertexIndex>& frontier) const {
  for (graph::GroupIndex group : graph_.vertex(vertex).consumed_partition_groups) {
    for (graph::PartitionIndex p : graph_.consumed_partition_groups()[group].partitions) {
      if (!is_available(p, inputs)) involve(graph_.partition(p).producer, involved, frontier);
    }
  }
  for (graph::PartitionIndex p : graph_.vertex(vertex).produced_partitions) {
    for (graph::GroupIndex group : graph_.partition(p).consumer_vertex_groups) {
      for (graph::VertexIndex consumer : graph_.consumer_vertex_groups()[group].vertices) {
        involve(consumer, involved, frontier);
      }
    }
  }
}

std::set<std::string> FlinkRegionRule::tasks_to_restart(const std::string& failed_task,
                                                        const model::FailoverInputs& inputs) const {
  const auto failed = vertex_by_name_.find(failed_task);
  if (failed == vertex_by_name_.end()) throw std::logic_error("unknown task " + failed_task);
  std::set<graph::VertexIndex> involved;
  std::vector<graph::VertexIndex> frontier;
  involve(failed->second, involved, frontier);
  while (!frontier.empty()) {
    const graph::VertexIndex vertex = frontier.back();
    frontier.pop_back();
    expand(vertex, inputs, involved, frontier);
  }
  std::set<std::string> tasks;
  for (graph::VertexIndex v : involved) tasks.insert(graph_.task_name(v));
  return tasks;
}

}  // namespace flinksim::property_tests
