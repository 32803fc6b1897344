#pragma once

// A two-phase-commit sink's transaction: which sink subtask and attempt opened it, and its number
// within that attempt. Stable across failovers, so a restored sink can commit it again.

#include <compare>
#include <cstdint>

#include "model/graph/ids.h"

namespace flinksim::model {

struct TransactionId {
  graph::ExecutionVertexId sink;
  // The leadership whose task opened it: attempt numbers start again under a new JobManager
  // leader, so the leader session keeps transactions of different leaders apart.
  uint64_t leader_session = 0;
  uint32_t attempt = 0;
  uint64_t number = 0;
  auto operator<=>(const TransactionId&) const = default;
};

}  // namespace flinksim::model
