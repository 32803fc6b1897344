// Goal: operators are chained exactly where Flink's StreamingJobGraphGenerator chains them.
// Method: small stream graphs, one per rule of isChainable/areOperatorsChainable, each checked
// for the number of job vertices, the chain's operators and its name, mirroring the chaining
// cases of Flink's StreamingJobGraphGeneratorTest (named in each test) by hand.

#include <gtest/gtest.h>

#include "model/graph/execution_graph.h"
#include "model/graph/operator_chaining.h"
#include "model/graph/pipelined_regions.h"

namespace flinksim::graph {
namespace {

OperatorSpec kind(OperatorKind k) {
  OperatorSpec spec;
  spec.kind = k;
  return spec;
}

// source -> map -> sink, all forward at parallelism p.
JobGraph pipeline(int p, JobMode mode = JobMode::streaming) {
  JobGraph job("j", mode);
  const auto source = job.add_vertex("source", p, std::nullopt, kind(OperatorKind::source));
  const auto map = job.add_vertex("map", p, std::nullopt, kind(OperatorKind::map));
  const auto sink = job.add_vertex("sink", p, std::nullopt, kind(OperatorKind::sink));
  job.add_edge(source, map, Partitioner::forward);
  job.add_edge(map, sink, Partitioner::forward);
  return job;
}

std::vector<std::string> names(const JobGraph& job) {
  std::vector<std::string> out;
  for (const JobVertex& vertex : job.vertices()) out.push_back(display_name(vertex));
  return out;
}

TEST(OperatorChaining, ForwardPipelineOfEqualParallelism_IsOneTaskPerSubtask) {
  const JobGraph chained = chain_operators(pipeline(4), ChainingOptions{});
  ASSERT_EQ(chained.vertices().size(), 1u);
  EXPECT_TRUE(chained.edges().empty());
  EXPECT_EQ(display_name(chained.vertices()[0]), "Source: source -> map -> Sink: sink");
  EXPECT_EQ(task_name(chained, ExecutionVertexId{JobVertexId{0}, 0}),
            "Source: source -> map -> Sink: sink (1/4)");
  auto graph = ExecutionGraph::build(chained);
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph.value().vertex_count(), 4u);
  // Each subtask is its own region: four regions of one task instead of four of three.
  EXPECT_EQ(compute_pipelined_regions(graph.value()).regions.size(), 4u);
}

TEST(OperatorChaining, FaultTargetsNameChainedOperators) {
  const JobGraph chained = chain_operators(pipeline(2), ChainingOptions{});
  EXPECT_EQ(chained.find_vertex("map"), JobVertexId{0});
  EXPECT_EQ(chained.find_vertex("sink"), JobVertexId{0});
  EXPECT_FALSE(chained.find_vertex("mop").has_value());
  auto graph = ExecutionGraph::build(chained);
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph.value().parse_task("map:1").value(), (ExecutionVertexId{JobVertexId{0}, 1}));
  // Failover logs and traces name the task as Flink does; parse_task reads that too.
  EXPECT_EQ(graph.value().parse_task("Source: source -> map -> Sink: sink (2/2)").value(),
            (ExecutionVertexId{JobVertexId{0}, 1}));
  EXPECT_FALSE(graph.value().parse_task("Source: source -> map -> Sink: sink (3/2)").ok());
}

TEST(OperatorChaining, ChainingDisabled_KeepsEveryOperatorATask) {
  ChainingOptions off;
  off.enabled = false;
  const JobGraph job = chain_operators(pipeline(4), off);
  EXPECT_EQ(names(job), (std::vector<std::string>{"Source: source", "map", "Sink: sink"}));
  EXPECT_EQ(job.edges().size(), 2u);
  EXPECT_EQ(task_name(job, ExecutionVertexId{JobVertexId{1}, 3}), "map (4/4)");
}

// testChainStartEndSetting: a source of parallelism 1 does not chain into a map of 2; the map
// and the print sink chain.
TEST(OperatorChaining, UnequalParallelism_DoesNotChain) {
  JobGraph job("j");
  const auto source = job.add_vertex("source", 1, std::nullopt, kind(OperatorKind::source));
  const auto map = job.add_vertex("map", 2, std::nullopt, kind(OperatorKind::map));
  const auto sink = job.add_vertex("sink", 2, std::nullopt, kind(OperatorKind::sink));
  job.add_edge(source, map, Partitioner::rebalance);
  job.add_edge(map, sink, Partitioner::forward);
  const JobGraph chained = chain_operators(job, ChainingOptions{});
  EXPECT_EQ(names(chained), (std::vector<std::string>{"Source: source", "map -> Sink: sink"}));
  ASSERT_EQ(chained.edges().size(), 1u);
  EXPECT_EQ(chained.edges()[0].partitioner, Partitioner::rebalance);
}

// testParallelismOneNotChained: keyBy (hash) ends a chain even at equal parallelism.
TEST(OperatorChaining, HashEdge_DoesNotChain) {
  JobGraph job("j");
  const auto source = job.add_vertex("source", 1, std::nullopt, kind(OperatorKind::source));
  const auto map = job.add_vertex("map", 1, std::nullopt, kind(OperatorKind::map));
  const auto keyed = job.add_vertex("keyed", 1, std::nullopt, kind(OperatorKind::map));
  const auto sink = job.add_vertex("sink", 1, std::nullopt, kind(OperatorKind::sink));
  job.add_edge(source, map, Partitioner::forward);
  job.add_edge(map, keyed, Partitioner::hash);
  job.add_edge(keyed, sink, Partitioner::forward);
  EXPECT_EQ(names(chain_operators(job, ChainingOptions{})),
            (std::vector<std::string>{"Source: source -> map", "keyed -> Sink: sink"}));
  EXPECT_FALSE(is_chainable(job, JobEdgeId{1}, ChainingOptions{}));
  EXPECT_TRUE(is_chainable(job, JobEdgeId{0}, ChainingOptions{}));
}

// testShuffleModeBatch / Pipelined / Undefined: an explicit blocking exchange is not chained,
// an explicit pipelined one is.
TEST(OperatorChaining, BlockingExchange_DoesNotChainPipelinedDoes) {
  JobGraph job("j");
  const auto source = job.add_vertex("source", 2, std::nullopt, kind(OperatorKind::source));
  const auto map = job.add_vertex("map", 2, std::nullopt, kind(OperatorKind::map));
  const auto sink = job.add_vertex("sink", 2, std::nullopt, kind(OperatorKind::sink));
  job.add_edge(source, map, Partitioner::forward, ResultPartitionType::blocking);
  job.add_edge(map, sink, Partitioner::forward, ResultPartitionType::pipelined);
  const JobGraph chained = chain_operators(job, ChainingOptions{});
  EXPECT_EQ(names(chained), (std::vector<std::string>{"Source: source", "map -> Sink: sink"}));
  EXPECT_EQ(chained.result_type_of(JobEdgeId{0}), ResultPartitionType::blocking);
}

// Batch runtime mode sets no edge's exchange mode to BATCH (only the global default becomes
// blocking), so forward edges chain as in streaming and only the edges between chains block.
TEST(OperatorChaining, BatchJob_ChainsForwardEdgesAndBlocksBetweenChains) {
  JobGraph job("j", JobMode::batch);
  const auto source = job.add_vertex("source", 2, std::nullopt, kind(OperatorKind::source));
  const auto map = job.add_vertex("map", 2, std::nullopt, kind(OperatorKind::map));
  const auto count = job.add_vertex("count", 2, std::nullopt, kind(OperatorKind::aggregate));
  const auto sink = job.add_vertex("sink", 2, std::nullopt, kind(OperatorKind::sink));
  job.add_edge(source, map, Partitioner::forward);
  job.add_edge(map, count, Partitioner::hash);
  job.add_edge(count, sink, Partitioner::forward);
  const JobGraph chained = chain_operators(job, ChainingOptions{});
  EXPECT_EQ(names(chained), (std::vector<std::string>{"Source: source -> map", "count -> Sink: sink"}));
  ASSERT_EQ(chained.edges().size(), 1u);
  EXPECT_EQ(chained.result_type_of(JobEdgeId{0}), ResultPartitionType::blocking);
  EXPECT_EQ(chained.edges()[0].producer_operator, 1u) << "written by map, the chain's second operator";
}

// disableChaining (NEVER) cuts both sides; startNewChain (HEAD) only the edge into it.
TEST(OperatorChaining, ChainingStrategies_NeverAndHead) {
  JobGraph never = pipeline(2);
  never.mutable_vertex(JobVertexId{1}).chaining = ChainingStrategy::never;
  EXPECT_EQ(names(chain_operators(never, ChainingOptions{})),
            (std::vector<std::string>{"Source: source", "map", "Sink: sink"}));
  JobGraph head = pipeline(2);
  head.mutable_vertex(JobVertexId{1}).chaining = ChainingStrategy::head;
  EXPECT_EQ(names(chain_operators(head, ChainingOptions{})),
            (std::vector<std::string>{"Source: source", "map -> Sink: sink"}));
}

// Sources are HEAD: a source fed by nothing heads its chain, and nothing chains into it.
TEST(OperatorChaining, SourcesAreHeads) {
  const JobGraph job = pipeline(2);
  EXPECT_EQ(job.vertex(JobVertexId{0}).chaining, ChainingStrategy::head);
  EXPECT_EQ(job.vertex(JobVertexId{1}).chaining, ChainingStrategy::always);
}

// A two-input operator (or a union) reads through the network stack: none of its inputs chain.
TEST(OperatorChaining, TwoInputOperator_DoesNotChain) {
  JobGraph job("j");
  const auto a = job.add_vertex("a", 2, std::nullopt, kind(OperatorKind::source));
  const auto b = job.add_vertex("b", 2, std::nullopt, kind(OperatorKind::source));
  const auto join = job.add_vertex("join", 2, std::nullopt, kind(OperatorKind::map));
  const auto sink = job.add_vertex("sink", 2, std::nullopt, kind(OperatorKind::sink));
  job.add_edge(a, join, Partitioner::forward);
  job.add_edge(b, join, Partitioner::forward);
  job.add_edge(join, sink, Partitioner::forward);
  EXPECT_EQ(names(chain_operators(job, ChainingOptions{})),
            (std::vector<std::string>{"Source: a", "Source: b", "join -> Sink: sink"}));
}

// createChainedName: an operator with two chained outputs lists them in parentheses; the chain
// is built depth first, and the edge leaving the chain is written by the operator it leaves.
TEST(OperatorChaining, FanOut_ChainsBothBranchesAndNamesThemInParentheses) {
  JobGraph job("j");
  const auto source = job.add_vertex("source", 2, std::nullopt, kind(OperatorKind::source));
  const auto left = job.add_vertex("left", 2, std::nullopt, kind(OperatorKind::map));
  const auto right = job.add_vertex("right", 2, std::nullopt, kind(OperatorKind::filter));
  const auto out = job.add_vertex("out", 2, std::nullopt, kind(OperatorKind::sink));
  job.add_edge(source, left, Partitioner::forward);
  job.add_edge(source, right, Partitioner::forward);
  job.add_edge(right, out, Partitioner::rebalance);
  const JobGraph chained = chain_operators(job, ChainingOptions{});
  EXPECT_EQ(names(chained), (std::vector<std::string>{"Source: source -> (left, right)", "Sink: out"}));
  ASSERT_EQ(chained.edges().size(), 1u);
  EXPECT_EQ(chained.edges()[0].producer_operator, 2u);
  EXPECT_EQ(chained.vertices()[0].operators[2].input, 0u);
}

// Flink would chain both sinks (testInputOutputFormat); the sink store knows a sink by its
// subtask, so flinksim gives the second one its own task (not simulated, documented).
TEST(OperatorChaining, SecondSinkOfAChain_StartsItsOwnTask) {
  JobGraph job("j");
  const auto source = job.add_vertex("source", 2, std::nullopt, kind(OperatorKind::source));
  const auto one = job.add_vertex("sink1", 2, std::nullopt, kind(OperatorKind::sink));
  const auto two = job.add_vertex("sink2", 2, std::nullopt, kind(OperatorKind::sink));
  job.add_edge(source, one, Partitioner::forward);
  job.add_edge(source, two, Partitioner::forward);
  EXPECT_EQ(names(chain_operators(job, ChainingOptions{})),
            (std::vector<std::string>{"Source: source -> Sink: sink1", "Sink: sink2"}));
}

TEST(OperatorChaining, DifferentMaxParallelism_ChainsOnlyWhenAllowed) {
  JobGraph job("j");
  const auto source = job.add_vertex("source", 2, 128, kind(OperatorKind::source));
  const auto map = job.add_vertex("map", 2, 256, kind(OperatorKind::map));
  job.add_edge(source, map, Partitioner::forward);
  EXPECT_TRUE(is_chainable(job, JobEdgeId{0}, ChainingOptions{}));
  ChainingOptions strict;
  strict.different_max_parallelism = false;
  EXPECT_FALSE(is_chainable(job, JobEdgeId{0}, strict));
}

// Edges written as a distribution pattern are JobGraph edges already: never chained.
TEST(OperatorChaining, DistributionPatternEdges_AreNotChained) {
  JobGraph job("j");
  const auto a = job.add_vertex("a", 2);
  const auto b = job.add_vertex("b", 2);
  job.add_edge(a, b, DistributionPattern::pointwise);
  EXPECT_EQ(chain_operators(job, ChainingOptions{}).vertices().size(), 2u);
}

}  // namespace
}  // namespace flinksim::graph
