#include "model/graph/operator_chaining.h"

#include "sim/assert.h"

namespace flinksim::graph {
namespace {

// StreamingJobGraphGenerator#areOperatorsChainable: NEVER upstream, or HEAD or NEVER
// downstream, start a new chain.
bool are_operators_chainable(const JobVertex& upstream, const JobVertex& downstream,
                             const ChainingOptions& options) {
  if (upstream.chaining == ChainingStrategy::never) return false;
  if (downstream.chaining != ChainingStrategy::always) return false;
  if (upstream.parallelism != downstream.parallelism) return false;
  return options.different_max_parallelism ||
         upstream.max_parallelism == downstream.max_parallelism;
}

// arePartitionerAndExchangeModeChainable: forward, and not a BATCH exchange.
bool is_forward_pipelined(const JobEdge& edge) {
  if (edge.partitioner != Partitioner::forward) return false;
  // StreamExchangeMode.BATCH is what becomes a BLOCKING result; hybrid exchanges still chain.
  const auto type = edge.explicit_result_type;
  return !type || (*type != ResultPartitionType::blocking &&
                   *type != ResultPartitionType::blocking_persistent);
}

std::vector<int> input_counts(const JobGraph& job) {
  std::vector<int> counts(job.vertices().size(), 0);
  for (const JobEdge& edge : job.edges()) ++counts[edge.consumer.index];
  return counts;
}

struct Chains {
  // Per operator of the stream graph: the operator (its vertex) heading its chain, and the
  // edge it is chained by, if any.
  std::vector<uint32_t> head;
  std::vector<std::optional<uint32_t>> chained_by;
  std::vector<bool> has_sink;  // per head
};

Chains assign_chains(const JobGraph& job, const ChainingOptions& options) {
  const size_t n = job.vertices().size();
  Chains chains{std::vector<uint32_t>(n), std::vector<std::optional<uint32_t>>(n),
                std::vector<bool>(n, false)};
  std::vector<std::optional<uint32_t>> in_edge(n);
  for (uint32_t e = 0; e < job.edges().size(); ++e) in_edge[job.edges()[e].consumer.index] = e;
  auto order = job.topological_order();
  FLINKSIM_ASSERT_MSG(order.ok(), "chaining needs an acyclic job");
  for (const JobVertexId v : *order) {
    const bool sink = job.vertex(v).operator_spec.kind == OperatorKind::sink;
    chains.head[v.index] = v.index;
    const std::optional<uint32_t> e = in_edge[v.index];
    if (e && is_chainable(job, JobEdgeId{*e}, options)) {
      const uint32_t head = chains.head[job.edges()[*e].producer.index];
      if (!(sink && chains.has_sink[head])) {
        chains.head[v.index] = head;
        chains.chained_by[v.index] = *e;
      }
    }
    if (sink) chains.has_sink[chains.head[v.index]] = true;
  }
  return chains;
}

// Appends operator `v` and, depth first in edge order, the operators chained to it (the order
// of StreamingJobGraphGenerator#createChain). Records each operator's position.
void append_chain(const JobGraph& job, const Chains& chains, uint32_t v, uint32_t input,
                  JobVertex& vertex, std::vector<uint32_t>& position) {
  const JobVertex& op = job.vertices()[v];
  position[v] = static_cast<uint32_t>(vertex.operators.size());
  vertex.operators.push_back(ChainedOperator{op.name, op.operator_spec, input});
  const uint32_t self = position[v];
  for (uint32_t e = 0; e < job.edges().size(); ++e) {
    const uint32_t consumer = job.edges()[e].consumer.index;
    if (job.edges()[e].producer.index != v || chains.chained_by[consumer] != e) continue;
    append_chain(job, chains, consumer, self, vertex, position);
  }
}

}  // namespace

bool is_chainable(const JobGraph& stream_graph, JobEdgeId id, const ChainingOptions& options) {
  const JobEdge& edge = stream_graph.edge(id);
  if (!options.enabled || !is_forward_pipelined(edge)) return false;
  if (input_counts(stream_graph)[edge.consumer.index] != 1) return false;
  return are_operators_chainable(stream_graph.vertex(edge.producer),
                                 stream_graph.vertex(edge.consumer), options);
}

JobGraph chain_operators(const JobGraph& stream_graph, const ChainingOptions& options) {
  const Chains chains = assign_chains(stream_graph, options);
  JobGraph job(stream_graph.name(), stream_graph.mode());
  job.set_approximate_local_recovery(stream_graph.approximate_local_recovery());
  const size_t n = stream_graph.vertices().size();
  std::vector<uint32_t> chain_of(n);
  std::vector<uint32_t> position(n);
  for (uint32_t v = 0; v < n; ++v) {
    if (chains.head[v] != v) continue;
    const JobVertex& head = stream_graph.vertices()[v];
    const JobVertexId id = job.add_vertex(head.name, head.parallelism, head.max_parallelism,
                                          head.operator_spec);
    JobVertex& vertex = job.mutable_vertex(id);
    vertex.max_parallelism_explicit = head.max_parallelism_explicit;
    vertex.chaining = head.chaining;
    vertex.stream_index = head.stream_index;
    vertex.operators.clear();
    append_chain(stream_graph, chains, v, 0, vertex, position);
    chain_of[v] = id.index;
  }
  for (uint32_t v = 0; v < n; ++v) chain_of[v] = chain_of[chains.head[v]];
  for (uint32_t e = 0; e < stream_graph.edges().size(); ++e) {
    const JobEdge& edge = stream_graph.edges()[e];
    if (chains.chained_by[edge.consumer.index] == e) continue;
    JobEdge copy = edge;
    copy.producer = JobVertexId{chain_of[edge.producer.index]};
    copy.consumer = JobVertexId{chain_of[edge.consumer.index]};
    copy.producer_operator = position[edge.producer.index];
    const JobEdgeId added = copy.partitioner
                                ? job.add_edge(copy.producer, copy.consumer, *copy.partitioner,
                                               copy.explicit_result_type)
                                : job.add_edge(copy.producer, copy.consumer, copy.distribution,
                                               copy.explicit_result_type);
    job.mutable_edge(added) = copy;
  }
  return job;
}

}  // namespace flinksim::graph
