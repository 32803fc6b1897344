#pragma once

// Test helper: builds job graphs the way Flink's tests build topologies, and renders regions as
// sets of task names so expectations read like the Flink tests they come from.

#include <set>
#include <string>
#include <vector>

#include "model/graph/execution_graph.h"
#include "model/graph/job_graph.h"
#include "model/graph/pipelined_regions.h"

namespace flinksim::graph::testing {

using RegionSet = std::set<std::set<std::string>>;

class TopologyBuilder {
 public:
  explicit TopologyBuilder(JobMode mode = JobMode::streaming) : job_("test", mode) {}

  // A job vertex; TestingSchedulingTopology#newExecutionVertex is a vertex of parallelism 1.
  TopologyBuilder& vertex(const std::string& name, int parallelism = 1) {
    job_.add_vertex(name, parallelism);
    return *this;
  }
  TopologyBuilder& connect(const std::string& producer, const std::string& consumer,
                           ResultPartitionType type,
                           DistributionPattern pattern = DistributionPattern::pointwise) {
    job_.add_edge(*job_.find_vertex(producer), *job_.find_vertex(consumer), pattern, type);
    return *this;
  }
  const JobGraph& job() const { return job_; }
  ExecutionGraph build() const { return ExecutionGraph::build(job_).value(); }

 private:
  JobGraph job_;
};

inline RegionSet region_set(const ExecutionGraph& graph, const PipelinedRegions& regions) {
  RegionSet result;
  for (const auto& region : regions.regions) {
    std::set<std::string> names;
    for (VertexIndex v : region) names.insert(graph.task_id(v));
    result.insert(names);
  }
  return result;
}

inline RegionSet regions_of(const TopologyBuilder& builder) {
  const ExecutionGraph graph = builder.build();
  return region_set(graph, compute_pipelined_regions(graph));
}

// All subtasks of a vertex, "v:0".."v:(p-1)".
inline std::set<std::string> tasks(const std::string& vertex, int parallelism) {
  std::set<std::string> names;
  for (int i = 0; i < parallelism; ++i) names.insert(vertex + ":" + std::to_string(i));
  return names;
}

inline std::set<std::string> merged(std::initializer_list<std::set<std::string>> parts) {
  std::set<std::string> out;
  for (const auto& part : parts) out.insert(part.begin(), part.end());
  return out;
}

}  // namespace flinksim::graph::testing
