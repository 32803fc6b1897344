#pragma once

// Flink's RestartAllFailoverStrategy: every vertex restarts, whichever failed and why.

#include "strategies/failover_strategy.h"

namespace flinksim::strategies {

class RestartAllFailoverStrategy final : public FailoverStrategy {
 public:
  explicit RestartAllFailoverStrategy(const graph::ExecutionGraph& graph) : graph_(graph) {}
  std::vector<graph::ExecutionVertexId> tasks_needing_restart(
      graph::ExecutionVertexId failed, const FailureCause& cause) const override;

 private:
  const graph::ExecutionGraph& graph_;
};

}  // namespace flinksim::strategies
