#pragma once

// Flink's JobGraph, reduced to what fault tolerance needs: job vertices with parallelism and max
// parallelism, and job edges with a distribution pattern and a result partition type. Each edge
// carries its own IntermediateDataSet.
//
// The result type of an edge is either explicit or follows the job's exchange mode, as in
// StreamingJobGraphGenerator: streaming jobs use PIPELINED_BOUNDED, or PIPELINED_APPROXIMATE on
// every edge when approximate local recovery is enabled (FLIP-135); batch jobs use BLOCKING.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/graph/distribution_pattern.h"
#include "model/graph/ids.h"
#include "model/graph/operator_spec.h"
#include "model/graph/result_partition_type.h"
#include "sim/result.h"

namespace flinksim::graph {

enum class JobMode { streaming, batch };

// Flink's ChainingStrategy, as far as scenarios set it: ALWAYS (the default of operators), HEAD
// (`start-new-chain: true`, and every source: it heads a chain but takes no chained input) and
// NEVER (`chaining: false`, disableChaining).
enum class ChainingStrategy { always, head, never };

// One operator of a job vertex. An unchained vertex has one; a chain (StreamingJobGraphGenerator
// puts the operators of chainable forward edges into one JobVertex) has its head first and then
// the chained operators in the order the chain was built, each fed by its `input` (an index into
// the same list) with no channel in between.
struct ChainedOperator {
  std::string name;
  OperatorSpec spec;
  uint32_t input = 0;  // unused for the head (index 0)
};

struct JobVertex {
  // The head operator's name: what fault targets and partition names use. A chain's other
  // operators are found by their own names too (JobGraph::find_vertex).
  std::string name;
  int parallelism = 1;
  int max_parallelism = 128;
  bool max_parallelism_explicit = false;
  // The head operator's settings (= operators[0].spec).
  OperatorSpec operator_spec;
  ChainingStrategy chaining = ChainingStrategy::always;
  std::vector<ChainedOperator> operators;
  // The head operator's index in the unchained job: a source's records are drawn from it, so
  // chaining (which renumbers vertices) does not change what a source reads.
  uint32_t stream_index = 0;

  bool is_chain() const { return operators.size() > 1; }
  // The sink operator of the chain, if it has one (a chain holds at most one).
  const ChainedOperator* sink() const;
  bool has_operator(std::string_view operator_name) const;
};

struct JobEdge {
  JobVertexId producer;
  JobVertexId consumer;
  DistributionPattern distribution = DistributionPattern::all_to_all;
  // Set when the edge was given as a stream partitioner; informational for the pattern.
  std::optional<Partitioner> partitioner;
  // Unset = the job's default exchange type (see result_type_of).
  std::optional<ResultPartitionType> explicit_result_type;
  // Which operator of the producer's chain writes the edge (an index into its operators).
  uint32_t producer_operator = 0;
};

class JobGraph {
 public:
  JobGraph() = default;
  explicit JobGraph(std::string name, JobMode mode = JobMode::streaming)
      : name_(std::move(name)), mode_(mode) {}

  // Adds a vertex of one operator; max parallelism follows Flink's default rule unless given.
  JobVertexId add_vertex(std::string name, int parallelism,
                         std::optional<int> max_parallelism = std::nullopt,
                         OperatorSpec operator_spec = {});
  JobEdgeId add_edge(JobVertexId producer, JobVertexId consumer, DistributionPattern distribution,
                     std::optional<ResultPartitionType> result_type = std::nullopt);
  JobEdgeId add_edge(JobVertexId producer, JobVertexId consumer, Partitioner partitioner,
                     std::optional<ResultPartitionType> result_type = std::nullopt);

  const std::string& name() const { return name_; }
  JobMode mode() const { return mode_; }
  void set_mode(JobMode mode) { mode_ = mode; }
  bool approximate_local_recovery() const { return approximate_local_recovery_; }
  // execution.state-recovery.approximate-local-recovery; affects streaming jobs only.
  void set_approximate_local_recovery(bool enabled) { approximate_local_recovery_ = enabled; }

  const std::vector<JobVertex>& vertices() const { return vertices_; }
  const std::vector<JobEdge>& edges() const { return edges_; }
  const JobVertex& vertex(JobVertexId id) const;
  const JobEdge& edge(JobEdgeId id) const;
  // The vertex named `name`, or the chain that holds an operator of that name.
  std::optional<JobVertexId> find_vertex(std::string_view name) const;
  JobVertex& mutable_vertex(JobVertexId id) { return vertices_.at(id.index); }
  JobEdge& mutable_edge(JobEdgeId id) { return edges_.at(id.index); }
  // The edge from `producer` to `consumer`, if any (the loader allows at most one per pair).
  std::optional<JobEdgeId> find_edge(JobVertexId producer, JobVertexId consumer) const;

  // The type the edge's partitions really have, after the job's defaults.
  ResultPartitionType result_type_of(JobEdgeId id) const;
  ResultPartitionType default_result_type() const;

  // Job vertices in a topological order (Kahn's algorithm, lowest declaration index first), or an
  // error naming one cycle when the graph is not a DAG.
  sim::Result<std::vector<JobVertexId>> topological_order() const;
  // Checks what Flink would reject when building the job: parallelism within [1, max
  // parallelism], max parallelism within [1, 32768], forward edges with equal parallelism,
  // unique names, no cycle. The first problem found, as a sentence.
  sim::Result<bool> validate() const;

 private:
  std::string name_;
  JobMode mode_ = JobMode::streaming;
  bool approximate_local_recovery_ = false;
  std::vector<JobVertex> vertices_;
  std::vector<JobEdge> edges_;
};

std::string_view to_string(JobMode mode);
std::string_view to_string(ChainingStrategy strategy);

// An operator's name as Flink shows it: sources as "Source: NAME", sinks as "Sink: NAME"
// (the names DataStream#addSource and #addSink give their operators).
std::string operator_display_name(const ChainedOperator& op);
// A job vertex's name as Flink's web UI shows it (StreamingJobGraphGenerator#createChainedName):
// "Source: source -> map -> Sink: sink"; an operator with several chained outputs lists them in
// parentheses, "map -> (a, b)".
std::string display_name(const JobVertex& vertex);
// A task as Flink names it (TaskInfo#getTaskNameWithSubtasks without the attempt):
// "Source: source -> map (1/4)", subtasks counted from 1.
std::string task_name(const JobGraph& job, ExecutionVertexId vertex);

}  // namespace flinksim::graph
