#pragma once

// The discrete-event kernel: a queue of callbacks ordered by (time, sequence number), so that
// events scheduled for the same instant run in the order they were scheduled (as in ns-3 and
// SimGrid). Timers are cancellable in O(1): a cancelled timer's slot is recycled at once and its
// queue entry is skipped when it surfaces.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/time.h"

namespace flinksim::sim {

using Callback = std::function<void()>;

namespace detail {

// A move-only `void()` callable that keeps small captures inline. The event queue stores one per
// pending event; std::function would copy-construct through an extra indirection and allocate
// for anything over 16 bytes (a Process timer's wrapper is 48), which dominated the hold-model
// benchmark. Captures that do not fit, or that may throw on move, go to the heap.
class Task {
 public:
  static constexpr size_t kInlineBytes = 48;

  Task() = default;
  template <typename F>
    requires(!std::same_as<std::decay_t<F>, Task> && std::invocable<std::decay_t<F>&>)
  explicit Task(F&& function) {
    using Stored = std::decay_t<F>;
    if constexpr (fits_inline<Stored>()) {
      ::new (static_cast<void*>(storage_)) Stored(std::forward<F>(function));
      ops_ = &inline_ops<Stored>;
    } else {
      ::new (static_cast<void*>(storage_)) Stored*(new Stored(std::forward<F>(function)));
      ops_ = &heap_ops<Stored>;
    }
  }
  Task(Task&& other) noexcept { take(other); }
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }
  void operator()() { ops_->invoke(storage_); }
  void reset() {
    if (ops_ != nullptr && ops_->destroy != nullptr) ops_->destroy(storage_);
    ops_ = nullptr;
  }

 private:
  // A null `relocate` means the bytes may simply be copied; a null `destroy`, nothing to do.
  struct Ops {
    void (*invoke)(void* storage);
    void (*relocate)(void* target, void* source);
    void (*destroy)(void* storage);
  };

  template <typename Stored>
  static constexpr bool fits_inline() {
    return sizeof(Stored) <= kInlineBytes && alignof(Stored) <= alignof(std::max_align_t) &&
           std::is_nothrow_move_constructible_v<Stored>;
  }
  template <typename Stored>
  static constexpr bool trivially_relocatable() {
    return std::is_trivially_copyable_v<Stored> && std::is_trivially_destructible_v<Stored>;
  }

  template <typename Stored>
  static constexpr Ops inline_ops = {
      [](void* storage) { (*std::launder(static_cast<Stored*>(storage)))(); },
      trivially_relocatable<Stored>() ? nullptr
                                      : +[](void* target, void* source) {
                                          Stored* from = std::launder(static_cast<Stored*>(source));
                                          ::new (target) Stored(std::move(*from));
                                          from->~Stored();
                                        },
      trivially_relocatable<Stored>()
          ? nullptr
          : +[](void* storage) { std::launder(static_cast<Stored*>(storage))->~Stored(); },
  };
  template <typename Stored>
  static constexpr Ops heap_ops = {
      [](void* storage) { (**static_cast<Stored**>(storage))(); },
      nullptr,  // moving the pointer's bytes moves ownership
      [](void* storage) { delete *static_cast<Stored**>(storage); },
  };

  void take(Task& other) noexcept {
    ops_ = other.ops_;
    if (ops_ == nullptr) return;
    if (ops_->relocate == nullptr) {
      std::memcpy(storage_, other.storage_, kInlineBytes);
    } else {
      ops_->relocate(storage_, other.storage_);
    }
    other.ops_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char storage_[kInlineBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace detail

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

  // Any `void()` callable: a lambda, or a Callback. Small captures are stored without allocating.
  template <typename F>
    requires std::invocable<std::decay_t<F>&>
  TimerId schedule_at(Instant when, F&& callback) {
    return schedule_task(when, detail::Task(std::forward<F>(callback)));
  }
  template <typename F>
    requires std::invocable<std::decay_t<F>&>
  TimerId schedule_after(Duration delay, F&& callback) {
    return schedule_task(after(delay), detail::Task(std::forward<F>(callback)));
  }
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
  // Watches a long run from outside its behaviour (progress, wall-clock budgets, Ctrl-C): called
  // between events every `every_events` events; returning false ends the run as request_stop()
  // does. It must not schedule or cancel events, so a run it lets go on is the same run.
  using Monitor = std::function<bool(const SimulationCounters&)>;
  void set_monitor(uint64_t every_events, Monitor monitor);
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
    detail::Task callback;
    uint32_t generation = 1;
  };

  TimerId schedule_task(Instant when, detail::Task callback);
  Instant after(Duration delay) const;
  // Pops the next live entry due at or before `limit` and runs it; false when there is none.
  bool step(Instant limit);
  void heap_push(Entry entry);
  void heap_pop();
  void release_slot(uint32_t slot);
  void poll_monitor();

  Instant now_;
  uint64_t next_sequence_ = 0;
  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  size_t pending_ = 0;
  bool stop_requested_ = false;
  uint64_t event_limit_ = UINT64_MAX;
  Monitor monitor_;
  uint64_t monitor_every_ = 0;
  uint64_t monitor_due_ = UINT64_MAX;  // the event count at which the monitor is called next
  SimulationCounters counters_;
};

}  // namespace flinksim::sim
