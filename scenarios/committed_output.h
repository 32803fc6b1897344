#pragma once

// `flinksim run --output FILE`: the committed output of every sink, one JSON object per line in
// commit order (SCENARIOS.md §3): {"sink": "sink", "key": "k17", "window_end_ms": 10000,
// "value": 42, "sources": 42}; `window_end_ms` only for window results, `sources` = how many
// source records the value reflects.

#include <ostream>
#include <vector>

#include "model/graph/job_graph.h"
#include "model/sink_store.h"

namespace flinksim::scenarios {

void write_committed_output(const graph::JobGraph& job, const std::vector<model::CommittedRecord>& output,
                            std::ostream& out);

}  // namespace flinksim::scenarios
