// Loading a large job (issue 21): a chain of N vertices in flow maps, parsed and loaded as
// `flinksim validate` does. Each NodeRef lookup once copied the document's node memory, so
// loading was quadratic (1,000 vertices: 21 s and 2.7 GB; 10,000 never finished); it is now
// linear. items_per_second counts vertices loaded.

#include <benchmark/benchmark.h>

#include <string>

#include "scenarios/diagnostics.h"
#include "scenarios/job_loader.h"
#include "scenarios/yaml_document.h"

namespace {

using flinksim::scenarios::Diagnostics;

// v0 (a source) -> v1 -> ... -> v{N-1}, one vertex or edge per line: about 60 bytes a vertex.
std::string chain_job(int64_t vertices) {
  std::string text = "job:\n  vertices:\n    - {name: v0, operator: source, parallelism: 1}\n";
  for (int64_t i = 1; i < vertices; ++i) {
    text += "    - {name: v" + std::to_string(i) + ", operator: map, parallelism: 1}\n";
  }
  text += "  edges:\n";
  for (int64_t i = 1; i < vertices; ++i) {
    text += "    - {from: v" + std::to_string(i - 1) + ", to: v" + std::to_string(i) + "}\n";
  }
  return text;
}

void BM_LoadChainJob(benchmark::State& state) {
  const std::string text = chain_job(state.range(0));
  for (auto _ : state) {
    Diagnostics diagnostics;
    auto root = flinksim::scenarios::parse_yaml(text, "chain.yaml", diagnostics);
    auto job = root ? flinksim::scenarios::load_job_document(*root, diagnostics) : std::nullopt;
    if (!job) state.SkipWithError(diagnostics.format().c_str());
    benchmark::DoNotOptimize(job);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_LoadChainJob)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
