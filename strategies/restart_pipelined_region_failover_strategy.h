#pragma once

// Flink's RestartPipelinedRegionFailoverStrategy (FLINK_FACTS.md §1.2), restated:
// starting from the failed task's region, a breadth-first search over regions adds
// - the producer region of every consumed partition that is not available, and
// - the region of every consumer of every partition the region produces (whatever its state).
// A partition is available when it is not named by the failure's partition error, the
// availability checker reports it, and it is re-consumable or PIPELINED_APPROXIMATE.
// Each ConsumedPartitionGroup and ConsumerVertexGroup is visited at most once per computation,
// which keeps ALL_TO_ALL edges linear.

#include "strategies/failover_strategy.h"

namespace flinksim::strategies {

class RestartPipelinedRegionFailoverStrategy final : public FailoverStrategy {
 public:
  RestartPipelinedRegionFailoverStrategy(const graph::ExecutionGraph& graph,
                                         const graph::PipelinedRegions& regions,
                                         const ResultPartitionAvailabilityChecker& checker)
      : graph_(graph), regions_(regions), checker_(checker) {}

  std::vector<graph::ExecutionVertexId> tasks_needing_restart(
      graph::ExecutionVertexId failed, const FailureCause& cause) const override;

  // The same result as regions (indices ascending), for callers that work per region.
  std::vector<graph::RegionIndex> regions_needing_restart(graph::ExecutionVertexId failed,
                                                          const FailureCause& cause) const;

 private:
  bool is_available(graph::PartitionIndex partition, const FailureCause& cause) const;

  const graph::ExecutionGraph& graph_;
  const graph::PipelinedRegions& regions_;
  const ResultPartitionAvailabilityChecker& checker_;
};

}  // namespace flinksim::strategies
