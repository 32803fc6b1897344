// Goal: the JobGraph applies Flink's defaults (max parallelism rule, exchange types per mode)
// and rejects what Flink rejects. Expected values are computed by hand from
// KeyGroupRangeAssignment#computeDefaultMaxParallelism and StreamingJobGraphGenerator.

#include <gtest/gtest.h>

#include "model/graph/job_graph.h"
#include "model/graph/max_parallelism.h"

namespace flinksim::graph {
namespace {

TEST(MaxParallelism, DefaultRule_MatchesFlinkBoundaries) {
  EXPECT_EQ(default_max_parallelism(1), 128);
  EXPECT_EQ(default_max_parallelism(85), 128);   // 85 + 42 = 127 -> 128
  EXPECT_EQ(default_max_parallelism(86), 256);   // 86 + 43 = 129 -> 256
  EXPECT_EQ(default_max_parallelism(170), 256);  // 255 -> 256
  EXPECT_EQ(default_max_parallelism(171), 256);  // 171 + 85 = 256 exactly
  EXPECT_EQ(default_max_parallelism(172), 512);  // 258 -> 512
  EXPECT_EQ(default_max_parallelism(1000), 2048);  // 1500 -> 2048
  EXPECT_EQ(default_max_parallelism(20000), 32768);
  EXPECT_EQ(default_max_parallelism(32768), 32768);  // capped at 2^15
}

TEST(MaxParallelism, RoundUpToPowerOfTwo_ExactPowersStay) {
  EXPECT_EQ(round_up_to_power_of_two(1), 1);
  EXPECT_EQ(round_up_to_power_of_two(2), 2);
  EXPECT_EQ(round_up_to_power_of_two(3), 4);
  EXPECT_EQ(round_up_to_power_of_two(1024), 1024);
  EXPECT_EQ(round_up_to_power_of_two(1025), 2048);
}

TEST(JobGraph, DefaultResultTypes_FollowModeAndApproximateRecovery) {
  JobGraph job("j", JobMode::streaming);
  auto a = job.add_vertex("a", 2);
  auto b = job.add_vertex("b", 2);
  auto implicit = job.add_edge(a, b, Partitioner::hash);
  auto c = job.add_vertex("c", 2);
  auto explicit_edge = job.add_edge(b, c, Partitioner::forward, ResultPartitionType::blocking);
  EXPECT_EQ(job.result_type_of(implicit), ResultPartitionType::pipelined_bounded);
  EXPECT_EQ(job.result_type_of(explicit_edge), ResultPartitionType::blocking);
  job.set_approximate_local_recovery(true);
  EXPECT_EQ(job.result_type_of(implicit), ResultPartitionType::pipelined_approximate);
  EXPECT_EQ(job.result_type_of(explicit_edge), ResultPartitionType::blocking);
  job.set_mode(JobMode::batch);
  EXPECT_EQ(job.result_type_of(implicit), ResultPartitionType::blocking);
}

TEST(JobGraph, PartitionerMapping_ForwardRescalePointwiseOthersAllToAll) {
  EXPECT_EQ(distribution_of(Partitioner::forward), DistributionPattern::pointwise);
  EXPECT_EQ(distribution_of(Partitioner::rescale), DistributionPattern::pointwise);
  EXPECT_EQ(distribution_of(Partitioner::rebalance), DistributionPattern::all_to_all);
  EXPECT_EQ(distribution_of(Partitioner::hash), DistributionPattern::all_to_all);
  EXPECT_EQ(distribution_of(Partitioner::broadcast), DistributionPattern::all_to_all);
}

TEST(JobGraph, MaxParallelism_DefaultAndExplicit) {
  JobGraph job;
  auto a = job.add_vertex("a", 100);
  auto b = job.add_vertex("b", 4, 16);
  EXPECT_EQ(job.vertex(a).max_parallelism, 256);
  EXPECT_EQ(job.vertex(b).max_parallelism, 16);
  EXPECT_TRUE(job.vertex(b).max_parallelism_explicit);
}

TEST(JobGraph, Validate_RejectsParallelismAboveMax) {
  JobGraph job;
  job.add_vertex("a", 20, 16);
  auto valid = job.validate();
  ASSERT_FALSE(valid.ok());
  EXPECT_NE(valid.error().message.find("parallelism of 'a'"), std::string::npos);
}

TEST(JobGraph, Validate_RejectsForwardWithUnequalParallelism) {
  JobGraph job;
  auto a = job.add_vertex("a", 2);
  auto b = job.add_vertex("b", 3);
  job.add_edge(a, b, Partitioner::forward);
  auto valid = job.validate();
  ASSERT_FALSE(valid.ok());
  EXPECT_NE(valid.error().message.find("forward"), std::string::npos);
}

TEST(JobGraph, Validate_RejectsDuplicateNames) {
  JobGraph job;
  job.add_vertex("a", 1);
  job.add_vertex("a", 1);
  EXPECT_FALSE(job.validate().ok());
}

TEST(JobGraph, TopologicalOrder_CycleIsNamed) {
  JobGraph job;
  auto a = job.add_vertex("a", 1);
  auto b = job.add_vertex("b", 1);
  auto c = job.add_vertex("c", 1);
  job.add_edge(a, b, DistributionPattern::pointwise);
  job.add_edge(b, c, DistributionPattern::pointwise);
  job.add_edge(c, b, DistributionPattern::pointwise);
  auto order = job.topological_order();
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.error().message, "the job graph has a cycle: b -> c -> b");
}

TEST(JobGraph, TopologicalOrder_ProducersBeforeConsumers) {
  JobGraph job;
  auto sink = job.add_vertex("sink", 1);
  auto source = job.add_vertex("source", 1);
  job.add_edge(source, sink, DistributionPattern::all_to_all);
  auto order = job.topological_order();
  ASSERT_TRUE(order.ok());
  ASSERT_EQ(order.value().size(), 2u);
  EXPECT_EQ(order.value()[0], source);
  EXPECT_EQ(order.value()[1], sink);
}

TEST(ResultPartitionType, PropertiesTable_MatchesFlink) {
  using enum ResultPartitionType;
  EXPECT_TRUE(must_be_pipelined_consumed(pipelined));
  EXPECT_TRUE(must_be_pipelined_consumed(pipelined_bounded));
  for (auto t : {blocking, blocking_persistent, pipelined_approximate, hybrid_full,
                 hybrid_selective}) {
    EXPECT_FALSE(must_be_pipelined_consumed(t)) << to_string(t);
  }
  for (auto t : {blocking, blocking_persistent, hybrid_full}) EXPECT_TRUE(is_reconsumable(t));
  for (auto t : {pipelined, pipelined_bounded, pipelined_approximate, hybrid_selective}) {
    EXPECT_FALSE(is_reconsumable(t)) << to_string(t);
  }
  EXPECT_TRUE(properties_of(pipelined_bounded).bounded);
  EXPECT_TRUE(properties_of(pipelined_approximate).bounded);
  EXPECT_FALSE(properties_of(pipelined).bounded);
  EXPECT_TRUE(properties_of(blocking_persistent).persistent);
  EXPECT_EQ(properties_of(hybrid_selective).released_by, ReleasedBy::scheduler);
  EXPECT_EQ(properties_of(pipelined).released_by, ReleasedBy::upstream);
  EXPECT_EQ(parse_result_partition_type("PIPELINED_BOUNDED"), pipelined_bounded);
  EXPECT_EQ(parse_result_partition_type("hybrid-full"), hybrid_full);
  EXPECT_EQ(parse_result_partition_type("nope"), std::nullopt);
}

}  // namespace
}  // namespace flinksim::graph
