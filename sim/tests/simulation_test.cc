// Goal: the event queue runs events in (time, scheduling order), a cancelled timer never fires
// even when its slot is reused, and run_until / run_until_idle / the event limit / request_stop
// stop exactly where documented.
// Method: small hand-built schedules whose expected order and clock values are written out by
// hand, plus one randomized comparison against a trivially correct reference queue (a std::map
// keyed by (time, sequence)) with random cancellations.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <tuple>
#include <vector>

#include "sim/rng.h"
#include "sim/simulation.h"
#include "sim/tests/printers.h"

namespace flinksim::sim {
namespace {

Instant at_ms(int64_t ms) { return Instant::zero() + Duration::milliseconds(ms); }

TEST(Simulation, EqualTimeEventsRunInSchedulingOrder) {
  Simulation simulation;
  std::vector<std::string> order;
  // Scheduled out of time order on purpose; within one instant the insertion order must hold.
  simulation.schedule_at(at_ms(2), [&] { order.push_back("t2-first"); });
  simulation.schedule_at(at_ms(1), [&] { order.push_back("t1-first"); });
  simulation.schedule_at(at_ms(2), [&] { order.push_back("t2-second"); });
  simulation.schedule_at(at_ms(1), [&] { order.push_back("t1-second"); });
  simulation.schedule_at(at_ms(1), [&] {
    order.push_back("t1-third");
    // Scheduled at the current instant from inside an event: runs after everything already
    // queued for this instant.
    simulation.schedule_at(simulation.now(), [&] { order.push_back("t1-from-event"); });
  });
  simulation.schedule_at(at_ms(1), [&] { order.push_back("t1-fourth"); });
  simulation.run_until_idle();
  const std::vector<std::string> expected = {"t1-first",  "t1-second",     "t1-third",
                                             "t1-fourth", "t1-from-event", "t2-first",
                                             "t2-second"};
  EXPECT_EQ(order, expected);
  EXPECT_EQ(simulation.now(), at_ms(2));
}

TEST(Simulation, ManyEqualTimeEventsKeepOrderAcrossHeapReshuffles) {
  // Enough events at a handful of instants that the heap moves entries around a lot.
  Simulation simulation;
  std::vector<std::pair<int64_t, int>> fired;
  constexpr int count = 5000;
  for (int i = 0; i < count; ++i) {
    const int64_t time = (i * 7) % 5;  // interleaves the five instants
    simulation.schedule_at(at_ms(time), [&fired, &simulation, i] {
      fired.emplace_back(simulation.now().milliseconds_since_start(), i);
    });
  }
  simulation.run_until_idle();
  ASSERT_EQ(fired.size(), static_cast<size_t>(count));
  for (size_t k = 1; k < fired.size(); ++k) {
    const auto& previous = fired[k - 1];
    const auto& current = fired[k];
    ASSERT_TRUE(previous.first < current.first ||
                (previous.first == current.first && previous.second < current.second))
        << "at position " << k;
  }
}

TEST(Simulation, CancelledTimerNeverFiresAndCancelReturnsFalseTwice) {
  Simulation simulation;
  int fired_a = 0;
  int fired_b = 0;
  const TimerId a = simulation.schedule_at(at_ms(5), [&] { ++fired_a; });
  const TimerId b = simulation.schedule_at(at_ms(5), [&] { ++fired_b; });
  EXPECT_TRUE(simulation.is_pending(a));
  EXPECT_EQ(simulation.pending_events(), 2u);
  EXPECT_TRUE(simulation.cancel(a));
  EXPECT_FALSE(simulation.cancel(a));
  EXPECT_FALSE(simulation.cancel(a));
  EXPECT_FALSE(simulation.is_pending(a));
  EXPECT_TRUE(simulation.is_pending(b));
  EXPECT_EQ(simulation.pending_events(), 1u);
  simulation.run_until_idle();
  EXPECT_EQ(fired_a, 0);
  EXPECT_EQ(fired_b, 1);
  EXPECT_EQ(simulation.counters().timers_cancelled, 1u);
  EXPECT_EQ(simulation.counters().events_executed, 1u);
}

TEST(Simulation, SlotReuseDoesNotResurrectACancelledId) {
  Simulation simulation;
  int fired_old = 0;
  int fired_new = 0;
  const TimerId old_id = simulation.schedule_at(at_ms(3), [&] { ++fired_old; });
  ASSERT_TRUE(simulation.cancel(old_id));
  // The freed slot is recycled by the next schedule; the old id must stay dead and must not be
  // able to cancel the new timer.
  const TimerId new_id = simulation.schedule_at(at_ms(3), [&] { ++fired_new; });
  EXPECT_NE(old_id, new_id);
  EXPECT_FALSE(simulation.is_pending(old_id));
  EXPECT_FALSE(simulation.cancel(old_id));
  EXPECT_TRUE(simulation.is_pending(new_id));
  simulation.run_until_idle();
  EXPECT_EQ(fired_old, 0);
  EXPECT_EQ(fired_new, 1);
}

TEST(Simulation, FiredTimerAndDefaultIdCannotBeCancelled) {
  Simulation simulation;
  const TimerId id = simulation.schedule_after(Duration::milliseconds(1), [] {});
  simulation.run_until_idle();
  EXPECT_FALSE(simulation.is_pending(id));
  EXPECT_FALSE(simulation.cancel(id));
  EXPECT_FALSE(TimerId().valid());
  EXPECT_FALSE(simulation.cancel(TimerId()));
  EXPECT_EQ(simulation.counters().timers_cancelled, 0u);
}

TEST(Simulation, EventCanCancelALaterEventAtTheSameInstant) {
  Simulation simulation;
  bool second_fired = false;
  TimerId second;
  simulation.schedule_at(at_ms(1), [&] { EXPECT_TRUE(simulation.cancel(second)); });
  second = simulation.schedule_at(at_ms(1), [&] { second_fired = true; });
  simulation.run_until_idle();
  EXPECT_FALSE(second_fired);
  EXPECT_EQ(simulation.pending_events(), 0u);
}

TEST(Simulation, RunUntilRunsEventsAtTheLimitAndAdvancesTheClockToIt) {
  Simulation simulation;
  std::vector<int64_t> fired_ms;
  for (int64_t ms : {10, 20, 30}) {
    simulation.schedule_at(at_ms(ms), [&fired_ms, &simulation] {
      fired_ms.push_back(simulation.now().milliseconds_since_start());
    });
  }
  simulation.run_until(at_ms(20));
  EXPECT_EQ(fired_ms, (std::vector<int64_t>{10, 20}));  // "at or before" the limit
  EXPECT_EQ(simulation.now(), at_ms(20));
  EXPECT_EQ(simulation.pending_events(), 1u);

  // No event before the limit: the clock still moves to the limit.
  simulation.run_until(at_ms(25));
  EXPECT_EQ(simulation.now(), at_ms(25));
  EXPECT_EQ(fired_ms.size(), 2u);

  simulation.run_until(at_ms(100));
  EXPECT_EQ(fired_ms, (std::vector<int64_t>{10, 20, 30}));
  EXPECT_EQ(simulation.now(), at_ms(100));
  EXPECT_EQ(simulation.counters().virtual_time, at_ms(100));
}

TEST(Simulation, RunUntilIdleStopsAtTheLastEvent) {
  Simulation simulation;
  int chain = 0;
  // A chain of events each scheduling the next, 1 ms apart, ten in all.
  std::function<void()> next = [&] {
    if (++chain < 10) simulation.schedule_after(Duration::milliseconds(1), next);
  };
  simulation.schedule_at(at_ms(1), next);
  simulation.run_until_idle();
  EXPECT_EQ(chain, 10);
  // The clock stays at the last event (10 ms), it does not jump to the end of time.
  EXPECT_EQ(simulation.now(), at_ms(10));
  EXPECT_EQ(simulation.pending_events(), 0u);
  EXPECT_EQ(simulation.counters().events_executed, 10u);
}

TEST(Simulation, EventLimitStopsTheRunAndCanBeRaised) {
  Simulation simulation;
  int fired = 0;
  for (int i = 1; i <= 10; ++i) simulation.schedule_at(at_ms(i), [&] { ++fired; });
  simulation.set_event_limit(4);
  simulation.run_until(at_ms(100));
  EXPECT_EQ(fired, 4);
  EXPECT_TRUE(simulation.event_limit_reached());
  // Stopped by the limit: the clock stays at the last event run, not at the requested limit.
  EXPECT_EQ(simulation.now(), at_ms(4));
  EXPECT_EQ(simulation.pending_events(), 6u);
  simulation.set_event_limit(7);
  simulation.run_until_idle();
  EXPECT_EQ(fired, 7);
  simulation.set_event_limit(UINT64_MAX);
  simulation.run_until_idle();
  EXPECT_EQ(fired, 10);
  EXPECT_FALSE(simulation.event_limit_reached());
}

TEST(Simulation, RequestStopEndsTheRunAfterTheRunningEvent) {
  Simulation simulation;
  std::vector<int> order;
  simulation.schedule_at(at_ms(1), [&] { order.push_back(1); });
  simulation.schedule_at(at_ms(2), [&] {
    order.push_back(2);
    simulation.request_stop();
  });
  simulation.schedule_at(at_ms(2), [&] { order.push_back(3); });
  simulation.schedule_at(at_ms(3), [&] { order.push_back(4); });
  simulation.run_until(at_ms(50));
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(simulation.now(), at_ms(2));  // a stopped run does not jump to its limit
  // The stop request is consumed: the next run continues where this one ended.
  simulation.run_until_idle();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(Simulation, MonitorIsCalledEveryNEventsAndCanStopTheRun) {
  // Goal: a monitor watches the run between events and may end it like request_stop. Method:
  // ten events one millisecond apart, a monitor every 3 events that stops at its second call.
  Simulation simulation;
  int fired = 0;
  for (int i = 1; i <= 10; ++i) simulation.schedule_at(at_ms(i), [&] { ++fired; });
  std::vector<uint64_t> seen;
  simulation.set_monitor(3, [&](const SimulationCounters& counters) {
    seen.push_back(counters.events_executed);
    return seen.size() < 2;
  });
  simulation.run_until(at_ms(100));
  EXPECT_EQ(seen, (std::vector<uint64_t>{3, 6}));
  EXPECT_EQ(fired, 6);
  EXPECT_EQ(simulation.now(), at_ms(6));  // stopped: the clock stays at the last event
  simulation.set_monitor(0, nullptr);
  simulation.run_until_idle();
  EXPECT_EQ(fired, 10);
}

TEST(Simulation, MonitorThatLetsTheRunGoOnChangesNothing) {
  // Same events with and without a monitor every event: same order, same clock, same count.
  const auto run = [](bool monitored) {
    Simulation simulation;
    std::vector<int> order;
    for (int i = 0; i < 6; ++i) simulation.schedule_at(at_ms(6 - i), [&order, i] { order.push_back(i); });
    int calls = 0;
    if (monitored) simulation.set_monitor(1, [&](const SimulationCounters&) { return ++calls > 0; });
    simulation.run_until(at_ms(10));
    EXPECT_EQ(calls, monitored ? 6 : 0);
    return std::make_tuple(order, simulation.now(), simulation.counters().events_executed);
  };
  EXPECT_EQ(run(true), run(false));
}

TEST(Simulation, CountersTrackEventsCancellationsAndTime) {
  Simulation simulation;
  const TimerId cancelled = simulation.schedule_at(at_ms(7), [] {});
  simulation.schedule_at(at_ms(3), [] {});
  simulation.schedule_at(at_ms(4), [] {});
  simulation.cancel(cancelled);
  simulation.run_until(at_ms(9));
  const SimulationCounters counters = simulation.counters();
  EXPECT_EQ(counters.events_executed, 2u);
  EXPECT_EQ(counters.timers_cancelled, 1u);
  EXPECT_EQ(counters.virtual_time, at_ms(9));
  EXPECT_GE(counters.wall_seconds, 0.0);
}

TEST(Simulation, RandomScheduleMatchesAReferenceQueue) {
  // A randomized differential test: the 4-ary heap with lazy cancellation must pop exactly what
  // an ordered map keyed by (time, sequence) pops, with cancellations sprinkled in and events
  // scheduling further events.
  Simulation simulation;
  Rng rng(20240611);
  std::map<std::pair<int64_t, uint64_t>, int> reference;  // (time ns, sequence) -> label
  std::map<int, TimerId> live;                           // label -> id, for cancellation
  std::map<int, std::pair<int64_t, uint64_t>> key_of;
  std::vector<int> fired;
  uint64_t sequence = 0;
  int next_label = 0;

  std::function<void(int64_t)> add = [&](int64_t time_ns) {
    const int label = next_label++;
    const auto key = std::make_pair(time_ns, sequence++);
    reference[key] = label;
    key_of[label] = key;
    live[label] = simulation.schedule_at(Instant::from_nanoseconds(time_ns), [&, label] {
      fired.push_back(label);
      live.erase(label);
      // Some events schedule more work, possibly at the current instant.
      if (next_label < 20000 && rng.chance(0.5)) {
        add(simulation.now().nanoseconds_since_start() + rng.uniform_int(0, 50));
      }
      if (!live.empty() && rng.chance(0.2)) {
        auto it = live.begin();
        std::advance(it, rng.uniform_int(0, static_cast<int64_t>(live.size()) - 1));
        ASSERT_TRUE(simulation.cancel(it->second));
        reference.erase(key_of[it->first]);
        live.erase(it);
      }
    });
  };
  for (int i = 0; i < 3000; ++i) add(rng.uniform_int(0, 1000));
  // Cancel a few before the run starts, too.
  for (int i = 0; i < 300; ++i) {
    const int label = static_cast<int>(rng.uniform_int(0, 2999));
    const auto it = live.find(label);
    if (it == live.end()) continue;
    ASSERT_TRUE(simulation.cancel(it->second));
    reference.erase(key_of[label]);
    live.erase(it);
  }

  // Events only add keys at or after the current instant, so the correct firing order is the
  // final set of uncancelled keys in (time, sequence) order.
  std::vector<int> expected;
  simulation.run_until_idle();
  for (const auto& [key, label] : reference) expected.push_back(label);
  EXPECT_EQ(fired, expected);
  EXPECT_GT(fired.size(), 3000u);
  EXPECT_EQ(simulation.pending_events(), 0u);
}

TEST(Simulation, CallbackCapturesAreReleasedWhenFiredOrCancelled) {
  // Small captures are stored inline and large ones on the heap; either way the captured state
  // must be destroyed exactly once, when the event fires or is cancelled.
  Simulation simulation;
  const auto token = std::make_shared<int>(0);
  struct Large {
    char padding[200] = {};
  };
  int runs = 0;
  const TimerId small_cancelled = simulation.schedule_at(at_ms(1), [token] { (void)token; });
  const TimerId large_cancelled =
      simulation.schedule_at(at_ms(1), [token, large = Large{}] { (void)large; });
  simulation.schedule_at(at_ms(1), [token, &runs] { ++runs; });
  simulation.schedule_at(at_ms(1), [token, large = Large{}, &runs] {
    (void)large;
    ++runs;
  });
  EXPECT_EQ(token.use_count(), 5);
  simulation.cancel(small_cancelled);
  simulation.cancel(large_cancelled);
  EXPECT_EQ(token.use_count(), 3);
  simulation.run_until_idle();
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(token.use_count(), 1);
}

TEST(Simulation, AcceptsMoveOnlyCallbacksAndStdFunctions) {
  Simulation simulation;
  int sum = 0;
  auto owned = std::make_unique<int>(40);
  simulation.schedule_after(Duration::milliseconds(1),
                            [owned = std::move(owned), &sum] { sum += *owned; });
  const Callback copyable = [&sum] { sum += 2; };
  simulation.schedule_after(Duration::milliseconds(2), copyable);
  simulation.run_until_idle();
  EXPECT_EQ(sum, 42);
}

TEST(Simulation, PendingCallbacksAreDestroyedWithTheSimulation) {
  const auto token = std::make_shared<int>(0);
  {
    Simulation simulation;
    for (int i = 0; i < 100; ++i) simulation.schedule_at(at_ms(i), [token] { (void)token; });
    simulation.run_until(at_ms(49));  // half fire, half stay pending
    EXPECT_EQ(token.use_count(), 51);
  }
  EXPECT_EQ(token.use_count(), 1);
}

TEST(SimulationDeathTest, SchedulingInThePastAsserts) {
  Simulation simulation;
  simulation.run_until(at_ms(10));
  EXPECT_DEATH(simulation.schedule_at(at_ms(5), [] {}), "in the past");
  EXPECT_DEATH(simulation.schedule_after(Duration::milliseconds(-1), [] {}), "assertion failed");
}

}  // namespace
}  // namespace flinksim::sim
