#include "strategies/restart_pipelined_region_failover_strategy.h"

#include <algorithm>
#include <deque>

#include "sim/assert.h"

namespace flinksim::strategies {

bool RestartPipelinedRegionFailoverStrategy::is_available(graph::PartitionIndex partition,
                                                          const FailureCause& cause) const {
  const graph::ResultPartition& p = graph_.partition(partition);
  if (cause.partition_error && *cause.partition_error == p.id) return false;
  // Planted bug region-ignores-lost-partitions (cmake/planted_bugs.cmake): partitions the
  // tracker no longer holds (lost with their TaskManager, released with a failed producer) count
  // as available, so their producers are not restarted until a consumer fails reading them.
#ifndef FLINKSIM_PLANTED_BUG_REGION_IGNORES_LOST_PARTITIONS
  if (!checker_.is_available(p.id)) return false;
#endif
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

#ifdef FLINKSIM_PLANTED_BUG_REGION_FORGETS_CONSUMERS
namespace {

// The planted bug (cmake/planted_bugs.cmake): of the failed task's region, restart only the task
// and what feeds it, as if re-reading its input were all a restart needs; the consumers of its
// output keep running against a producer attempt that no longer exists.
std::vector<graph::ExecutionVertexId> failed_task_and_its_producers(
    const graph::ExecutionGraph& graph, graph::ExecutionVertexId failed) {
  std::vector<bool> involved(graph.vertex_count(), false);
  std::deque<graph::VertexIndex> queue{graph.index_of(failed)};
  involved[queue.front()] = true;
  std::vector<graph::ExecutionVertexId> tasks;
  while (!queue.empty()) {
    const graph::VertexIndex v = queue.front();
    queue.pop_front();
    tasks.push_back(graph.vertex(v).id);
    for (graph::GroupIndex g : graph.vertex(v).consumed_partition_groups) {
      for (graph::PartitionIndex p : graph.consumed_partition_groups()[g].partitions) {
        const graph::VertexIndex producer = graph.partition(p).producer;
        if (!involved[producer]) {
          involved[producer] = true;
          queue.push_back(producer);
        }
      }
    }
  }
  std::sort(tasks.begin(), tasks.end());
  return tasks;
}

}  // namespace
#endif

std::vector<graph::ExecutionVertexId> RestartPipelinedRegionFailoverStrategy::tasks_needing_restart(
    graph::ExecutionVertexId failed, const FailureCause& cause) const {
#ifdef FLINKSIM_PLANTED_BUG_REGION_FORGETS_CONSUMERS
  return failed_task_and_its_producers(graph_, failed);
#endif
  std::vector<graph::ExecutionVertexId> tasks;
  for (graph::RegionIndex region : regions_needing_restart(failed, cause)) {
    for (graph::VertexIndex v : regions_.regions[region]) tasks.push_back(graph_.vertex(v).id);
  }
  std::sort(tasks.begin(), tasks.end());
  return tasks;
}

}  // namespace flinksim::strategies
