#include "model/graph/job_graph.h"

#include <algorithm>
#include <queue>
#include <set>

#include "model/graph/max_parallelism.h"
#include "sim/assert.h"

namespace flinksim::graph {

JobVertexId JobGraph::add_vertex(std::string name, int parallelism,
                                 std::optional<int> max_parallelism,
                                 OperatorSpec operator_spec) {
  JobVertex vertex;
  vertex.name = std::move(name);
  vertex.parallelism = parallelism;
  vertex.max_parallelism_explicit = max_parallelism.has_value();
  vertex.max_parallelism = max_parallelism.value_or(
      parallelism >= 1 ? static_cast<int>(default_max_parallelism(parallelism))
                       : static_cast<int>(max_parallelism_lower_bound));
  vertex.operators.push_back(ChainedOperator{vertex.name, operator_spec, 0});
  vertex.operator_spec = std::move(operator_spec);
  if (vertex.operator_spec.kind == OperatorKind::source) vertex.chaining = ChainingStrategy::head;
  vertex.stream_index = static_cast<uint32_t>(vertices_.size());
  vertices_.push_back(std::move(vertex));
  return JobVertexId{static_cast<uint32_t>(vertices_.size() - 1)};
}

JobEdgeId JobGraph::add_edge(JobVertexId producer, JobVertexId consumer,
                             DistributionPattern distribution,
                             std::optional<ResultPartitionType> result_type) {
  FLINKSIM_ASSERT(producer.index < vertices_.size() && consumer.index < vertices_.size());
  edges_.push_back(JobEdge{producer, consumer, distribution, std::nullopt, result_type});
  return JobEdgeId{static_cast<uint32_t>(edges_.size() - 1)};
}

JobEdgeId JobGraph::add_edge(JobVertexId producer, JobVertexId consumer, Partitioner partitioner,
                             std::optional<ResultPartitionType> result_type) {
  JobEdgeId id = add_edge(producer, consumer, distribution_of(partitioner), result_type);
  edges_.back().partitioner = partitioner;
  return id;
}

const JobVertex& JobGraph::vertex(JobVertexId id) const {
  FLINKSIM_ASSERT(id.index < vertices_.size());
  return vertices_[id.index];
}

const JobEdge& JobGraph::edge(JobEdgeId id) const {
  FLINKSIM_ASSERT(id.index < edges_.size());
  return edges_[id.index];
}

std::optional<JobVertexId> JobGraph::find_vertex(std::string_view name) const {
  for (size_t i = 0; i < vertices_.size(); ++i) {
    if (vertices_[i].name == name) return JobVertexId{static_cast<uint32_t>(i)};
  }
  for (size_t i = 0; i < vertices_.size(); ++i) {
    if (vertices_[i].has_operator(name)) return JobVertexId{static_cast<uint32_t>(i)};
  }
  return std::nullopt;
}

const ChainedOperator* JobVertex::sink() const {
  for (const ChainedOperator& op : operators) {
    if (op.spec.kind == OperatorKind::sink) return &op;
  }
  return nullptr;
}

bool JobVertex::has_operator(std::string_view operator_name) const {
  return std::any_of(operators.begin(), operators.end(),
                     [&](const ChainedOperator& op) { return op.name == operator_name; });
}

std::optional<JobEdgeId> JobGraph::find_edge(JobVertexId producer, JobVertexId consumer) const {
  for (size_t i = 0; i < edges_.size(); ++i) {
    if (edges_[i].producer == producer && edges_[i].consumer == consumer) {
      return JobEdgeId{static_cast<uint32_t>(i)};
    }
  }
  return std::nullopt;
}

ResultPartitionType JobGraph::default_result_type() const {
  if (mode_ == JobMode::batch) return ResultPartitionType::blocking;
  return approximate_local_recovery_ ? ResultPartitionType::pipelined_approximate
                                     : ResultPartitionType::pipelined_bounded;
}

ResultPartitionType JobGraph::result_type_of(JobEdgeId id) const {
  return edge(id).explicit_result_type.value_or(default_result_type());
}

namespace {

// Finds one cycle with a depth-first search and renders it "a -> b -> a".
std::string describe_cycle(const JobGraph& graph) {
  const size_t n = graph.vertices().size();
  std::vector<std::vector<uint32_t>> successors(n);
  for (const JobEdge& edge : graph.edges()) {
    successors[edge.producer.index].push_back(edge.consumer.index);
  }
  enum class Color { white, grey, black };
  std::vector<Color> color(n, Color::white);
  std::vector<uint32_t> stack;
  // Iterative DFS: each frame is (vertex, next successor position).
  for (uint32_t start = 0; start < n; ++start) {
    if (color[start] != Color::white) continue;
    std::vector<std::pair<uint32_t, size_t>> frames{{start, 0}};
    color[start] = Color::grey;
    stack.assign(1, start);
    while (!frames.empty()) {
      auto& [v, next] = frames.back();
      if (next == successors[v].size()) {
        color[v] = Color::black;
        frames.pop_back();
        stack.pop_back();
        continue;
      }
      const uint32_t w = successors[v][next++];
      if (color[w] == Color::grey) {
        auto begin = std::find(stack.begin(), stack.end(), w);
        std::string text;
        for (auto it = begin; it != stack.end(); ++it) text += graph.vertices()[*it].name + " -> ";
        return text + graph.vertices()[w].name;
      }
      if (color[w] == Color::white) {
        color[w] = Color::grey;
        frames.emplace_back(w, 0);
        stack.push_back(w);
      }
    }
  }
  return "";
}

}  // namespace

sim::Result<std::vector<JobVertexId>> JobGraph::topological_order() const {
  const size_t n = vertices_.size();
  std::vector<uint32_t> in_degree(n, 0);
  std::vector<std::vector<uint32_t>> successors(n);
  for (const JobEdge& edge : edges_) {
    successors[edge.producer.index].push_back(edge.consumer.index);
    ++in_degree[edge.consumer.index];
  }
  // A min-heap keeps the order deterministic and close to the declaration order.
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> ready;
  for (uint32_t i = 0; i < n; ++i) {
    if (in_degree[i] == 0) ready.push(i);
  }
  std::vector<JobVertexId> order;
  order.reserve(n);
  while (!ready.empty()) {
    const uint32_t v = ready.top();
    ready.pop();
    order.push_back(JobVertexId{v});
    for (uint32_t w : successors[v]) {
      if (--in_degree[w] == 0) ready.push(w);
    }
  }
  if (order.size() != n) {
    return sim::Error{"the job graph has a cycle: " + describe_cycle(*this)};
  }
  return order;
}

sim::Result<bool> JobGraph::validate() const {
  std::set<std::string_view> names;
  for (const JobVertex& vertex : vertices_) {
    if (!names.insert(vertex.name).second) {
      return sim::Error{"duplicate vertex name '" + vertex.name + "'"};
    }
    if (vertex.max_parallelism < 1 || vertex.max_parallelism > max_parallelism_upper_bound) {
      return sim::Error{"max parallelism of '" + vertex.name + "' must be within [1, 32768], got " +
                        std::to_string(vertex.max_parallelism)};
    }
    if (vertex.parallelism < 1 || vertex.parallelism > vertex.max_parallelism) {
      return sim::Error{"parallelism of '" + vertex.name + "' must be within [1, " +
                        std::to_string(vertex.max_parallelism) + "] (its max parallelism), got " +
                        std::to_string(vertex.parallelism)};
    }
  }
  for (const JobEdge& edge : edges_) {
    const JobVertex& producer = vertex(edge.producer);
    const JobVertex& consumer = vertex(edge.consumer);
    if (edge.partitioner == Partitioner::forward && producer.parallelism != consumer.parallelism) {
      return sim::Error{"forward partitioning does not allow a change of parallelism: '" +
                        producer.name + "' has " + std::to_string(producer.parallelism) + ", '" +
                        consumer.name + "' has " + std::to_string(consumer.parallelism) +
                        "; use rescale, rebalance, hash or broadcast"};
    }
  }
  auto order = topological_order();
  if (!order.ok()) return order.error();
  return true;
}

std::string_view to_string(JobMode mode) {
  return mode == JobMode::streaming ? "streaming" : "batch";
}

std::string_view to_string(ChainingStrategy strategy) {
  switch (strategy) {
    case ChainingStrategy::always: return "always";
    case ChainingStrategy::head: return "head";
    case ChainingStrategy::never: return "never";
  }
  return "?";
}

std::string operator_display_name(const ChainedOperator& op) {
  if (op.spec.kind == OperatorKind::source) return "Source: " + op.name;
  if (op.spec.kind == OperatorKind::sink) return "Sink: " + op.name;
  return op.name;
}

namespace {

// createChainedName, from operator `index` down its chained outputs.
std::string chained_name(const JobVertex& vertex, uint32_t index) {
  std::vector<uint32_t> outputs;
  for (uint32_t i = 1; i < vertex.operators.size(); ++i) {
    if (vertex.operators[i].input == index) outputs.push_back(i);
  }
  std::string name = operator_display_name(vertex.operators[index]);
  if (outputs.size() == 1) return name + " -> " + chained_name(vertex, outputs[0]);
  if (outputs.empty()) return name;
  std::string list;
  for (uint32_t output : outputs) list += (list.empty() ? "" : ", ") + chained_name(vertex, output);
  return name + " -> (" + list + ")";
}

}  // namespace

std::string display_name(const JobVertex& vertex) {
  if (vertex.operators.empty()) return vertex.name;
  return chained_name(vertex, 0);
}

std::string task_name(const JobGraph& job, ExecutionVertexId id) {
  const JobVertex& vertex = job.vertex(id.vertex);
  return display_name(vertex) + " (" + std::to_string(id.subtask + 1) + "/" +
         std::to_string(vertex.parallelism) + ")";
}

}  // namespace flinksim::graph
