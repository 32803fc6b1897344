// Pipelined regions and region failover at the scale of Flink's legacy region-building test:
// a 3-vertex POINTWISE pipelined chain at parallelism 10,000 (10,000 regions of three tasks) and
// two vertices of parallelism 1,000 joined ALL_TO_ALL (one region of 2,000 tasks, one shared
// partition group each way). Each must stay well under 100 ms (issue 3).

#include <benchmark/benchmark.h>

#include "model/graph/execution_graph.h"
#include "model/graph/pipelined_regions.h"
#include "strategies/restart_pipelined_region_failover_strategy.h"

namespace {

using namespace flinksim;

graph::JobGraph pointwise_chain(int parallelism) {
  graph::JobGraph job("chain");
  auto a = job.add_vertex("a", parallelism);
  auto b = job.add_vertex("b", parallelism);
  auto c = job.add_vertex("c", parallelism);
  job.add_edge(a, b, graph::DistributionPattern::pointwise, graph::ResultPartitionType::pipelined);
  job.add_edge(b, c, graph::DistributionPattern::pointwise, graph::ResultPartitionType::pipelined);
  return job;
}

graph::JobGraph all_to_all_pair(int parallelism, graph::ResultPartitionType type) {
  graph::JobGraph job("pair");
  auto a = job.add_vertex("a", parallelism);
  auto b = job.add_vertex("b", parallelism);
  job.add_edge(a, b, graph::DistributionPattern::all_to_all, type);
  return job;
}

void regions(benchmark::State& state, const graph::JobGraph& job) {
  for (auto _ : state) {
    auto graph = graph::ExecutionGraph::build(job).value();
    auto computed = graph::compute_pipelined_regions(graph);
    benchmark::DoNotOptimize(computed.regions.data());
  }
}

void failover(benchmark::State& state, const graph::JobGraph& job, uint32_t failed_vertex = 1) {
  const auto graph = graph::ExecutionGraph::build(job).value();
  const auto computed = graph::compute_pipelined_regions(graph);
  strategies::AllPartitionsAvailable checker;
  strategies::RestartPipelinedRegionFailoverStrategy strategy(graph, computed, checker);
  const graph::ExecutionVertexId failed{graph::JobVertexId{failed_vertex}, 7};
  size_t restarted = 0;
  for (auto _ : state) {
    auto tasks = strategy.tasks_needing_restart(failed, {});
    restarted = tasks.size();
    benchmark::DoNotOptimize(tasks.data());
  }
  state.counters["tasks_restarted"] = static_cast<double>(restarted);
}

void BM_Regions_PointwiseChain10000(benchmark::State& state) {
  regions(state, pointwise_chain(10000));
}
void BM_RegionFailover_PointwiseChain10000(benchmark::State& state) {
  failover(state, pointwise_chain(10000));
}
void BM_Regions_AllToAllPipelined1000(benchmark::State& state) {
  regions(state, all_to_all_pair(1000, graph::ResultPartitionType::pipelined_bounded));
}
void BM_RegionFailover_AllToAllPipelined1000(benchmark::State& state) {
  failover(state, all_to_all_pair(1000, graph::ResultPartitionType::pipelined_bounded));
}
// Blocking: 2,000 single-task regions; failing producer a:7 drags in all 1,000 consumers.
void BM_Regions_AllToAllBlocking1000(benchmark::State& state) {
  regions(state, all_to_all_pair(1000, graph::ResultPartitionType::blocking));
}
void BM_RegionFailover_AllToAllBlocking1000(benchmark::State& state) {
  failover(state, all_to_all_pair(1000, graph::ResultPartitionType::blocking), 0);
}

BENCHMARK(BM_Regions_PointwiseChain10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RegionFailover_PointwiseChain10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Regions_AllToAllPipelined1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RegionFailover_AllToAllPipelined1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Regions_AllToAllBlocking1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RegionFailover_AllToAllBlocking1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
