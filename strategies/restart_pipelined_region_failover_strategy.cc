#include "strategies/restart_pipelined_region_failover_strategy.h"

#include <algorithm>
#include <deque>

#include "sim/assert.h"

namespace flinksim::strategies {

bool RestartPipelinedRegionFailoverStrategy::is_available(graph::PartitionIndex partition,
                                                          const FailureCause& cause) const {
  const graph::ResultPartition& p = graph_.partition(partition);
  if (cause.partition_error && *cause.partition_error == p.id) return false;
  if (!checker_.is_available(p.id)) return false;
  return graph::is_reconsumable(p.type) ||
         p.type == graph::ResultPartitionType::pipelined_approximate;
}

std::vector<graph::RegionIndex> RestartPipelinedRegionFailoverStrategy::regions_needing_restart(
    graph::ExecutionVertexId failed, const FailureCause& cause) const {
  FLINKSIM_ASSERT_MSG(graph_.contains(failed), "failed task is not in the execution graph");
  const graph::RegionIndex failed_region = regions_.region_of[graph_.index_of(failed)];

  std::vector<bool> involved(regions_.regions.size(), false);
  std::vector<bool> consumed_group_seen(graph_.consumed_partition_groups().size(), false);
  std::vector<bool> consumer_group_seen(graph_.consumer_vertex_groups().size(), false);
  std::deque<graph::RegionIndex> queue{failed_region};
  involved[failed_region] = true;
  auto involve = [&](graph::VertexIndex vertex) {
    const graph::RegionIndex region = regions_.region_of[vertex];
    if (!involved[region]) {
      involved[region] = true;
      queue.push_back(region);
    }
  };

  while (!queue.empty()) {
    const graph::RegionIndex region = queue.front();
    queue.pop_front();
    for (graph::VertexIndex v : regions_.regions[region]) {
      // Producer rule: inputs that cannot be read again drag their producers in.
      for (graph::GroupIndex g : graph_.vertex(v).consumed_partition_groups) {
        if (consumed_group_seen[g]) continue;
        consumed_group_seen[g] = true;
        for (graph::PartitionIndex p : graph_.consumed_partition_groups()[g].partitions) {
          if (!is_available(p, cause)) involve(graph_.partition(p).producer);
        }
      }
      // Consumer rule: every consumer of what this region produces restarts too.
      for (graph::PartitionIndex p : graph_.vertex(v).produced_partitions) {
        for (graph::GroupIndex g : graph_.partition(p).consumer_vertex_groups) {
          if (consumer_group_seen[g]) continue;
          consumer_group_seen[g] = true;
          for (graph::VertexIndex consumer : graph_.consumer_vertex_groups()[g].vertices) {
            involve(consumer);
          }
        }
      }
    }
  }
  std::vector<graph::RegionIndex> result;
  for (graph::RegionIndex r = 0; r < involved.size(); ++r) {
    if (involved[r]) result.push_back(r);
  }
  return result;
}

std::vector<graph::ExecutionVertexId> RestartPipelinedRegionFailoverStrategy::tasks_needing_restart(
    graph::ExecutionVertexId failed, const FailureCause& cause) const {
  std::vector<graph::ExecutionVertexId> tasks;
  for (graph::RegionIndex region : regions_needing_restart(failed, cause)) {
    for (graph::VertexIndex v : regions_.regions[region]) tasks.push_back(graph_.vertex(v).id);
  }
  std::sort(tasks.begin(), tasks.end());
  return tasks;
}

}  // namespace flinksim::strategies
