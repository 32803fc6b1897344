#include "scenarios/job_loader.h"

#include <cmath>
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <fmt/format.h>

#include "model/graph/max_parallelism.h"
#include "model/graph/operator_chaining.h"

namespace flinksim::scenarios {
namespace {

using graph::OperatorKind;

const std::vector<std::string> job_keys = {"name", "mode", "vertices", "edges"};
const std::vector<std::string> vertex_keys = {"name",
                                              "parallelism",
                                              "max-parallelism",
                                              "operator",
                                              "records",
                                              "rate",
                                              "keys",
                                              "key-distribution",
                                              "zipf-exponent",
                                              "out-of-orderness",
                                              "state-growth",
                                              "state-change-rate",
                                              "function",
                                              "size",
                                              "delivery",
                                              "selectivity",
                                              "cost-per-record",
                                              "state-per-key",
                                              "state-size",
                                              "state-size-total",
                                              "max-rate",
                                              "backlog",
                                              "transaction-timeout",
                                              "chaining",
                                              "start-new-chain"};
const std::vector<std::string> edge_keys = {"from", "to", "partitioning", "distribution",
                                            "result"};
const std::vector<std::string> mode_values = {"streaming", "batch"};
const std::vector<std::string> operator_values = {"none",      "source", "map",  "filter",
                                                  "aggregate", "window", "sink"};
const std::vector<std::string> key_distribution_values = {"uniform", "zipf"};
const std::vector<std::string> function_values = {"count", "sum", "max"};
const std::vector<std::string> delivery_values = {"exactly-once", "at-least-once"};
const std::vector<std::string> backlog_values = {"log", "none"};
const std::vector<std::string> partitioning_values = {"forward", "rescale", "rebalance", "hash",
                                                      "broadcast"};
const std::vector<std::string> distribution_values = {"pointwise", "all_to_all"};
const std::vector<std::string> result_values = {
    "pipelined",    "pipelined_bounded", "pipelined_approximate", "blocking",
    "blocking_persistent", "hybrid_full", "hybrid_selective"};

// Which operator kinds each operator-specific key applies to; the other keys apply to all.
const std::map<std::string, std::vector<OperatorKind>>& key_applicability() {
  static const std::map<std::string, std::vector<OperatorKind>> table = {
      {"records", {OperatorKind::source}},
      {"rate", {OperatorKind::source}},
      {"keys", {OperatorKind::source}},
      {"key-distribution", {OperatorKind::source}},
      {"zipf-exponent", {OperatorKind::source}},
      {"out-of-orderness", {OperatorKind::source}},
      {"backlog", {OperatorKind::source}},
      {"function", {OperatorKind::aggregate, OperatorKind::window}},
      {"size", {OperatorKind::window}},
      {"delivery", {OperatorKind::sink}},
      {"transaction-timeout", {OperatorKind::sink}},
      {"selectivity", {OperatorKind::filter}},
  };
  return table;
}

std::string kinds_text(const std::vector<OperatorKind>& kinds) {
  std::string text;
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) text += i + 1 == kinds.size() ? " or " : ", ";
    text += fmt::format("'{}'", graph::to_string(kinds[i]));
  }
  return text;
}

bool is_defined(const NodeRef& ref) { return ref.node.IsDefined(); }

void missing_key(const NodeRef& parent, const std::string& key, Diagnostics& diagnostics) {
  diagnostics.error(parent.location(), parent.path, "missing key '" + key + "'");
}

// Reports operator keys that do not apply to the vertex's operator.
void check_operator_keys(const NodeRef& vertex, OperatorKind kind, Diagnostics& diagnostics) {
  for (const auto& [key, kinds] : key_applicability()) {
    const NodeRef value = vertex.child(key);
    if (!is_defined(value)) continue;
    if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) continue;
    diagnostics.error(value.location(), value.path,
                      "key '" + key + "' applies only to operator " + kinds_text(kinds) +
                          ", not '" + std::string(graph::to_string(kind)) + "'");
  }
}

void read_capacity(const NodeRef& vertex, graph::OperatorSpec& spec, Diagnostics& diagnostics);

// `transaction-timeout: 15 min` (Kafka's transaction.timeout.ms): only a two-phase-commit sink
// has transactions for the store to time out.
void read_transaction_timeout(const NodeRef& vertex, graph::OperatorSpec& spec,
                              Diagnostics& diagnostics) {
  const NodeRef node = vertex.child("transaction-timeout");
  const std::optional<sim::Duration> timeout = read_duration(node, diagnostics);
  if (!timeout) return;
  if (spec.delivery != graph::SinkDelivery::exactly_once) {
    diagnostics.error(
        node.location(), node.path,
        "transaction-timeout applies only to 'delivery: exactly-once' (an at-least-once sink "
        "writes without transactions)");
  } else if (*timeout <= sim::Duration::zero()) {
    diagnostics.error(node.location(), node.path, "transaction-timeout must be positive");
  } else {
    spec.transaction_timeout = *timeout;
  }
}

// The model paces a source subtask in integer records per million hours, exact up to 10^9
// records a second (model/runtime/source_pacing.h); a rate of zero would read nothing, and was
// silently taken as unthrottled.
constexpr double kMaxSourceRate = 1e9;

std::optional<double> read_source_rate(const NodeRef& rate, Diagnostics& diagnostics) {
  const std::optional<double> value = read_rate_per_second(rate, diagnostics);
  if (!value) return std::nullopt;
  if (*value <= 0) {
    diagnostics.error(rate.location(), rate.path,
                      "rate must be more than zero; leave 'rate' out for a bounded source read as "
                      "fast as its consumers take it");
    return std::nullopt;
  }
  if (*value > kMaxSourceRate) {
    diagnostics.error(rate.location(), rate.path,
                      fmt::format("rate {:.3g}/s per subtask is above the 10^9/s a source subtask "
                                  "can be paced at; raise the parallelism or lower the rate",
                                  *value));
    return std::nullopt;
  }
  return value;
}

graph::OperatorSpec read_operator_spec(const NodeRef& vertex, Diagnostics& diagnostics) {
  graph::OperatorSpec spec;
  if (auto kind = read_enum(vertex.child("operator"), operator_values, diagnostics)) {
    spec.kind = static_cast<OperatorKind>(*kind);
  }
  check_operator_keys(vertex, spec.kind, diagnostics);
  constexpr int64_t int_max = std::numeric_limits<int64_t>::max();
  spec.records = read_int(vertex.child("records"), 0, int_max, diagnostics);
  spec.rate_per_second = read_source_rate(vertex.child("rate"), diagnostics);
  spec.keys = read_int(vertex.child("keys"), 1, int_max, diagnostics);
  if (auto d = read_enum(vertex.child("key-distribution"), key_distribution_values, diagnostics)) {
    spec.key_distribution = static_cast<graph::KeyDistribution>(*d);
  }
  if (auto e = read_double(vertex.child("zipf-exponent"), 0.0, 1e6, diagnostics)) {
    spec.zipf_exponent = *e;
  }
  if (auto d = read_duration(vertex.child("out-of-orderness"), diagnostics)) {
    spec.out_of_orderness = *d;
  }
  if (auto f = read_enum(vertex.child("function"), function_values, diagnostics)) {
    spec.function = static_cast<graph::AggregateFunction>(*f);
  }
  const NodeRef size = vertex.child("size");
  spec.window_size = read_duration(size, diagnostics);
  if (spec.window_size && *spec.window_size <= sim::Duration::zero()) {
    diagnostics.error(size.location(), size.path, "window size must be positive");
  }
  if (spec.kind == OperatorKind::window && !is_defined(size)) {
    diagnostics.error(vertex.location(), vertex.path, "operator 'window' needs key 'size'");
  }
  if (auto d = read_enum(vertex.child("delivery"), delivery_values, diagnostics)) {
    spec.delivery = static_cast<graph::SinkDelivery>(*d);
  }
  read_transaction_timeout(vertex, spec, diagnostics);
  if (auto s = read_double(vertex.child("selectivity"), 0.0, 1.0, diagnostics)) {
    spec.selectivity = *s;
  }
  if (auto c = read_duration(vertex.child("cost-per-record"), diagnostics)) {
    spec.cost_per_record = *c;
  }
  if (auto s = read_size_bytes(vertex.child("state-per-key"), diagnostics)) {
    spec.state_per_key_bytes = *s;
  }
  read_capacity(vertex, spec, diagnostics);
  if (auto b = read_enum(vertex.child("backlog"), backlog_values, diagnostics)) {
    spec.backlog = *b == 0 ? graph::SourceBacklog::log : graph::SourceBacklog::none;
  }
  return spec;
}

// `max-rate: 80000/s`: what one subtask can process, as a CPU cost per record (1 / rate).
void read_capacity(const NodeRef& vertex, graph::OperatorSpec& spec, Diagnostics& diagnostics) {
  const NodeRef max_rate = vertex.child("max-rate");
  const std::optional<double> rate = read_rate_per_second(max_rate, diagnostics);
  if (!rate) return;
  if (vertex.child("cost-per-record").node) {
    diagnostics.error(max_rate.location(), max_rate.path, "give either max-rate or cost-per-record, not both");
  } else if (*rate <= 0 || *rate > 1e9) {
    diagnostics.error(max_rate.location(), max_rate.path, "max-rate must be in (0, 1000000000]/s");
  } else {
    spec.cost_per_record = sim::Duration::nanoseconds(static_cast<int64_t>(std::llround(1e9 / *rate)));
  }
}

// `state-size` per subtask, or `state-size-total` spread evenly over the subtasks.
void read_state_size(const NodeRef& vertex, int64_t parallelism, graph::OperatorSpec& spec,
                     Diagnostics& diagnostics) {
  const std::optional<int64_t> per_subtask = read_size_bytes(vertex.child("state-size"), diagnostics);
  const std::optional<int64_t> total = read_size_bytes(vertex.child("state-size-total"), diagnostics);
  if (per_subtask && total) {
    const NodeRef node = vertex.child("state-size-total");
    diagnostics.error(node.location(), node.path, "give either state-size or state-size-total, not both");
  }
  if (per_subtask) spec.state_size_bytes = *per_subtask;
  if (total && !per_subtask) spec.state_size_bytes = *total / parallelism;
  if (auto growth = read_size_rate_bytes_per_second(vertex.child("state-growth"), diagnostics)) {
    spec.state_growth_bytes_per_second = *growth;
  }
  if (auto change = read_size_rate_bytes_per_second(vertex.child("state-change-rate"), diagnostics)) {
    spec.state_change_bytes_per_second = *change;
  }
}

// `chaining: false` is DataStream#disableChaining (NEVER), `start-new-chain: true` is
// #startNewChain (HEAD). Unset: the operator's own strategy (sources HEAD, others ALWAYS).
std::optional<graph::ChainingStrategy> read_chaining(const NodeRef& vertex, Diagnostics& diagnostics) {
  const std::optional<bool> chaining = read_bool(vertex.child("chaining"), diagnostics);
  const std::optional<bool> new_chain = read_bool(vertex.child("start-new-chain"), diagnostics);
  if (chaining == false) return graph::ChainingStrategy::never;
  if (new_chain == true) return graph::ChainingStrategy::head;
  return std::nullopt;
}

struct VertexSource {
  NodeRef node;
  NodeRef name_node;
};

void load_vertices(const NodeRef& vertices, graph::JobGraph& job, std::vector<VertexSource>& sources,
                   Diagnostics& diagnostics) {
  std::map<std::string, int> first_line;
  for (size_t i = 0; i < vertices.node.size(); ++i) {
    const NodeRef vertex = vertices.element(i);
    if (!check_keys(vertex, vertex_keys, diagnostics) && !vertex.node.IsMap()) continue;
    const NodeRef name_node = vertex.child("name");
    std::optional<std::string> name = read_string(name_node, diagnostics);
    if (!is_defined(name_node)) missing_key(vertex, "name", diagnostics);
    if (name && name->empty()) {
      diagnostics.error(name_node.location(), name_node.path, "vertex name must not be empty");
      name.reset();
    }
    if (name && first_line.contains(*name)) {
      diagnostics.error(name_node.location(), name_node.path,
                        "duplicate vertex name '" + *name + "' (first defined on line " +
                            std::to_string(first_line[*name]) + ")");
      name.reset();
    }
    if (name) first_line[*name] = name_node.location().line;

    const NodeRef parallelism_node = vertex.child("parallelism");
    const NodeRef max_node = vertex.child("max-parallelism");
    const std::optional<int64_t> parallelism = read_int(
        parallelism_node, 1, graph::max_parallelism_upper_bound, diagnostics);
    const std::optional<int64_t> max_parallelism =
        read_int(max_node, 1, graph::max_parallelism_upper_bound, diagnostics);
    const int64_t p = parallelism.value_or(1);
    if (parallelism && max_parallelism && p > *max_parallelism) {
      diagnostics.error(parallelism_node.location(), parallelism_node.path,
                        "parallelism " + std::to_string(p) + " is larger than max-parallelism " +
                            std::to_string(*max_parallelism));
    }
    graph::OperatorSpec spec = read_operator_spec(vertex, diagnostics);
    read_state_size(vertex, p, spec, diagnostics);
    const std::optional<graph::ChainingStrategy> chaining = read_chaining(vertex, diagnostics);
    if (!name) continue;
    std::optional<int> max_value;
    if (max_parallelism) max_value = static_cast<int>(*max_parallelism);
    const graph::JobVertexId id = job.add_vertex(*name, static_cast<int>(p), max_value, std::move(spec));
    if (chaining) job.mutable_vertex(id).chaining = *chaining;
    sources.push_back(VertexSource{vertex, name_node});
  }
}

struct EdgeSource {
  NodeRef node;
};

// Vertices by name and the edges declared so far, so that loading a job of thousands of vertices
// does not search the graph once per edge (JobGraph::find_vertex and find_edge are linear).
struct JobIndex {
  std::map<std::string, graph::JobVertexId, std::less<>> vertices;
  std::set<std::pair<uint32_t, uint32_t>> edges;

  explicit JobIndex(const graph::JobGraph& job) {
    for (uint32_t v = 0; v < job.vertices().size(); ++v) {
      vertices.emplace(job.vertices()[v].name, graph::JobVertexId{v});
    }
  }
};

std::vector<std::string> vertex_names(const graph::JobGraph& job) {
  std::vector<std::string> names;
  for (const auto& vertex : job.vertices()) names.push_back(vertex.name);
  return names;
}

std::optional<graph::JobVertexId> read_endpoint(const NodeRef& edge, const std::string& key,
                                                const graph::JobGraph& job, const JobIndex& index,
                                                Diagnostics& diagnostics) {
  const NodeRef ref = edge.child(key);
  if (!is_defined(ref)) {
    missing_key(edge, key, diagnostics);
    return std::nullopt;
  }
  const std::optional<std::string> name = read_string(ref, diagnostics);
  if (!name) return std::nullopt;
  const auto found = index.vertices.find(*name);
  const std::optional<graph::JobVertexId> id =
      found == index.vertices.end() ? std::nullopt : std::optional(found->second);
  if (!id) {
    const std::vector<std::string> names = vertex_names(job);
    diagnostics.error(ref.location(), ref.path,
                      "unknown vertex '" + *name + "'" + did_you_mean(*name, names));
  }
  return id;
}

void load_edge(const NodeRef& edge, graph::JobGraph& job, JobIndex& index,
               std::vector<EdgeSource>& sources, Diagnostics& diagnostics) {
  if (!check_keys(edge, edge_keys, diagnostics) && !edge.node.IsMap()) return;
  const auto from = read_endpoint(edge, "from", job, index, diagnostics);
  const auto to = read_endpoint(edge, "to", job, index, diagnostics);
  const NodeRef partitioning_node = edge.child("partitioning");
  const NodeRef distribution_node = edge.child("distribution");
  const auto partitioning = read_enum(partitioning_node, partitioning_values, diagnostics);
  const auto distribution = read_enum(distribution_node, distribution_values, diagnostics);
  std::optional<graph::ResultPartitionType> result;
  if (auto r = read_enum(edge.child("result"), result_values, diagnostics)) {
    result = graph::parse_result_partition_type(result_values[*r]);
  }
  if (is_defined(partitioning_node) && is_defined(distribution_node)) {
    diagnostics.error(distribution_node.location(), distribution_node.path,
                      "give either 'partitioning' or 'distribution', not both");
    return;
  }
  if (!from || !to) return;
  if (index.edges.contains({from->index, to->index})) {
    diagnostics.error(edge.location(), edge.path,
                      "duplicate edge '" + job.vertex(*from).name + "' -> '" +
                          job.vertex(*to).name + "'");
    return;
  }
  const int producer_parallelism = job.vertex(*from).parallelism;
  const int consumer_parallelism = job.vertex(*to).parallelism;
  if (distribution) {
    job.add_edge(*from, *to, static_cast<graph::DistributionPattern>(*distribution), result);
  } else {
    // Without a partitioner Flink picks forward for equal parallelism, rebalance otherwise
    // (StreamGraph#addEdgeInternal).
    graph::Partitioner partitioner = producer_parallelism == consumer_parallelism
                                         ? graph::Partitioner::forward
                                         : graph::Partitioner::rebalance;
    if (partitioning) partitioner = static_cast<graph::Partitioner>(*partitioning);
    if (partitioner == graph::Partitioner::forward &&
        producer_parallelism != consumer_parallelism) {
      diagnostics.error(partitioning_node.location(), partitioning_node.path,
                        "forward partitioning does not allow a change of parallelism ('" +
                            job.vertex(*from).name + "' has " +
                            std::to_string(producer_parallelism) + ", '" + job.vertex(*to).name +
                            "' has " + std::to_string(consumer_parallelism) +
                            "); use rescale, rebalance, hash or broadcast");
      return;
    }
    job.add_edge(*from, *to, partitioner, result);
  }
  index.edges.emplace(from->index, to->index);
  sources.push_back(EdgeSource{edge});
}

using Successors = std::vector<std::vector<graph::JobVertexId>>;

Successors successors_of(const graph::JobGraph& job) {
  Successors successors(job.vertices().size());
  for (const graph::JobEdge& edge : job.edges()) successors[edge.producer.index].push_back(edge.consumer);
  return successors;
}

// True if `target` can be reached from `start` along the job's edges: O(vertices + edges), so
// that finding the edge to blame stays affordable in a job of thousands of vertices.
bool reaches(const Successors& successors, graph::JobVertexId start, graph::JobVertexId target) {
  std::vector<bool> seen(successors.size(), false);
  std::vector<graph::JobVertexId> stack{start};
  while (!stack.empty()) {
    const graph::JobVertexId v = stack.back();
    stack.pop_back();
    if (v == target) return true;
    if (seen[v.index]) continue;
    seen[v.index] = true;
    stack.insert(stack.end(), successors[v.index].begin(), successors[v.index].end());
  }
  return false;
}

void check_cycles(const graph::JobGraph& job, const std::vector<EdgeSource>& sources,
                  Diagnostics& diagnostics) {
  auto order = job.topological_order();
  if (order.ok()) return;
  const Successors successors = successors_of(job);
  // Report at the first declared edge that lies on a cycle.
  for (size_t e = 0; e < job.edges().size(); ++e) {
    const graph::JobEdge& edge = job.edges()[e];
    if (reaches(successors, edge.consumer, edge.producer)) {
      diagnostics.error(sources[e].node.location(), sources[e].node.path, order.error().message);
      return;
    }
  }
}

}  // namespace

std::optional<graph::JobGraph> load_job(const NodeRef& job_node, Diagnostics& diagnostics) {
  const size_t errors_before = diagnostics.size();
  if (!check_keys(job_node, job_keys, diagnostics) && !job_node.node.IsMap()) {
    return std::nullopt;
  }
  graph::JobGraph job(read_string(job_node.child("name"), diagnostics).value_or("job"));
  if (auto mode = read_enum(job_node.child("mode"), mode_values, diagnostics)) {
    job.set_mode(static_cast<graph::JobMode>(*mode));
  }

  const NodeRef vertices = job_node.child("vertices");
  std::vector<VertexSource> vertex_sources;
  if (!is_defined(vertices)) {
    missing_key(job_node, "vertices", diagnostics);
  } else if (!vertices.node.IsSequence() || vertices.node.size() == 0) {
    diagnostics.error(vertices.location(), vertices.path, "'vertices' must be a non-empty list");
  } else {
    load_vertices(vertices, job, vertex_sources, diagnostics);
  }

  const NodeRef edges = job_node.child("edges");
  std::vector<EdgeSource> edge_sources;
  if (is_defined(edges) && !edges.node.IsNull()) {
    if (!edges.node.IsSequence()) {
      diagnostics.error(edges.location(), edges.path, "'edges' must be a list");
    } else {
      JobIndex index(job);
      for (size_t i = 0; i < edges.node.size(); ++i) {
        load_edge(edges.element(i), job, index, edge_sources, diagnostics);
      }
    }
  }
  check_cycles(job, edge_sources, diagnostics);
  if (diagnostics.size() != errors_before) return std::nullopt;

  // Everything JobGraph::validate checks was reported above; this only guards the invariant.
  if (auto valid = job.validate(); !valid.ok()) {
    diagnostics.error(job_node.location(), job_node.path, valid.error().message);
    return std::nullopt;
  }
  return job;
}

graph::ChainingOptions chaining_options(const FlinkConfiguration& config) {
  graph::ChainingOptions options;
  options.enabled = config.get_bool("pipeline.operator-chaining.enabled");
  options.different_max_parallelism =
      config.get_bool("pipeline.operator-chaining.chain-operators-with-different-max-parallelism");
  return options;
}

namespace {

// A scenario file's `config: {pipeline.operator-chaining.enabled: false}`, written as one key.
graph::ChainingOptions document_chaining_options(const NodeRef& root, Diagnostics& diagnostics) {
  graph::ChainingOptions options;
  const NodeRef config = root.child("config");
  if (!config.node.IsMap()) return options;
  const NodeRef enabled = config.child("pipeline.operator-chaining.enabled");
  if (enabled.node.IsDefined()) options.enabled = read_bool(enabled, diagnostics).value_or(true);
  return options;
}

}  // namespace

std::optional<graph::JobGraph> load_job_document(const NodeRef& root, Diagnostics& diagnostics) {
  if (!root.node.IsMap()) {
    diagnostics.error(root.location(), root.path,
                      "a job document must be a map: either {job: ...} or the job itself");
    return std::nullopt;
  }
  const NodeRef job = root.child("job");
  if (job.node.IsDefined()) return load_job(job, diagnostics);
  return load_job(NodeRef{root.node, root.file, "job"}, diagnostics);
}

std::optional<graph::JobGraph> load_chained_job_file(const std::string& path,
                                                     Diagnostics& diagnostics) {
  const std::optional<NodeRef> root = load_yaml_file(path, diagnostics);
  if (!root) return std::nullopt;
  const std::optional<graph::JobGraph> job = load_job_document(*root, diagnostics);
  if (!job) return std::nullopt;
  return graph::chain_operators(*job, document_chaining_options(*root, diagnostics));
}

std::optional<graph::JobGraph> load_job_file(const std::string& path, Diagnostics& diagnostics) {
  const std::optional<NodeRef> root = load_yaml_file(path, diagnostics);
  if (!root) return std::nullopt;
  return load_job_document(*root, diagnostics);
}

}  // namespace flinksim::scenarios
