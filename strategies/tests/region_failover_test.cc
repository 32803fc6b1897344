// Goal: the failover strategies give the answers of Flink's RestartPipelinedRegionFailoverStrategyTest
// and RestartAllFailoverStrategyTest, case by case (31 + 1 cases). Method: the same topologies
// (vertices of parallelism 1, one partition per connect), the same failures, and comparison of
// the restarted task sets.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "model/graph/tests/topology_builder.h"
#include "strategies/restart_all_failover_strategy.h"
#include "strategies/restart_pipelined_region_failover_strategy.h"

namespace flinksim::strategies {
namespace {

using graph::ResultPartitionType;
using graph::testing::TopologyBuilder;
using Names = std::set<std::string>;
constexpr auto pipelined = ResultPartitionType::pipelined;
constexpr auto blocking = ResultPartitionType::blocking;

// A topology with its regions and a partition tracker that tests can edit.
class Fixture {
 public:
  explicit Fixture(const TopologyBuilder& builder)
      : graph_(builder.build()), regions_(graph::compute_pipelined_regions(graph_)) {}

  Names fail(const std::string& vertex, std::optional<std::string> partition_error = {}) const {
    RestartPipelinedRegionFailoverStrategy strategy(graph_, regions_, checker_);
    FailureCause cause;
    if (partition_error) cause.partition_error = graph_.parse_partition(*partition_error).value();
    Names names;
    for (auto id : strategy.tasks_needing_restart(graph_.parse_task(vertex + ":0").value(), cause)) {
      names.insert(graph_.job_graph().vertex(id.vertex).name);
    }
    return names;
  }
  void mark_unavailable(const std::string& partition) {
    checker_.mark_unavailable(graph_.parse_partition(partition).value());
  }
  const graph::ExecutionGraph& graph() const { return graph_; }

 private:
  graph::ExecutionGraph graph_;
  graph::PipelinedRegions regions_;
  UnavailablePartitionSet checker_;
};

TopologyBuilder six_vertices_blocking() {
  TopologyBuilder b;
  for (const char* v : {"v1", "v2", "v3", "v4", "v5", "v6"}) b.vertex(v);
  b.connect("v1", "v4", blocking).connect("v1", "v5", blocking);
  b.connect("v2", "v4", blocking).connect("v2", "v5", blocking);
  b.connect("v3", "v6", blocking);
  return b;
}

TEST(RegionFailover, RegionInternalErrors_FailedRegionAndConsumers) {
  Fixture f(six_vertices_blocking());
  EXPECT_EQ(f.fail("v1"), (Names{"v1", "v4", "v5"}));
  EXPECT_EQ(f.fail("v2"), (Names{"v2", "v4", "v5"}));
  EXPECT_EQ(f.fail("v3"), (Names{"v3", "v6"}));
  EXPECT_EQ(f.fail("v4"), (Names{"v4"}));
  EXPECT_EQ(f.fail("v5"), (Names{"v5"}));
  EXPECT_EQ(f.fail("v6"), (Names{"v6"}));
}

TEST(RegionFailover, DataConsumptionErrors_ProducerOfNamedPartitionRestarts) {
  Fixture f(six_vertices_blocking());
  EXPECT_EQ(f.fail("v4", "v1->v4/0"), (Names{"v1", "v4", "v5"}));
  EXPECT_EQ(f.fail("v4", "v2->v4/0"), (Names{"v2", "v4", "v5"}));
  EXPECT_EQ(f.fail("v5", "v1->v5/0"), (Names{"v1", "v4", "v5"}));
  EXPECT_EQ(f.fail("v5", "v2->v5/0"), (Names{"v2", "v4", "v5"}));
  EXPECT_EQ(f.fail("v6", "v3->v6/0"), (Names{"v3", "v6"}));
  // The partition error counts only for its own computation.
  EXPECT_EQ(f.fail("v4"), (Names{"v4"}));
}

TopologyBuilder two_producers_one_consumer() {
  TopologyBuilder b;
  b.vertex("v1").vertex("v2").vertex("v3");
  b.connect("v1", "v3", blocking).connect("v2", "v3", blocking);
  return b;
}

TEST(RegionFailover, AvailabilityCombinations_BothAvailable) {
  Fixture f(two_producers_one_consumer());
  EXPECT_EQ(f.fail("v1"), (Names{"v1", "v3"}));
  EXPECT_EQ(f.fail("v2"), (Names{"v2", "v3"}));
  EXPECT_EQ(f.fail("v3"), (Names{"v3"}));
}

TEST(RegionFailover, AvailabilityCombinations_FirstUnavailable) {
  Fixture f(two_producers_one_consumer());
  f.mark_unavailable("v1->v3/0");
  EXPECT_EQ(f.fail("v1"), (Names{"v1", "v3"}));
  EXPECT_EQ(f.fail("v2"), (Names{"v1", "v2", "v3"}));
  EXPECT_EQ(f.fail("v3"), (Names{"v1", "v3"}));
}

TEST(RegionFailover, AvailabilityCombinations_SecondUnavailable) {
  Fixture f(two_producers_one_consumer());
  f.mark_unavailable("v2->v3/0");
  EXPECT_EQ(f.fail("v1"), (Names{"v1", "v2", "v3"}));
  EXPECT_EQ(f.fail("v2"), (Names{"v2", "v3"}));
  EXPECT_EQ(f.fail("v3"), (Names{"v2", "v3"}));
}

TEST(RegionFailover, AvailabilityCombinations_BothUnavailable) {
  Fixture f(two_producers_one_consumer());
  f.mark_unavailable("v1->v3/0");
  f.mark_unavailable("v2->v3/0");
  EXPECT_EQ(f.fail("v1"), (Names{"v1", "v2", "v3"}));
  EXPECT_EQ(f.fail("v2"), (Names{"v1", "v2", "v3"}));
  EXPECT_EQ(f.fail("v3"), (Names{"v1", "v2", "v3"}));
}

TEST(RegionFailover, MultipleVerticesRegions_DownstreamAndProducerOfBadInput) {
  TopologyBuilder b;
  for (const char* v : {"v1", "v2", "v3", "v4", "v5", "v6"}) b.vertex(v);
  b.connect("v1", "v2", pipelined).connect("v2", "v3", blocking).connect("v3", "v4", pipelined);
  b.connect("v4", "v5", blocking).connect("v5", "v6", pipelined);
  Fixture f(b);
  EXPECT_EQ(f.fail("v3"), (Names{"v3", "v4", "v5", "v6"}));
  EXPECT_EQ(f.fail("v3", "v2->v3/0"), (Names{"v1", "v2", "v3", "v4", "v5", "v6"}));
}

TEST(RegionFailover, PipelinedApproximate_FailedTaskAndDownstream) {
  constexpr auto approximate = ResultPartitionType::pipelined_approximate;
  TopologyBuilder b;
  b.vertex("v1").vertex("v2").vertex("v3").vertex("v4");
  b.connect("v1", "v2", approximate).connect("v1", "v3", approximate);
  b.connect("v2", "v4", approximate).connect("v3", "v4", approximate);
  Fixture f(b);
  EXPECT_EQ(f.fail("v1"), (Names{"v1", "v2", "v3", "v4"}));
  EXPECT_EQ(f.fail("v2"), (Names{"v2", "v4"}));
  EXPECT_EQ(f.fail("v3"), (Names{"v3", "v4"}));
  EXPECT_EQ(f.fail("v4"), (Names{"v4"}));
}

TEST(RegionFailover, HybridEdges_SelectiveAndPipelinedProducersRestart) {
  TopologyBuilder b;
  for (const char* v : {"v1", "v2", "v3", "v4", "v5", "v6"}) b.vertex(v);
  b.connect("v1", "v5", ResultPartitionType::hybrid_full);
  b.connect("v2", "v5", blocking);
  b.connect("v3", "v5", ResultPartitionType::hybrid_selective);
  b.connect("v4", "v5", pipelined);
  b.connect("v5", "v6", ResultPartitionType::hybrid_full);
  Fixture f(b);
  EXPECT_EQ(f.fail("v5"), (Names{"v3", "v4", "v5", "v6"}));
  EXPECT_EQ(f.fail("v6"), (Names{"v6"}));
}

TEST(RestartAllFailover, AnyFailure_EveryTask) {
  TopologyBuilder b;
  b.vertex("v1").vertex("v2").vertex("v3");
  b.connect("v1", "v2", pipelined).connect("v2", "v3", blocking);
  const graph::ExecutionGraph graph = b.build();
  RestartAllFailoverStrategy strategy(graph);
  const auto restarted =
      strategy.tasks_needing_restart(graph.parse_task("v1:0").value(), FailureCause{});
  ASSERT_EQ(restarted.size(), 3u);
  EXPECT_EQ(graph.task_id(restarted[0]), "v1:0");
  EXPECT_EQ(graph.task_id(restarted[1]), "v2:0");
  EXPECT_EQ(graph.task_id(restarted[2]), "v3:0");
}

TEST(FailoverStrategyKind, Names_AndAliases) {
  EXPECT_EQ(parse_failover_strategy_kind("full"), FailoverStrategyKind::full);
  EXPECT_EQ(parse_failover_strategy_kind("restart-all"), FailoverStrategyKind::full);
  EXPECT_EQ(parse_failover_strategy_kind("REGION"), FailoverStrategyKind::region);
  EXPECT_EQ(parse_failover_strategy_kind("approximate-local"), FailoverStrategyKind::approximate);
  EXPECT_EQ(parse_failover_strategy_kind("individual"), std::nullopt);
}

TEST(RegionFailover, ApproximateKindOverStreamingJob_RestartsOnlyDownstream) {
  // A streaming job with approximate local recovery: every implicit edge is
  // PIPELINED_APPROXIMATE, so failing the middle of source -> map -> sink restarts map and sink.
  graph::JobGraph job("j");
  auto source = job.add_vertex("source", 2);
  auto map = job.add_vertex("map", 2);
  auto sink = job.add_vertex("sink", 1);
  job.add_edge(source, map, graph::Partitioner::forward);
  job.add_edge(map, sink, graph::Partitioner::rebalance);
  job.set_approximate_local_recovery(true);
  const auto graph = graph::ExecutionGraph::build(job).value();
  const auto regions = graph::compute_pipelined_regions(graph);
  AllPartitionsAvailable checker;
  auto strategy = make_failover_strategy(FailoverStrategyKind::approximate, graph, regions, checker);
  std::vector<std::string> names;
  for (auto id : strategy->tasks_needing_restart(graph.parse_task("map:1").value(), {})) {
    names.push_back(graph.task_id(id));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"map:1", "sink:0"}));
}

}  // namespace
}  // namespace flinksim::strategies
