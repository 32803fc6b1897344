#pragma once

// Pipelined regions: the sets of tasks that must run, and therefore restart, together.
//
// Execution level, following Flink's DefaultExecutionTopology + SchedulingPipelinedRegionComputeUtil:
// 1. Logical regions: job vertices joined by PIPELINED / PIPELINED_BOUNDED edges
//    (LogicalPipelinedRegionComputeUtil).
// 2. A logical region that contains an ALL_TO_ALL edge between two of its own job vertices
//    (pipelined or blocking) becomes one region with all its subtasks.
// 3. Otherwise its subtasks are joined along must-be-pipelined partitions (raw regions).
// 4. Raw regions that depend on each other in a cycle through the other partition types are
//    merged (strongly connected components, FLINK-17330). Like the recommendation of
//    FLINK_FACTS.md §2.4, this runs over the whole graph rather than per logical region, which
//    reproduces every Flink test and cannot deadlock.
//
// Output is canonical: each region's vertex indices ascending, regions ordered by their smallest
// vertex index.

#include <cstdint>
#include <vector>

#include "model/graph/execution_graph.h"
#include "model/graph/job_graph.h"

namespace flinksim::graph {

using RegionIndex = uint32_t;

struct PipelinedRegions {
  std::vector<std::vector<VertexIndex>> regions;
  std::vector<RegionIndex> region_of;  // by vertex index
};

PipelinedRegions compute_pipelined_regions(const ExecutionGraph& graph);

// Job-vertex level regions (union over must-be-pipelined edges only, no cycle merge): each
// region's vertices ascending by declaration index, regions ordered by their first vertex.
std::vector<std::vector<JobVertexId>> compute_logical_pipelined_regions(const JobGraph& job);

// Regions as sorted task-id strings ("v:0"), the regions sorted by their first element — the
// contract's JSON order (plain byte-wise string order, so "v:10" sorts before "v:2").
std::vector<std::vector<std::string>> region_task_names(const ExecutionGraph& graph,
                                                        const PipelinedRegions& regions);
// The same for logical regions, with vertex names.
std::vector<std::vector<std::string>> logical_region_names(const JobGraph& job);

}  // namespace flinksim::graph
