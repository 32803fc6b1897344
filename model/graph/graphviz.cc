#include "model/graph/graphviz.h"

#include <array>
#include <sstream>

namespace flinksim::graph {
namespace {

// A qualitative palette (ColorBrewer Set3) that stays readable with black labels.
constexpr std::array<const char*, 12> palette = {
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
    "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
};

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

const char* edge_style(ResultPartitionType type) {
  if (must_be_pipelined_consumed(type)) return "solid";
  if (type == ResultPartitionType::pipelined_approximate) return "dotted";
  return "dashed";
}

}  // namespace

std::string to_dot(const ExecutionGraph& graph, const PipelinedRegions& regions) {
  const JobGraph& job = graph.job_graph();
  std::ostringstream out;
  out << "digraph " << quoted(job.name().empty() ? "job" : job.name()) << " {\n";
  out << "  rankdir=LR;\n  node [shape=box, style=filled, fontname=\"Helvetica\"];\n";
  for (uint32_t v = 0; v < job.vertices().size(); ++v) {
    const JobVertex& vertex = job.vertices()[v];
    out << "  subgraph " << quoted("cluster_" + vertex.name) << " {\n";
    out << "    label=" << quoted(vertex.name + " (p=" + std::to_string(vertex.parallelism) + ")")
        << ";\n";
    const VertexIndex first = graph.first_vertex_of(JobVertexId{v});
    for (int s = 0; s < vertex.parallelism; ++s) {
      const VertexIndex index = first + static_cast<VertexIndex>(s);
      const RegionIndex region = regions.region_of[index];
      out << "    " << quoted(graph.task_name(index)) << " [fillcolor="
          << quoted(palette[region % palette.size()]) << ", tooltip="
          << quoted("region " + std::to_string(region)) << "];\n";
    }
    out << "  }\n";
  }
  for (const ResultPartition& partition : graph.partitions()) {
    for (GroupIndex g : partition.consumer_vertex_groups) {
      for (VertexIndex consumer : graph.consumer_vertex_groups()[g].vertices) {
        out << "  " << quoted(graph.task_name(partition.producer)) << " -> "
            << quoted(graph.task_name(consumer)) << " [style=" << edge_style(partition.type)
            << ", tooltip=" << quoted(flink_name(partition.type)) << "];\n";
      }
    }
  }
  out << "}\n";
  return out.str();
}

}  // namespace flinksim::graph
