// Kernel throughput, the numbers in docs/performance.md ("## Kernel").
//
// hold model: the classic event-list benchmark. A fixed population of pending timers; each
// firing schedules one replacement at now + exponential(mean 1 µs). Everything goes through the
// public Simulation API with an ordinary callback, as model code would use it. One item = one
// event executed.
//
// ping-pong: messages bouncing between two endpoints on two hosts across sim::Network (latency,
// bandwidth, FIFO bookkeeping, delivery event). One item = one message delivered.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>

#include "sim/context.h"
#include "sim/process.h"
#include "sim/rng.h"
#include "sim/simulation.h"

namespace flinksim::sim {
namespace {

// Events run per benchmark iteration: large enough that run_until_idle's own bookkeeping (two
// clock reads) is negligible.
constexpr uint64_t kBatch = 100'000;

class HoldModel {
 public:
  HoldModel(Simulation& simulation, uint64_t seed) : simulation_(simulation), rng_(seed) {}

  void schedule_next() {
    const auto delay = static_cast<int64_t>(rng_.exponential(1'000.0));  // mean 1 µs in ns
    simulation_.schedule_after(Duration::nanoseconds(delay), [this] { schedule_next(); });
  }

 private:
  Simulation& simulation_;
  Rng rng_;
};

void run_batch(Simulation& simulation) {
  simulation.set_event_limit(simulation.counters().events_executed + kBatch);
  simulation.run_until_idle();
}

void BM_HoldModel(benchmark::State& state) {
  const auto population = static_cast<int>(state.range(0));
  Simulation simulation;
  HoldModel model(simulation, 1);
  for (int i = 0; i < population; ++i) model.schedule_next();
  run_batch(simulation);  // warm up: the heap reaches its steady shape
  for (auto _ : state) run_batch(simulation);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_HoldModel)->Arg(1'000)->Arg(100'000);

// The same workload through Process::set_timer, which wraps each callback with an incarnation
// check: the path model code takes.
class HoldProcess final : public Process {
 public:
  HoldProcess(Context& context, HostId host, int population)
      : Process(context, host, "hold"), rng_(context.fork_rng("hold")), population_(population) {}

 private:
  void on_start() override {
    for (int i = 0; i < population_; ++i) schedule_next();
  }
  void schedule_next() {
    const auto delay = static_cast<int64_t>(rng_.exponential(1'000.0));
    set_timer(Duration::nanoseconds(delay), [this] { schedule_next(); });
  }

  Rng rng_;
  int population_;
};

void BM_HoldModelProcessTimers(benchmark::State& state) {
  Context context(1);
  HoldProcess process(context, context.network().add_host("h"), 1'000);
  process.start();
  run_batch(context.simulation());
  for (auto _ : state) run_batch(context.simulation());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_HoldModelProcessTimers);

struct Ball final : Message {
  std::string_view type_name() const override { return "Ball"; }
  int64_t size_bytes() const override { return 256; }
};

void BM_PingPong(benchmark::State& state) {
  const auto in_flight = static_cast<int>(state.range(0));
  Context context(1);
  Network& network = context.network();
  const EndpointId left = network.add_endpoint(network.add_host("left"), "left");
  const EndpointId right = network.add_endpoint(network.add_host("right"), "right");
  // Each side returns whatever it receives to the sender, so the balls bounce forever.
  const auto bounce = [&network](EndpointId self) {
    return [&network, self](EndpointId source, const MessagePtr& message) {
      network.send(self, source, message);
    };
  };
  network.open(left, bounce(left));
  network.open(right, bounce(right));
  for (int i = 0; i < in_flight; ++i) network.send(left, right, std::make_shared<Ball>());
  run_batch(context.simulation());
  const uint64_t delivered_before = network.counters().messages_delivered;
  for (auto _ : state) run_batch(context.simulation());
  state.SetItemsProcessed(
      static_cast<int64_t>(network.counters().messages_delivered - delivered_before));
}
BENCHMARK(BM_PingPong)->Arg(1)->Arg(64);

}  // namespace
}  // namespace flinksim::sim

BENCHMARK_MAIN();
