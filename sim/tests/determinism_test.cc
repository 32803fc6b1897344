// Goal: a run is a pure function of its seed. The same seed gives the same trace hash and the
// same counters, also when two simulations are interleaved in one process (no hidden global
// state); a different seed gives a different run.
// Method: a randomized ping-pong workload — six processes on six hosts sending pings of random
// sizes to random peers over jittery links, answering with pongs — while a chaos driver, drawing
// from its own forked stream, crashes and restarts processes and opens and heals symmetric and
// one-way partitions. Every send, receive, failure and fault is traced. About ten thousand
// events per run.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/context.h"
#include "sim/process.h"

namespace flinksim::sim {
namespace {

constexpr int kProcesses = 6;
const Duration kRunLength = Duration::milliseconds(1500);

struct Ping final : Message {
  Ping(int sequence_in, int64_t size_in, bool is_pong_in)
      : sequence(sequence_in), size(size_in), is_pong(is_pong_in) {}
  std::string_view type_name() const override { return is_pong ? "Pong" : "Ping"; }
  int64_t size_bytes() const override { return size; }
  int sequence;
  int64_t size;
  bool is_pong;
};

class PingPongProcess final : public Process {
 public:
  PingPongProcess(Context& context, HostId host, std::string name,
                  const std::vector<EndpointId>& directory)
      : Process(context, host, name),
        directory_(directory),
        rng_(context.fork_rng("ping-pong/" + name)) {
    endpoint_ = add_endpoint(name + ".rpc", [this](EndpointId source, const MessagePtr& message) {
      on_message(source, *message->as<Ping>());
    });
  }

  EndpointId endpoint() const { return endpoint_; }

 private:
  void on_start() override { schedule_tick(); }
  void on_crash() override { sequence_ = 0; }

  void schedule_tick() {
    const auto delay = static_cast<int64_t>(rng_.exponential(2'000'000.0));  // mean 2 ms
    set_timer(Duration::nanoseconds(delay), [this] { tick(); });
  }

  void tick() {
    auto target_index = static_cast<size_t>(rng_.uniform_int(0, kProcesses - 2));
    if (directory_[target_index] == endpoint_) target_index = kProcesses - 1;
    const EndpointId target = directory_[target_index];
    const int sequence = ++sequence_;
    const int64_t size = rng_.uniform_int(100, 20'000);
    trace("ping", fmt::format("to={} seq={} size={}", target.value, sequence, size));
    send(endpoint_, target, std::make_shared<Ping>(sequence, size, false),
         [this, sequence](DeliveryFailure failure) {
           trace(failure == DeliveryFailure::refused ? "refused" : "unreachable",
                 fmt::format("seq={}", sequence));
         });
    schedule_tick();
  }

  void on_message(EndpointId source, const Ping& ping) {
    trace(ping.is_pong ? "got-pong" : "got-ping",
          fmt::format("from={} seq={}", source.value, ping.sequence));
    if (ping.is_pong) return;
    // Think for a while before answering; the answer is lost if this process crashes meanwhile.
    const Duration think = Duration::nanoseconds(rng_.uniform_int(0, 500'000));
    const int sequence = ping.sequence;
    set_timer(think, [this, source, sequence] {
      send(endpoint_, source, std::make_shared<Ping>(sequence, 64, true));
    });
  }

  const std::vector<EndpointId>& directory_;
  Rng rng_;
  EndpointId endpoint_;
  int sequence_ = 0;
};

struct RunSummary {
  uint64_t trace_hash = 0;
  uint64_t trace_events = 0;
  uint64_t events_executed = 0;
  uint64_t messages_sent = 0;
  uint64_t messages_delivered = 0;
  uint64_t messages_dropped = 0;
  int64_t bytes_sent = 0;
  int crashes = 0;
  int partitions = 0;
  int refusals = 0;
  int unreachables = 0;
  bool operator==(const RunSummary&) const = default;
};

// One seeded workload, built so that it can also be advanced in slices.
class PingPongRun {
 public:
  explicit PingPongRun(uint64_t seed)
      : context_(seed, LinkProperties{Duration::milliseconds(1), Duration::milliseconds(3),
                                      100'000'000}) {
    context_.network().set_connect_timeout(Duration::milliseconds(200));
    for (int i = 0; i < kProcesses; ++i) {
      hosts_.push_back(context_.network().add_host(fmt::format("host-{}", i)));
      processes_.push_back(std::make_unique<PingPongProcess>(
          context_, hosts_.back(), fmt::format("process-{}", i), directory_));
      directory_.push_back(processes_.back()->endpoint());
    }
    for (auto& process : processes_) process->start();
    schedule_chaos();
  }

  void run_until(Instant limit) { context_.simulation().run_until(limit); }

  RunSummary summary() {
    RunSummary s;
    s.trace_hash = context_.trace().hash();
    s.trace_events = context_.trace().events_recorded();
    s.events_executed = context_.simulation().counters().events_executed;
    const NetworkCounters& network = context_.network().counters();
    s.messages_sent = network.messages_sent;
    s.messages_delivered = network.messages_delivered;
    s.messages_dropped = network.messages_dropped;
    s.bytes_sent = network.bytes_sent;
    s.crashes = crashes_;
    s.partitions = partitions_;
    return s;
  }

  Trace& trace() { return context_.trace(); }

 private:
  // All faults are drawn up front from the "chaos" stream, so the fault plan depends only on the
  // seed and not on how the workload behaves.
  void schedule_chaos() {
    Rng chaos = context_.fork_rng("chaos");
    Simulation& simulation = context_.simulation();
    for (int i = 0; i < 12; ++i) {
      const Instant crash_at =
          Instant::zero() + Duration::nanoseconds(chaos.uniform_int(0, 1'300'000'000));
      const Duration down_for = Duration::nanoseconds(chaos.uniform_int(1'000'000, 150'000'000));
      const auto victim = static_cast<size_t>(chaos.uniform_int(0, kProcesses - 1));
      simulation.schedule_at(crash_at, [this, victim, down_for] {
        if (!processes_[victim]->alive()) return;
        ++crashes_;
        processes_[victim]->crash();
        context_.simulation().schedule_after(down_for, [this, victim] {
          if (!processes_[victim]->alive()) processes_[victim]->start();
        });
      });
    }
    for (int i = 0; i < 8; ++i) {
      const Instant cut_at =
          Instant::zero() + Duration::nanoseconds(chaos.uniform_int(0, 1'300'000'000));
      const Duration cut_for = Duration::nanoseconds(chaos.uniform_int(5'000'000, 300'000'000));
      std::vector<HostId> side_a;
      std::vector<HostId> side_b;
      for (HostId host : hosts_) (chaos.chance(0.4) ? side_a : side_b).push_back(host);
      if (side_a.empty() || side_b.empty()) continue;
      const PartitionDirection direction =
          chaos.chance(0.5) ? PartitionDirection::both_ways : PartitionDirection::one_way;
      simulation.schedule_at(cut_at, [this, side_a, side_b, direction, cut_for] {
        ++partitions_;
        context_.trace_event("chaos", "partition",
                             fmt::format("{} hosts vs {} hosts, {}", side_a.size(), side_b.size(),
                                         direction == PartitionDirection::one_way ? "one-way"
                                                                                  : "both ways"));
        const PartitionId id = context_.network().partition(side_a, side_b, direction);
        context_.simulation().schedule_after(cut_for, [this, id] {
          context_.trace_event("chaos", "heal");
          context_.network().heal(id);
        });
      });
    }
  }

  Context context_;
  std::vector<HostId> hosts_;
  std::vector<EndpointId> directory_;
  std::vector<std::unique_ptr<PingPongProcess>> processes_;
  int crashes_ = 0;
  int partitions_ = 0;
};

int count_kind(const Trace& trace, std::string_view kind) {
  int count = 0;
  for (const TraceEvent& event : trace.events()) count += event.kind == kind ? 1 : 0;
  return count;
}

RunSummary run_to_end(uint64_t seed) {
  PingPongRun run(seed);
  run.trace().set_capture(true);
  run.run_until(Instant::zero() + kRunLength);
  RunSummary summary = run.summary();
  summary.refusals = count_kind(run.trace(), "refused");
  summary.unreachables = count_kind(run.trace(), "unreachable");
  return summary;
}

TEST(Determinism, SameSeedGivesTheSameTraceHashAndCounters) {
  const RunSummary first = run_to_end(42);
  const RunSummary second = run_to_end(42);
  EXPECT_EQ(first.trace_hash, second.trace_hash);
  EXPECT_EQ(first, second);
  // The workload must really have exercised the kernel, or equality would prove little.
  EXPECT_GT(first.events_executed, 8'000u);
  EXPECT_GT(first.crashes, 5);
  EXPECT_GT(first.partitions, 2);
  EXPECT_GT(first.messages_dropped, 0u);
  EXPECT_GT(first.refusals, 0);
  EXPECT_GT(first.unreachables, 0);
  EXPECT_GT(first.messages_delivered, first.messages_sent / 2);
}

TEST(Determinism, DifferentSeedGivesADifferentRun) {
  const RunSummary a = run_to_end(42);
  const RunSummary b = run_to_end(43);
  EXPECT_NE(a.trace_hash, b.trace_hash);
  EXPECT_NE(a.events_executed, b.events_executed);
}

TEST(Determinism, InterleavedSimulationsInOneProcessDoNotInterfere) {
  // Two runs of the same seed advanced alternately in 10 ms slices, with a run of another seed
  // in between, must each equal a run on its own: nothing is shared between contexts.
  const RunSummary alone = run_to_end(7);
  PingPongRun first(7);
  PingPongRun other(8);
  PingPongRun second(7);
  for (Instant t = Instant::zero(); t < Instant::zero() + kRunLength;) {
    t += Duration::milliseconds(10);
    first.run_until(t);
    other.run_until(t);
    second.run_until(t);
  }
  const RunSummary first_summary = first.summary();
  EXPECT_EQ(first_summary.trace_hash, alone.trace_hash);
  EXPECT_EQ(first_summary.events_executed, alone.events_executed);
  EXPECT_EQ(second.summary(), first_summary);
  EXPECT_NE(other.summary().trace_hash, alone.trace_hash);
}

}  // namespace
}  // namespace flinksim::sim
