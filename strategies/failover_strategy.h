#pragma once

// Which tasks restart after a task failure (Flink's FailoverStrategy). A strategy is a pure
// function of a read-only topology (the ExecutionGraph and its pipelined regions) and of the
// partition availability; it never looks at execution states, like Flink's.
//
// Three kinds, as named in the scenario contract:
// - full (RestartAllFailoverStrategy): every task.
// - region (RestartPipelinedRegionFailoverStrategy): see restart_pipelined_region_failover_strategy.h.
// - approximate (FLIP-135): the region strategy over a graph built with approximate local
//   recovery (JobGraph::set_approximate_local_recovery), where every streaming edge is
//   PIPELINED_APPROXIMATE: the failed task and everything downstream of it restart.

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "model/graph/execution_graph.h"
#include "model/graph/ids.h"
#include "model/graph/pipelined_regions.h"
#include "strategies/result_partition_availability_checker.h"

namespace flinksim::strategies {

enum class FailoverStrategyKind { full, region, approximate };

// "full" (alias "restart-all"), "region", "approximate" (alias "approximate-local");
// case-insensitive.
std::optional<FailoverStrategyKind> parse_failover_strategy_kind(std::string_view text);
std::string_view to_string(FailoverStrategyKind kind);

// What Flink's strategies read from the failure cause: a PartitionException (e.g.
// PartitionConnectionException, PartitionNotFoundException) names the partition the consumer
// could not read, which then counts as unavailable for this one computation.
struct FailureCause {
  std::optional<graph::ResultPartitionId> partition_error;
};

class FailoverStrategy {
 public:
  virtual ~FailoverStrategy() = default;
  // The tasks to restart, sorted ascending (by job vertex index, then subtask).
  virtual std::vector<graph::ExecutionVertexId> tasks_needing_restart(
      graph::ExecutionVertexId failed, const FailureCause& cause) const = 0;
};

// The strategy of `kind` over the given topology. The topology, regions and checker must
// outlive the strategy. For `approximate`, the caller builds the graph with approximate local
// recovery enabled; the strategy itself is the region strategy.
std::unique_ptr<FailoverStrategy> make_failover_strategy(
    FailoverStrategyKind kind, const graph::ExecutionGraph& graph,
    const graph::PipelinedRegions& regions, const ResultPartitionAvailabilityChecker& checker);

}  // namespace flinksim::strategies
