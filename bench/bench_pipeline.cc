// The data plane's throughput: a bounded source -> map -> keyed aggregate -> sink job at
// parallelism 4 on two TaskManagers with two slots, failure-free, built directly on the model
// (no scenario parsing in the measured loop). Every source record takes four record-operator
// steps (generated, mapped, aggregated, written), which is what items_per_second counts.
// Counters: `virtual_per_cpu` — seconds of cluster time simulated per CPU second;
// `records_per_run`; `peak_buffers` — the most buffers one output partition ever held, which
// shows that memory follows the buffer pools, not the records processed.

#include <benchmark/benchmark.h>

#include <ctime>

#include "model/cluster.h"

namespace {

using namespace flinksim;

model::ClusterOptions pipeline_options(int64_t records, double rate_per_subtask) {
  model::ClusterOptions options;
  options.taskmanagers = 2;
  options.slots_per_taskmanager = 2;
  options.duration = sim::Duration::minutes(60);
  graph::JobGraph job("pipeline");
  graph::OperatorSpec source;
  source.kind = graph::OperatorKind::source;
  source.records = records;
  source.rate_per_second = rate_per_subtask;
  source.keys = 10'000;
  graph::OperatorSpec map;
  map.kind = graph::OperatorKind::map;
  graph::OperatorSpec aggregate;
  aggregate.kind = graph::OperatorKind::aggregate;
  graph::OperatorSpec sink;
  sink.kind = graph::OperatorKind::sink;
  sink.delivery = graph::SinkDelivery::at_least_once;
  const auto s = job.add_vertex("source", 4, std::nullopt, source);
  const auto m = job.add_vertex("map", 4, std::nullopt, map);
  const auto a = job.add_vertex("aggregate", 4, std::nullopt, aggregate);
  const auto k = job.add_vertex("sink", 4, std::nullopt, sink);
  job.add_edge(s, m, graph::Partitioner::forward);
  job.add_edge(m, a, graph::Partitioner::hash);
  job.add_edge(a, k, graph::Partitioner::forward);
  options.job = std::move(job);
  return options;
}

void BM_Pipeline(benchmark::State& state) {
  const int64_t records = state.range(0);
  const model::ClusterOptions options = pipeline_options(records, static_cast<double>(state.range(1)));
  double virtual_seconds = 0;
  double cpu_seconds = 0;
  int peak_buffers = 0;
  for (auto _ : state) {
    const std::clock_t started = std::clock();
    sim::Context context(42);
    model::Cluster cluster(context, options, model::FaultPlan{});
    cluster.run();
    cpu_seconds += static_cast<double>(std::clock() - started) / CLOCKS_PER_SEC;
    virtual_seconds += context.now().since_start().count_seconds();
    peak_buffers = cluster.metrics().data_plane.peak_output_buffers;
    if (cluster.metrics().final_status != model::JobStatus::finished) {
      state.SkipWithError("the job did not finish");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * records * 4);
  // Per CPU second, so a busy machine does not distort it.
  state.counters["virtual_per_cpu"] = virtual_seconds / cpu_seconds;
  state.counters["records_per_run"] = static_cast<double>(records);
  state.counters["peak_buffers"] = peak_buffers;
}

// {records, records per second per subtask}: flat out (1 M/s in all), and a modest 1000/s per
// subtask for 100 s of cluster time.
BENCHMARK(BM_Pipeline)
    ->Args({1'000'000, 250'000})
    ->Args({4'000'000, 250'000})
    ->Args({400'000, 1'000})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
