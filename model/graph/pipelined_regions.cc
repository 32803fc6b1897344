#include "model/graph/pipelined_regions.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include "model/graph/disjoint_set.h"

namespace flinksim::graph {
namespace {

// Union-find classes as canonical groups: members ascending, groups by smallest member.
std::vector<std::vector<uint32_t>> classes_of(DisjointSet& sets) {
  const auto n = static_cast<uint32_t>(sets.size());
  std::vector<int64_t> group_of_root(n, -1);
  std::vector<std::vector<uint32_t>> groups;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t root = sets.find(i);
    if (group_of_root[root] < 0) {
      group_of_root[root] = static_cast<int64_t>(groups.size());
      groups.emplace_back();
    }
    groups[static_cast<size_t>(group_of_root[root])].push_back(i);
  }
  return groups;
}

DisjointSet logical_sets(const JobGraph& job) {
  DisjointSet sets(job.vertices().size());
  for (uint32_t e = 0; e < job.edges().size(); ++e) {
    if (must_be_pipelined_consumed(job.result_type_of(JobEdgeId{e}))) {
      sets.unite(job.edges()[e].producer.index, job.edges()[e].consumer.index);
    }
  }
  return sets;
}

// Steps 1-3 of the header: raw regions as a union-find over execution vertices.
DisjointSet raw_region_sets(const ExecutionGraph& graph) {
  const JobGraph& job = graph.job_graph();
  DisjointSet logical = logical_sets(job);
  std::vector<bool> whole_logical_region(job.vertices().size(), false);
  for (const JobEdge& edge : job.edges()) {
    if (edge.distribution == DistributionPattern::all_to_all &&
        logical.find(edge.producer.index) == logical.find(edge.consumer.index)) {
      whole_logical_region[logical.find(edge.producer.index)] = true;
    }
  }

  DisjointSet raw(graph.vertex_count());
  // Logical regions joined as a whole: link every subtask to the region's first vertex.
  std::vector<int64_t> anchor(job.vertices().size(), -1);
  for (uint32_t v = 0; v < job.vertices().size(); ++v) {
    const uint32_t root = logical.find(v);
    if (!whole_logical_region[root]) continue;
    const VertexIndex first = graph.first_vertex_of(JobVertexId{v});
    if (anchor[root] < 0) anchor[root] = first;
    for (int s = 0; s < job.vertices()[v].parallelism; ++s) {
      raw.unite(static_cast<uint32_t>(anchor[root]), first + static_cast<VertexIndex>(s));
    }
  }
  // Elsewhere, follow must-be-pipelined inputs. Such inputs inside a non-whole logical region are
  // POINTWISE, so this touches each partition a constant number of times.
  for (VertexIndex v = 0; v < graph.vertex_count(); ++v) {
    const uint32_t job_vertex = graph.vertex(v).id.vertex.index;
    if (whole_logical_region[logical.find(job_vertex)]) continue;
    for (GroupIndex g : graph.vertex(v).consumed_partition_groups) {
      const ConsumedPartitionGroup& group = graph.consumed_partition_groups()[g];
      if (!must_be_pipelined_consumed(group.type)) continue;
      for (PartitionIndex p : group.partitions) raw.unite(v, graph.partition(p).producer);
    }
  }
  return raw;
}

}  // namespace

PipelinedRegions compute_pipelined_regions(const ExecutionGraph& graph) {
  DisjointSet raw = raw_region_sets(graph);
  const std::vector<std::vector<uint32_t>> raw_regions = classes_of(raw);
  std::vector<uint32_t> raw_region_of(graph.vertex_count());
  for (uint32_t r = 0; r < raw_regions.size(); ++r) {
    for (uint32_t v : raw_regions[r]) raw_region_of[v] = r;
  }

  // Region dependency graph over partitions that are not must-be-pipelined. A consumer vertex
  // group shared by several partitions (ALL_TO_ALL, or P > C) becomes one auxiliary node with
  // edges producer region -> group -> consumer region: reachability between regions is the same
  // as with every pair, but the graph stays linear in size.
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  const auto region_count = static_cast<uint32_t>(raw_regions.size());
  Graph dependencies(region_count + graph.consumer_vertex_groups().size());
  std::vector<bool> group_linked(graph.consumer_vertex_groups().size(), false);
  for (PartitionIndex p = 0; p < graph.partition_count(); ++p) {
    const ResultPartition& partition = graph.partition(p);
    if (must_be_pipelined_consumed(partition.type)) continue;
    const uint32_t producer_region = raw_region_of[partition.producer];
    for (GroupIndex g : partition.consumer_vertex_groups) {
      const uint32_t group_node = region_count + g;
      boost::add_edge(producer_region, group_node, dependencies);
      if (group_linked[g]) continue;
      group_linked[g] = true;
      for (VertexIndex consumer : graph.consumer_vertex_groups()[g].vertices) {
        boost::add_edge(group_node, raw_region_of[consumer], dependencies);
      }
    }
  }
  std::vector<int> component(boost::num_vertices(dependencies));
  boost::strong_components(dependencies, component.data());

  // Merge raw regions of one component; canonical numbering by smallest vertex.
  DisjointSet merged(region_count);
  std::vector<int64_t> first_region_of_component(boost::num_vertices(dependencies), -1);
  for (uint32_t r = 0; r < region_count; ++r) {
    auto& first = first_region_of_component[static_cast<size_t>(component[r])];
    if (first < 0) {
      first = r;
    } else {
      merged.unite(static_cast<uint32_t>(first), r);
    }
  }
  DisjointSet by_vertex(graph.vertex_count());
  for (uint32_t r = 0; r < region_count; ++r) {
    const uint32_t root = merged.find(r);
    by_vertex.unite(raw_regions[root].front(), raw_regions[r].front());
    for (uint32_t v : raw_regions[r]) by_vertex.unite(raw_regions[r].front(), v);
  }

  PipelinedRegions result;
  result.regions = classes_of(by_vertex);
  result.region_of.assign(graph.vertex_count(), 0);
  for (RegionIndex r = 0; r < result.regions.size(); ++r) {
    for (VertexIndex v : result.regions[r]) result.region_of[v] = r;
  }
  return result;
}

std::vector<std::vector<JobVertexId>> compute_logical_pipelined_regions(const JobGraph& job) {
  DisjointSet sets = logical_sets(job);
  std::vector<std::vector<JobVertexId>> regions;
  for (const auto& group : classes_of(sets)) {
    auto& region = regions.emplace_back();
    for (uint32_t v : group) region.push_back(JobVertexId{v});
  }
  return regions;
}

namespace {

void sort_canonically(std::vector<std::vector<std::string>>& regions) {
  for (auto& region : regions) std::sort(region.begin(), region.end());
  std::sort(regions.begin(), regions.end());
}

}  // namespace

std::vector<std::vector<std::string>> region_task_names(const ExecutionGraph& graph,
                                                        const PipelinedRegions& regions) {
  std::vector<std::vector<std::string>> names;
  names.reserve(regions.regions.size());
  for (const auto& region : regions.regions) {
    auto& out = names.emplace_back();
    out.reserve(region.size());
    for (VertexIndex v : region) out.push_back(graph.task_name(v));
  }
  sort_canonically(names);
  return names;
}

std::vector<std::vector<std::string>> logical_region_names(const JobGraph& job) {
  std::vector<std::vector<std::string>> names;
  for (const auto& region : compute_logical_pipelined_regions(job)) {
    auto& out = names.emplace_back();
    for (JobVertexId v : region) out.push_back(job.vertex(v).name);
  }
  sort_canonically(names);
  return names;
}

}  // namespace flinksim::graph
