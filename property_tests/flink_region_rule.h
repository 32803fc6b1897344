#pragma once

// Flink's region failover rule, written again from its definition for the restart-scope property
// (RestartPipelinedRegionFailoverStrategy#getRegionsToRestart, Flink 1.20): starting from the
// failed task's pipelined region, a region is involved if
//   1. it holds the failed task;
//   2. it produces a partition an involved region consumes and that partition is not available
//      (not held by the partition tracker, named by the failure's PartitionException, or of a
//      type that cannot be read twice: neither re-consumable nor PIPELINED_APPROXIMATE);
//   3. it consumes a partition an involved region produces, whatever its execution state.
// The restarted tasks are exactly the tasks of the involved regions. It takes the topology from
// model/graph and the availability the JobMaster recorded (model::FailoverInputs), not the
// model's strategy, so that a wrong strategy disagrees with it both ways: too few or too many.

#include <map>
#include <set>
#include <string>

#include "model/graph/execution_graph.h"
#include "model/jobmaster/job_observer.h"

namespace flinksim::property_tests {

class FlinkRegionRule {
 public:
  explicit FlinkRegionRule(const graph::ExecutionGraph& graph);

  // The task names Flink restarts when `failed_task` fails with these inputs.
  std::set<std::string> tasks_to_restart(const std::string& failed_task,
                                         const model::FailoverInputs& inputs) const;

 private:
  bool is_available(graph::PartitionIndex partition, const model::FailoverInputs& inputs) const;
  void involve(graph::VertexIndex vertex, std::set<graph::VertexIndex>& involved,
               std::vector<graph::VertexIndex>& frontier) const;
  void expand(graph::VertexIndex vertex, const model::FailoverInputs& inputs,
              std::set<graph::VertexIndex>& involved,
              std::vector<graph::VertexIndex>& frontier) const;

  const graph::ExecutionGraph& graph_;
  std::vector<std::vector<graph::VertexIndex>> region_of_vertex_;  // the region's vertices
  std::map<std::string, graph::VertexIndex> vertex_by_name_;
};

}  // namespace flinksim::property_tests
