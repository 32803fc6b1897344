#include "sim/simulation.h"

#include <chrono>

namespace flinksim::sim {
namespace {

// A 4-ary heap: shallower than a binary heap, and its children share a cache line.
constexpr size_t kArity = 4;

}  // namespace

Simulation::Simulation() { heap_.reserve(1024); }

TimerId Simulation::schedule_at(Instant when, Callback callback) {
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

TimerId Simulation::schedule_after(Duration delay, Callback callback) {
  FLINKSIM_ASSERT(delay >= Duration::zero());
  return schedule_at(now_ + delay, std::move(callback));
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
  s.callback = nullptr;
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
    Callback callback = std::move(slot.callback);
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
  }
  if (!stop_requested_ && !event_limit_reached() && limit > now_ && limit != Instant::max()) {
    now_ = limit;
  }
  counters_.wall_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
}

void Simulation::run_until_idle() { run_until(Instant::max()); }

SimulationCounters Simulation::counters() const {
  SimulationCounters out = counters_;
  out.virtual_time = now_;
  return out;
}

namespace {
inline bool earlier(const auto& a, const auto& b) {
  return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
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

void Simulation::heap_pop() {
  const Entry last = heap_.back();
  heap_.pop_back();
  const size_t size = heap_.size();
  if (size == 0) return;
  size_t index = 0;
  while (true) {
    const size_t first_child = index * kArity + 1;
    if (first_child >= size) break;
    size_t best = first_child;
    const size_t end = first_child + kArity < size ? first_child + kArity : size;
    for (size_t child = first_child + 1; child < end; ++child) {
      if (earlier(heap_[child], heap_[best])) best = child;
    }
    if (!earlier(heap_[best], last)) break;
    heap_[index] = heap_[best];
    index = best;
  }
  heap_[index] = last;
}

}  // namespace flinksim::sim
