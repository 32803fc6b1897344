#pragma once

// Graphviz DOT export of an execution graph: one node per task, filled with a colour per
// pipelined region, one cluster per job vertex, one edge per producer/consumer pair. Blocking
// and hybrid partitions are dashed, approximate ones dotted, so region borders are visible.

#include <string>

#include "model/graph/execution_graph.h"
#include "model/graph/pipelined_regions.h"

namespace flinksim::graph {

std::string to_dot(const ExecutionGraph& graph, const PipelinedRegions& regions);

}  // namespace flinksim::graph
