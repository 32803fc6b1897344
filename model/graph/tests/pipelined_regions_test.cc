// Goal: pipelined regions match Flink's own tests case by case:
// SchedulingPipelinedRegionComputeUtilTest (execution vertices of parallelism 1, every connect a
// new partition), LogicalPipelinedRegionComputeUtilTest (job-vertex level) and the legacy
// PipelinedFailoverRegionBuildingTest (real parallelism and distribution patterns). Method: build
// the same topology, compare the regions as sets of task names.

#include <gtest/gtest.h>

#include "model/graph/pipelined_regions.h"
#include "model/graph/tests/topology_builder.h"

namespace flinksim::graph {
namespace {

using testing::merged;
using testing::regions_of;
using testing::RegionSet;
using testing::tasks;
using testing::TopologyBuilder;
constexpr auto pipelined = ResultPartitionType::pipelined;
constexpr auto blocking = ResultPartitionType::blocking;
constexpr auto approximate = ResultPartitionType::pipelined_approximate;
constexpr auto all_to_all = DistributionPattern::all_to_all;
constexpr auto pointwise = DistributionPattern::pointwise;

TopologyBuilder vertices(std::initializer_list<const char*> names) {
  TopologyBuilder builder;
  for (const char* name : names) builder.vertex(name);
  return builder;
}

// --- SchedulingPipelinedRegionComputeUtilTest ------------------------------------------------

TEST(SchedulingPipelinedRegions, IndividualVertices_EachItsOwnRegion) {
  EXPECT_EQ(regions_of(vertices({"v1", "v2", "v3"})), (RegionSet{{"v1:0"}, {"v2:0"}, {"v3:0"}}));
}

TEST(SchedulingPipelinedRegions, EmbarrassinglyParallel_OneRegionPerPipeline) {
  auto b = vertices({"a1", "a2", "a3", "b1", "b2", "b3"});
  b.connect("a1", "b1", pipelined).connect("a2", "b2", pipelined).connect("a3", "b3", pipelined);
  EXPECT_EQ(regions_of(b), (RegionSet{{"a1:0", "b1:0"}, {"a2:0", "b2:0"}, {"a3:0", "b3:0"}}));
}

TEST(SchedulingPipelinedRegions, OneComponentViaTwoExchanges_OneRegion) {
  auto b = vertices({"a1", "a2", "b1", "b2", "c1", "c2"});
  for (auto [from, to] : std::initializer_list<std::pair<const char*, const char*>>{
           {"a1", "b1"}, {"a1", "b2"}, {"a2", "b1"}, {"a2", "b2"},
           {"b1", "c1"}, {"b1", "c2"}, {"b2", "c1"}, {"b2", "c2"}}) {
    b.connect(from, to, pipelined);
  }
  EXPECT_EQ(regions_of(b).size(), 1u);
}

TEST(SchedulingPipelinedRegions, OneComponentViaCascadeOfJoins_OneRegion) {
  auto b = vertices({"v1", "v2", "v3", "v4", "v5", "v6", "v7"});
  b.connect("v1", "v5", pipelined).connect("v2", "v5", pipelined);
  b.connect("v3", "v6", pipelined).connect("v4", "v6", pipelined);
  b.connect("v5", "v7", pipelined).connect("v6", "v7", pipelined);
  EXPECT_EQ(regions_of(b).size(), 1u);
}

TEST(SchedulingPipelinedRegions, OneComponentInstanceFromOneSource_OneRegion) {
  auto b = vertices({"v1", "v2", "v3", "v4", "v5", "v6", "v7"});
  b.connect("v1", "v2", pipelined).connect("v1", "v3", pipelined);
  b.connect("v2", "v4", pipelined).connect("v2", "v5", pipelined);
  b.connect("v3", "v6", pipelined).connect("v3", "v7", pipelined);
  EXPECT_EQ(regions_of(b).size(), 1u);
}

TEST(SchedulingPipelinedRegions, TwoComponentsViaBlockingExchange_ConsumersSeparate) {
  auto b = vertices({"a1", "a2", "b1", "b2", "c1", "c2"});
  b.connect("a1", "b1", pipelined).connect("a1", "b2", pipelined);
  b.connect("a2", "b1", pipelined).connect("a2", "b2", pipelined);
  b.connect("b1", "c1", blocking).connect("b2", "c2", blocking);
  EXPECT_EQ(regions_of(b), (RegionSet{{"a1:0", "a2:0", "b1:0", "b2:0"}, {"c1:0"}, {"c2:0"}}));
}

TEST(SchedulingPipelinedRegions, TwoComponentsViaBlockingExchange2_ConsumersSeparate) {
  auto b = vertices({"a1", "a2", "b1", "b2", "c1", "c2"});
  b.connect("a1", "b1", pipelined).connect("a1", "b2", pipelined);
  b.connect("a2", "b1", pipelined).connect("a2", "b2", pipelined);
  b.connect("b1", "c1", blocking).connect("b1", "c2", blocking);
  b.connect("b2", "c1", blocking).connect("b2", "c2", blocking);
  EXPECT_EQ(regions_of(b), (RegionSet{{"a1:0", "a2:0", "b1:0", "b2:0"}, {"c1:0"}, {"c2:0"}}));
}

TEST(SchedulingPipelinedRegions, MultipleComponentsViaCascadeOfJoins_ThreeRegions) {
  auto b = vertices({"v1", "v2", "v3", "v4", "v5", "v6", "v7"});
  b.connect("v1", "v5", pipelined).connect("v2", "v5", pipelined);
  b.connect("v3", "v6", pipelined).connect("v4", "v6", pipelined);
  b.connect("v5", "v7", blocking).connect("v6", "v7", blocking);
  EXPECT_EQ(regions_of(b),
            (RegionSet{{"v1:0", "v2:0", "v5:0"}, {"v3:0", "v4:0", "v6:0"}, {"v7:0"}}));
}

TEST(SchedulingPipelinedRegions, DiamondWithMixedExchanges_OneRegion) {
  auto b = vertices({"v1", "v2", "v3", "v4"});
  b.connect("v1", "v2", blocking).connect("v1", "v3", pipelined);
  b.connect("v2", "v4", pipelined).connect("v3", "v4", pipelined);
  EXPECT_EQ(regions_of(b), (RegionSet{{"v1:0", "v2:0", "v3:0", "v4:0"}}));
}

TEST(SchedulingPipelinedRegions, CyclicDependentRegions_AreMerged) {
  auto b = vertices({"v1", "v2", "v3", "v4"});
  b.connect("v1", "v2", blocking).connect("v1", "v3", pipelined);
  b.connect("v2", "v4", blocking).connect("v3", "v4", pipelined);
  EXPECT_EQ(regions_of(b), (RegionSet{{"v1:0", "v2:0", "v3:0", "v4:0"}}));
}

TEST(SchedulingPipelinedRegions, PipelinedApproximate_EachVertexOwnRegion) {
  auto b = vertices({"v1", "v2", "v3", "v4"});
  b.connect("v1", "v2", approximate).connect("v1", "v3", approximate);
  b.connect("v2", "v4", approximate).connect("v3", "v4", approximate);
  EXPECT_EQ(regions_of(b), (RegionSet{{"v1:0"}, {"v2:0"}, {"v3:0"}, {"v4:0"}}));
}

// --- LogicalPipelinedRegionComputeUtilTest ---------------------------------------------------

std::vector<size_t> logical_region_sizes(const TopologyBuilder& b) {
  std::vector<size_t> sizes;
  for (const auto& region : compute_logical_pipelined_regions(b.job())) {
    sizes.push_back(region.size());
  }
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

TEST(LogicalPipelinedRegions, IsolatedVertices_ThreeSingletons) {
  EXPECT_EQ(logical_region_sizes(vertices({"v1", "v2", "v3"})), (std::vector<size_t>{1, 1, 1}));
}

TEST(LogicalPipelinedRegions, VariousResultTypes_BlockingThenPipelined) {
  auto b = vertices({"v1", "v2", "v3"});
  b.connect("v1", "v2", blocking, all_to_all).connect("v2", "v3", pipelined, pointwise);
  EXPECT_EQ(logical_region_names(b.job()),
            (std::vector<std::vector<std::string>>{{"v1"}, {"v2", "v3"}}));
}

TEST(LogicalPipelinedRegions, VariousResultTypes_BothBlocking) {
  auto b = vertices({"v1", "v2", "v3"});
  b.connect("v1", "v2", blocking, all_to_all).connect("v2", "v3", blocking, pointwise);
  EXPECT_EQ(logical_region_sizes(b), (std::vector<size_t>{1, 1, 1}));
}

TEST(LogicalPipelinedRegions, VariousResultTypes_BothPipelined) {
  auto b = vertices({"v1", "v2", "v3"});
  b.connect("v1", "v2", pipelined, all_to_all).connect("v2", "v3", pipelined, pointwise);
  EXPECT_EQ(logical_region_sizes(b), (std::vector<size_t>{3}));
}

TEST(LogicalPipelinedRegions, TwoInputsMergeIntoOne) {
  auto b = vertices({"v1", "v2", "v3", "v4"});
  b.connect("v1", "v3", pipelined, pointwise).connect("v2", "v3", blocking, pointwise);
  b.connect("v3", "v4", pipelined, all_to_all);
  EXPECT_EQ(logical_region_names(b.job()),
            (std::vector<std::vector<std::string>>{{"v1", "v3", "v4"}, {"v2"}}));
}

TEST(LogicalPipelinedRegions, OneInputSplitsIntoTwo) {
  auto b = vertices({"v1", "v2", "v3", "v4"});
  b.connect("v1", "v2", pipelined, all_to_all).connect("v2", "v3", pipelined, pointwise);
  b.connect("v2", "v4", blocking, pointwise);
  EXPECT_EQ(logical_region_names(b.job()),
            (std::vector<std::vector<std::string>>{{"v1", "v2", "v3"}, {"v4"}}));
}

TEST(LogicalPipelinedRegions, DiamondWithMixedEdges_OneRegion) {
  auto b = vertices({"v1", "v2", "v3", "v4"});
  b.connect("v1", "v2", blocking).connect("v2", "v4", pipelined);
  b.connect("v1", "v3", pipelined).connect("v3", "v4", pipelined);
  EXPECT_EQ(logical_region_sizes(b), (std::vector<size_t>{4}));
}

// --- PipelinedFailoverRegionBuildingTest (legacy, with parallelism) --------------------------

TEST(PipelinedRegionBuilding, IndividualVertices_FourRegions) {
  TopologyBuilder b;
  b.vertex("source1", 2).vertex("source2", 2);
  EXPECT_EQ(regions_of(b).size(), 4u);
}

TEST(PipelinedRegionBuilding, EmbarrassinglyParallel_TenThousandRegions) {
  TopologyBuilder b;
  b.vertex("vertex1", 10000).vertex("vertex2", 10000).vertex("vertex3", 10000);
  b.connect("vertex1", "vertex2", pipelined, pointwise);
  b.connect("vertex2", "vertex3", pipelined, pointwise);
  const ExecutionGraph graph = b.build();
  const PipelinedRegions regions = compute_pipelined_regions(graph);
  ASSERT_EQ(regions.regions.size(), 10000u);
  for (const auto& region : regions.regions) {
    ASSERT_EQ(region.size(), 3u);
    const uint32_t subtask = graph.vertex(region[0]).id.subtask;
    for (VertexIndex v : region) ASSERT_EQ(graph.vertex(v).id.subtask, subtask);
  }
}

TEST(PipelinedRegionBuilding, OneComponentViaTwoExchanges_OneRegion) {
  TopologyBuilder b;
  b.vertex("v1", 3).vertex("v2", 5).vertex("v3", 2);
  b.connect("v1", "v2", pipelined, all_to_all).connect("v2", "v3", pipelined, all_to_all);
  EXPECT_EQ(regions_of(b), (RegionSet{merged({tasks("v1", 3), tasks("v2", 5), tasks("v3", 2)})}));
}

TopologyBuilder cascade_of_joins(ResultPartitionType last) {
  TopologyBuilder b;
  b.vertex("v1", 8).vertex("v2", 8).vertex("v3", 8).vertex("v4", 8);
  b.vertex("v5", 4).vertex("v6", 4).vertex("v7", 2);
  b.connect("v1", "v5", pipelined, all_to_all).connect("v2", "v5", pipelined, all_to_all);
  b.connect("v3", "v6", pipelined, all_to_all).connect("v4", "v6", pipelined, all_to_all);
  b.connect("v5", "v7", last, all_to_all).connect("v6", "v7", last, all_to_all);
  return b;
}

TEST(PipelinedRegionBuilding, OneComponentViaCascadeOfJoins_OneRegion) {
  const RegionSet regions = regions_of(cascade_of_joins(pipelined));
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions.begin()->size(), 8u * 4 + 4 * 2 + 2);
}

TEST(PipelinedRegionBuilding, OneComponentInstanceFromOneSource_OneRegion) {
  TopologyBuilder b;
  b.vertex("v1", 8).vertex("v2", 8).vertex("v3", 8).vertex("v4", 8);
  b.vertex("v5", 4).vertex("v6", 4).vertex("v7", 2);
  b.connect("v7", "v5", pipelined, all_to_all).connect("v7", "v6", pipelined, all_to_all);
  b.connect("v5", "v1", pipelined, all_to_all).connect("v5", "v2", pipelined, all_to_all);
  b.connect("v6", "v3", pipelined, all_to_all).connect("v6", "v4", pipelined, all_to_all);
  const RegionSet regions = regions_of(b);
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions.begin()->size(), 42u);
}

TEST(PipelinedRegionBuilding, TwoComponentsViaBlockingExchange_PointwiseBlocking) {
  TopologyBuilder b;
  b.vertex("v1", 3).vertex("v2", 2).vertex("v3", 2);
  b.connect("v1", "v2", pipelined, all_to_all).connect("v2", "v3", blocking, pointwise);
  EXPECT_EQ(regions_of(b),
            (RegionSet{merged({tasks("v1", 3), tasks("v2", 2)}), {"v3:0"}, {"v3:1"}}));
}

TEST(PipelinedRegionBuilding, TwoComponentsViaBlockingExchange2_AllToAllBlocking) {
  TopologyBuilder b;
  b.vertex("v1", 3).vertex("v2", 2).vertex("v3", 2);
  b.connect("v1", "v2", pipelined, all_to_all).connect("v2", "v3", blocking, all_to_all);
  EXPECT_EQ(regions_of(b),
            (RegionSet{merged({tasks("v1", 3), tasks("v2", 2)}), {"v3:0"}, {"v3:1"}}));
}

TEST(PipelinedRegionBuilding, MultipleComponentsViaCascadeOfJoins_FourRegions) {
  EXPECT_EQ(regions_of(cascade_of_joins(blocking)),
            (RegionSet{merged({tasks("v1", 8), tasks("v2", 8), tasks("v5", 4)}),
                       merged({tasks("v3", 8), tasks("v4", 8), tasks("v6", 4)}),
                       {"v7:0"},
                       {"v7:1"}}));
}

TEST(PipelinedRegionBuilding, DiamondWithMixedExchanges_OneRegionOf32) {
  TopologyBuilder b;
  b.vertex("v1", 8).vertex("v2", 8).vertex("v3", 8).vertex("v4", 8);
  b.connect("v1", "v2", blocking, all_to_all).connect("v1", "v3", pipelined, all_to_all);
  b.connect("v2", "v4", pipelined, all_to_all).connect("v3", "v4", pipelined, all_to_all);
  const RegionSet regions = regions_of(b);
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions.begin()->size(), 32u);
}

// --- Further cases derived from DefaultExecutionTopology -------------------------------------

TEST(PipelinedRegions, PipelinedPointwiseRescale_SplitsByConnectivity) {
  // P=4 -> C=2 pointwise pipelined: consumer k reads [2k, 2k+2), so two regions of three.
  TopologyBuilder b;
  b.vertex("a", 4).vertex("b", 2);
  b.connect("a", "b", pipelined, pointwise);
  EXPECT_EQ(regions_of(b), (RegionSet{{"a:0", "a:1", "b:0"}, {"a:2", "a:3", "b:1"}}));
}

TEST(PipelinedRegions, IntraLogicalRegionBlockingAllToAll_WholeLogicalRegion) {
  // a -> b pipelined pointwise keeps a and b in one logical region; the blocking ALL_TO_ALL edge
  // a -> c inside the same logical region (c -> b pipelined) makes all subtasks one region.
  TopologyBuilder b;
  b.vertex("a", 2).vertex("c", 2).vertex("b", 2);
  b.connect("a", "b", pipelined, pointwise);
  b.connect("c", "b", pipelined, pointwise);
  b.connect("a", "c", blocking, all_to_all);
  EXPECT_EQ(regions_of(b), (RegionSet{merged({tasks("a", 2), tasks("b", 2), tasks("c", 2)})}));
}

TEST(PipelinedRegions, BatchDefaults_EveryTaskOwnRegion) {
  TopologyBuilder b(JobMode::batch);
  b.vertex("a", 2).vertex("b", 2);
  JobGraph job = b.job();
  job.add_edge(JobVertexId{0}, JobVertexId{1}, Partitioner::hash);
  const ExecutionGraph graph = ExecutionGraph::build(job).value();
  EXPECT_EQ(testing::region_set(graph, compute_pipelined_regions(graph)),
            (RegionSet{{"a:0"}, {"a:1"}, {"b:0"}, {"b:1"}}));
}

TEST(PipelinedRegions, TaskNames_SortedAsContractSays) {
  TopologyBuilder b;
  b.vertex("v", 12);
  const ExecutionGraph graph = b.build();
  const auto names = region_task_names(graph, compute_pipelined_regions(graph));
  ASSERT_EQ(names.size(), 12u);
  // Plain string order of Flink's names: '/' sorts before '0', so "v (1/12)" < "v (10/12)" <
  // "v (11/12)" < "v (12/12)" < "v (2/12)".
  EXPECT_EQ(names[0], std::vector<std::string>{"v (1/12)"});
  EXPECT_EQ(names[1], std::vector<std::string>{"v (10/12)"});
  EXPECT_EQ(names[3], std::vector<std::string>{"v (12/12)"});
  EXPECT_EQ(names[4], std::vector<std::string>{"v (2/12)"});
}

}  // namespace
}  // namespace flinksim::graph
