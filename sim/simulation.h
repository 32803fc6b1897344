#pragma once

// The discrete-event kernel: a queue of callbacks ordered by (time, sequence number), so that
// events scheduled for the same instant run in the order they were scheduled (as in ns-3 and
// SimGrid). Timers are cancellable in O(1): a cancelled timer's slot is recycled at once and its
// queue entry is skipped when it surfaces.

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/time.h"

namespace flinksim::sim {

using Callback = std::function<void()>;

class TimerId {
 public:
  constexpr TimerId() = default;
  bool valid() const { return generation_ != 0; }
  auto operator<=>(const TimerId&) const = default;

 private:
  friend class Simulation;
  constexpr TimerId(uint32_t slot, uint32_t generation) : slot_(slot), generation_(generation) {}
  uint32_t slot_ = 0;
  uint32_t generation_ = 0;
};

struct SimulationCounters {
  uint64_t events_executed = 0;
  uint64_t timers_cancelled = 0;
  Instant virtual_time;
  double wall_seconds = 0;
};

class Simulation {
 public:
  Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  Instant now() const { return now_; }

  TimerId schedule_at(Instant when, Callback callback);
  TimerId schedule_after(Duration delay, Callback callback);
  // Returns whether the timer was still pending; a cancelled timer never fires.
  bool cancel(TimerId id);
  bool is_pending(TimerId id) const;

  // Runs every event due at or before `limit`, then advances the clock to `limit`.
  void run_until(Instant limit);
  // Runs until no event is left (or the event limit or a stop request intervenes).
  void run_until_idle();
  // Ends the current run_until/run_until_idle after the running event.
  void request_stop() { stop_requested_ = true; }
  void set_event_limit(uint64_t limit) { event_limit_ = limit; }
  bool event_limit_reached() const { return counters_.events_executed >= event_limit_; }

  size_t pending_events() const { return pending_; }
  SimulationCounters counters() const;

 private:
  struct Entry {
    int64_t time;
    uint64_t sequence;
    uint32_t slot;
    uint32_t generation;
  };
  struct Slot {
    Callback callback;
    uint32_t generation = 1;
  };

  // Pops the next live entry due at or before `limit` and runs it; false when there is none.
  bool step(Instant limit);
  void heap_push(Entry entry);
  void heap_pop();
  void release_slot(uint32_t slot);

  Instant now_;
  uint64_t next_sequence_ = 0;
  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  size_t pending_ = 0;
  bool stop_requested_ = false;
  uint64_t event_limit_ = UINT64_MAX;
  SimulationCounters counters_;
};

}  // namespace flinksim::sim
