#include "sim/simulation.h"

#include <chrono>

namespace flinksim::sim {
namespace {

// A 4-ary heap: shallower than a binary heap, and its children share a cache line.
constexpr size_t kArity = 4;

}  // namespace

Simulation::Simulation() { heap_.reserve(1024); }

TimerId Simulation::schedule_task(Instant when, detail::Task callback) {
  FLINKSIM_ASSERT_MSG(when >= now_, "cannot schedule an event in the past");
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& s = slots_[slot];
  s.callback = std::move(callback);
  heap_push(Entry{when.nanoseconds_since_start(), next_sequence_++, slot, s.generation});
  ++pending_;
  return TimerId(slot, s.generation);
}

Instant Simulation::after(Duration delay) const {
  FLINKSIM_ASSERT(delay >= Duration::zero());
  return now_ + delay;
}

bool Simulation::cancel(TimerId id) {
  if (!is_pending(id)) return false;
  release_slot(id.slot_);
  --pending_;
  ++counters_.timers_cancelled;
  return true;
}

bool Simulation::is_pending(TimerId id) const {
  return id.valid() && id.slot_ < slots_.size() && slots_[id.slot_].generation == id.generation_;
}

void Simulation::release_slot(uint32_t slot) {
  Slot& s = slots_[slot];
  s.callback.reset();
  ++s.generation;
  if (s.generation == 0) s.generation = 1;  // zero marks an invalid TimerId
  free_slots_.push_back(slot);
}

bool Simulation::step(Instant limit) {
  while (!heap_.empty()) {
    const Entry top = heap_.front();
    if (top.time > limit.nanoseconds_since_start()) return false;
    heap_pop();
    Slot& slot = slots_[top.slot];
    if (slot.generation != top.generation) continue;  // cancelled
    // Moved out first: the callback may schedule, which can reallocate the slots.
    detail::Task callback = std::move(slot.callback);
    release_slot(top.slot);
    --pending_;
    now_ = Instant::from_nanoseconds(top.time);
    ++counters_.events_executed;
    callback();
    return true;
  }
  return false;
}

void Simulation::run_until(Instant limit) {
  const auto wall_start = std::chrono::steady_clock::now();
  stop_requested_ = false;
  while (!stop_requested_ && !event_limit_reached() && step(limit)) {
    if (counters_.events_executed >= monitor_due_) poll_monitor();
  }
  if (!stop_requested_ && !event_limit_reached() && limit > now_ && limit != Instant::max()) {
    now_ = limit;
  }
  counters_.wall_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
}

void Simulation::run_until_idle() { run_until(Instant::max()); }

void Simulation::set_monitor(uint64_t every_events, Monitor monitor) {
  FLINKSIM_ASSERT(every_events > 0 || !monitor);
  monitor_ = std::move(monitor);
  monitor_every_ = every_events;
  monitor_due_ = monitor_ ? counters_.events_executed + every_events : UINT64_MAX;
}

void Simulation::poll_monitor() {
  monitor_due_ = counters_.events_executed + monitor_every_;
  if (!monitor_(counters())) stop_requested_ = true;
}

SimulationCounters Simulation::counters() const {
  SimulationCounters out = counters_;
  out.virtual_time = now_;
  return out;
}

namespace {

// (time, sequence) as one 128-bit number: a single compare without a data-dependent branch, which
// the heap's inner loops need because their outcomes are unpredictable.
inline bool earlier(const auto& a, const auto& b) {
  const auto key = [](const auto& e) {
    return (static_cast<unsigned __int128>(static_cast<uint64_t>(e.time)) << 64) | e.sequence;
  };
  return key(a) < key(b);
}

}  // namespace

void Simulation::heap_push(Entry entry) {
  size_t index = heap_.size();
  heap_.push_back(entry);
  while (index > 0) {
    const size_t parent = (index - 1) / kArity;
    if (!earlier(entry, heap_[parent])) break;
    heap_[index] = heap_[parent];
    index = parent;
  }
  heap_[index] = entry;
}

// Bottom-up deletion (Wegener): move the hole left by the root down to a leaf along the path of
// smallest children, then sift the former last entry up from there. The last entry nearly always
// belongs near the bottom, so this saves the per-level comparison against it of a plain
// sift-down.
void Simulation::heap_pop() {
  const Entry last = heap_.back();
  heap_.pop_back();
  const size_t size = heap_.size();
  if (size == 0) return;
  Entry* const heap = heap_.data();
  size_t hole = 0;
  while (true) {
    const size_t first_child = hole * kArity + 1;
    size_t best;
    if (first_child + kArity <= size) {
      // A tournament of the four children, written to compile to conditional moves.
      const size_t left = first_child + (earlier(heap[first_child + 1], heap[first_child]) ? 1 : 0);
      const size_t right =
          first_child + 2 + (earlier(heap[first_child + 3], heap[first_child + 2]) ? 1 : 0);
      best = earlier(heap[right], heap[left]) ? right : left;
    } else if (first_child < size) {
      best = first_child;
      for (size_t child = first_child + 1; child < size; ++child) {
        if (earlier(heap[child], heap[best])) best = child;
      }
    } else {
      break;
    }
    heap[hole] = heap[best];
    hole = best;
  }
  while (hole > 0) {
    const size_t parent = (hole - 1) / kArity;
    if (!earlier(last, heap[parent])) break;
    heap[hole] = heap[parent];
    hole = parent;
  }
  heap[hole] = last;
}

}  // namespace flinksim::sim
