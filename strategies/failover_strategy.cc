#include "strategies/failover_strategy.h"

#include "model/graph/text.h"
#include "strategies/restart_all_failover_strategy.h"
#include "strategies/restart_pipelined_region_failover_strategy.h"

namespace flinksim::strategies {

std::optional<FailoverStrategyKind> parse_failover_strategy_kind(std::string_view text) {
  const std::string name = graph::normalize_enum_text(text);
  if (name == "full" || name == "restart_all") return FailoverStrategyKind::full;
  if (name == "region") return FailoverStrategyKind::region;
  if (name == "approximate" || name == "approximate_local") {
    return FailoverStrategyKind::approximate;
  }
  return std::nullopt;
}

std::string_view to_string(FailoverStrategyKind kind) {
  switch (kind) {
    case FailoverStrategyKind::full: return "full";
    case FailoverStrategyKind::region: return "region";
    case FailoverStrategyKind::approximate: return "approximate";
  }
  return "?";
}

std::unique_ptr<FailoverStrategy> make_failover_strategy(
    FailoverStrategyKind kind, const graph::ExecutionGraph& graph,
    const graph::PipelinedRegions& regions, const ResultPartitionAvailabilityChecker& checker) {
  if (kind == FailoverStrategyKind::full) {
    return std::make_unique<RestartAllFailoverStrategy>(graph);
  }
  return std::make_unique<RestartPipelinedRegionFailoverStrategy>(graph, regions, checker);
}

}  // namespace flinksim::strategies
