#include "strategies/restart_all_failover_strategy.h"

#include <algorithm>

namespace flinksim::strategies {

std::vector<graph::ExecutionVertexId> RestartAllFailoverStrategy::tasks_needing_restart(
    graph::ExecutionVertexId, const FailureCause&) const {
  std::vector<graph::ExecutionVertexId> tasks;
  tasks.reserve(graph_.vertex_count());
  for (const graph::ExecutionVertex& vertex : graph_.vertices()) tasks.push_back(vertex.id);
  std::sort(tasks.begin(), tasks.end());
  return tasks;
}

}  // namespace flinksim::strategies
