// Goal: the expansion reproduces EdgeManagerBuildUtil: one partition per producer subtask per
// edge, Flink's POINTWISE mapping for P == C, P > C and P < C, and ALL_TO_ALL as one shared
// group each way. The pointwise expectations were worked out by hand from the formulas
// [k*P/C, (k+1)*P/C) and [ceil(k*C/P), ceil((k+1)*C/P)).

#include <gtest/gtest.h>

#include <map>

#include "model/graph/execution_graph.h"

namespace flinksim::graph {
namespace {

// consumer subtask -> producer subtasks it reads, for the single edge of a two-vertex job.
std::map<uint32_t, std::vector<uint32_t>> consumed_by_subtask(const ExecutionGraph& graph,
                                                              JobVertexId consumer) {
  std::map<uint32_t, std::vector<uint32_t>> result;
  const int parallelism = graph.job_graph().vertex(consumer).parallelism;
  for (int s = 0; s < parallelism; ++s) {
    const VertexIndex v = graph.index_of(ExecutionVertexId{consumer, static_cast<uint32_t>(s)});
    auto& list = result[static_cast<uint32_t>(s)];
    for (GroupIndex g : graph.vertex(v).consumed_partition_groups) {
      for (PartitionIndex p : graph.consumed_partition_groups()[g].partitions) {
        list.push_back(graph.partition(p).id.producer_subtask);
      }
    }
  }
  return result;
}

// producer subtask -> consumer subtasks of its partition.
std::map<uint32_t, std::vector<uint32_t>> consumers_by_partition(const ExecutionGraph& graph) {
  std::map<uint32_t, std::vector<uint32_t>> result;
  for (const ResultPartition& partition : graph.partitions()) {
    auto& list = result[partition.id.producer_subtask];
    for (GroupIndex g : partition.consumer_vertex_groups) {
      for (VertexIndex v : graph.consumer_vertex_groups()[g].vertices) {
        list.push_back(graph.vertex(v).id.subtask);
      }
    }
  }
  return result;
}

struct TwoVertices {
  ExecutionGraph graph;
  JobVertexId consumer;
};

TwoVertices pointwise(int producers, int consumers) {
  JobGraph job;
  auto a = job.add_vertex("a", producers);
  auto b = job.add_vertex("b", consumers);
  job.add_edge(a, b, DistributionPattern::pointwise);
  return {ExecutionGraph::build(job).value(), b};
}

TEST(ExecutionGraphPointwise, EqualParallelism_OneToOne) {
  auto [graph, b] = pointwise(3, 3);
  using M = std::map<uint32_t, std::vector<uint32_t>>;
  EXPECT_EQ(consumed_by_subtask(graph, b), (M{{0, {0}}, {1, {1}}, {2, {2}}}));
  EXPECT_EQ(consumers_by_partition(graph), (M{{0, {0}}, {1, {1}}, {2, {2}}}));
}

TEST(ExecutionGraphPointwise, MoreProducers_ConsumerReadsContiguousRange) {
  // P=5, C=2: k=0 -> [0, 5/2=2) = {0,1}; k=1 -> [2, 10/2=5) = {2,3,4}.
  auto [graph, b] = pointwise(5, 2);
  using M = std::map<uint32_t, std::vector<uint32_t>>;
  EXPECT_EQ(consumed_by_subtask(graph, b), (M{{0, {0, 1}}, {1, {2, 3, 4}}}));
  EXPECT_EQ(consumers_by_partition(graph), (M{{0, {0}}, {1, {0}}, {2, {1}}, {3, {1}}, {4, {1}}}));
  // One ConsumedPartitionGroup per consumer, holding all its partitions.
  const VertexIndex b1 = graph.index_of(ExecutionVertexId{b, 1});
  ASSERT_EQ(graph.vertex(b1).consumed_partition_groups.size(), 1u);
}

TEST(ExecutionGraphPointwise, MoreProducers_UnevenSplitFollowsIntegerDivision) {
  // P=3, C=2: k=0 -> [0, 3/2=1) = {0}; k=1 -> [1, 6/2=3) = {1,2}.
  auto [graph, b] = pointwise(3, 2);
  using M = std::map<uint32_t, std::vector<uint32_t>>;
  EXPECT_EQ(consumed_by_subtask(graph, b), (M{{0, {0}}, {1, {1, 2}}}));
}

TEST(ExecutionGraphPointwise, MoreConsumers_PartitionFansOutToCeilRange) {
  // P=2, C=5: partition 0 -> [ceil(0)=0, ceil(5/2)=3) = {0,1,2}; partition 1 -> [3, ceil(10/2)=5).
  auto [graph, b] = pointwise(2, 5);
  using M = std::map<uint32_t, std::vector<uint32_t>>;
  EXPECT_EQ(consumers_by_partition(graph), (M{{0, {0, 1, 2}}, {1, {3, 4}}}));
  EXPECT_EQ(consumed_by_subtask(graph, b), (M{{0, {0}}, {1, {0}}, {2, {0}}, {3, {1}}, {4, {1}}}));
}

TEST(ExecutionGraphPointwise, MoreConsumers_UnevenSplitRoundsUp) {
  // P=2, C=3: partition 0 -> [0, ceil(3/2)=2) = {0,1}; partition 1 -> [2, 3) = {2}.
  // P=3, C=4: k=0 -> [0, ceil(4/3)=2); k=1 -> [2, ceil(8/3)=3); k=2 -> [3, 4).
  using M = std::map<uint32_t, std::vector<uint32_t>>;
  EXPECT_EQ(consumers_by_partition(pointwise(2, 3).graph), (M{{0, {0, 1}}, {1, {2}}}));
  EXPECT_EQ(consumers_by_partition(pointwise(3, 4).graph), (M{{0, {0, 1}}, {1, {2}}, {2, {3}}}));
}

TEST(ExecutionGraphAllToAll, OneSharedGroupEachWay) {
  JobGraph job;
  auto a = job.add_vertex("a", 1000);
  auto b = job.add_vertex("b", 1000);
  job.add_edge(a, b, Partitioner::hash);
  const ExecutionGraph graph = ExecutionGraph::build(job).value();
  EXPECT_EQ(graph.partition_count(), 1000u);
  EXPECT_EQ(graph.consumed_partition_groups().size(), 1u);
  EXPECT_EQ(graph.consumer_vertex_groups().size(), 1u);
  EXPECT_EQ(graph.consumed_partition_groups()[0].partitions.size(), 1000u);
  EXPECT_EQ(graph.consumer_vertex_groups()[0].vertices.size(), 1000u);
  for (VertexIndex v = graph.first_vertex_of(b); v < graph.first_vertex_of(b) + 1000; ++v) {
    ASSERT_EQ(graph.vertex(v).consumed_partition_groups, std::vector<GroupIndex>{0});
  }
}

TEST(ExecutionGraph, TaskAndPartitionNames_RoundTrip) {
  JobGraph job;
  auto source = job.add_vertex("source", 4);
  auto count = job.add_vertex("count", 2);
  job.add_edge(source, count, Partitioner::hash);
  const ExecutionGraph graph = ExecutionGraph::build(job).value();
  EXPECT_EQ(graph.task_id(ExecutionVertexId{count, 1}), "count:1");
  EXPECT_EQ(graph.task_name(ExecutionVertexId{count, 1}), "count (2/2)");
  EXPECT_EQ(graph.partition_name(ResultPartitionId{JobEdgeId{0}, 3}), "source->count/3");
  EXPECT_EQ(graph.parse_task("count:1").value(), (ExecutionVertexId{count, 1}));
  EXPECT_EQ(graph.parse_partition("source->count/3").value(), (ResultPartitionId{JobEdgeId{0}, 3}));
  EXPECT_FALSE(graph.parse_task("count:2").ok());
  EXPECT_FALSE(graph.parse_task("counter:0").ok());
  EXPECT_FALSE(graph.parse_task("count").ok());
  EXPECT_FALSE(graph.parse_partition("count->source/0").ok());
  EXPECT_FALSE(graph.parse_partition("source->count/4").ok());
}

TEST(ExecutionGraph, Build_RejectsInvalidJob) {
  JobGraph job;
  auto a = job.add_vertex("a", 1);
  job.add_edge(a, a, DistributionPattern::pointwise);
  EXPECT_FALSE(ExecutionGraph::build(job).ok());
}

}  // namespace
}  // namespace flinksim::graph
