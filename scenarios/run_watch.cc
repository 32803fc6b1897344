#include "scenarios/run_watch.h"

#include <fmt/format.h>

#include <algorithm>

namespace flinksim::scenarios {
namespace {

// About 10 to 100 ms of simulation between looks at the clock and the interrupt flag.
constexpr uint64_t kEventsBetweenChecks = uint64_t{1} << 16;
// A run shorter than this shows no progress; then one line a second.
constexpr double kQuietSeconds = 2.0;
constexpr double kProgressEverySeconds = 1.0;

}  // namespace

double RunProgress::fraction_done() const {
  const double total = static_cast<double>(virtual_duration.count_nanoseconds());
  const double reached = static_cast<double>(virtual_time.nanoseconds_since_start());
  const double in_phase = total > 0 ? std::clamp(reached / total, 0.0, 1.0) : 0.0;
  return (phase_index + in_phase) / std::max(phases, 1);
}

std::optional<double> RunProgress::eta_seconds() const {
  const double done = fraction_done();
  if (done <= 0) return std::nullopt;
  return wall_seconds * (1 - done) / done;
}

RunWatch::RunWatch(const RunLimits& limits)
    : limits_(limits), start_(std::chrono::steady_clock::now()), next_progress_seconds_(kQuietSeconds) {}

double RunWatch::wall_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void RunWatch::begin_phase(sim::Simulation& simulation, RunProgress phase) {
  phase_ = std::move(phase);
  if (limits_.max_events) {
    // Exact, so a --max-events stop is the same on every machine.
    simulation.set_event_limit(*limits_.max_events - std::min(*limits_.max_events, events_before_phase_));
  }
  simulation.set_monitor(kEventsBetweenChecks,
                         [this](const sim::SimulationCounters& counters) { return on_monitor(counters); });
}

void RunWatch::end_phase(const sim::Simulation& simulation) {
  const uint64_t events = simulation.counters().events_executed;
  events_before_phase_ += events;
  // A phase that ends exactly on the budget counts as stopped: a partial run is never claimed
  // complete, at the price of calling one that just fitted partial.
  if (stop_reason_ == StopReason::none && limits_.max_events && simulation.event_limit_reached()) {
    stop_reason_ = StopReason::max_events;
  }
}

bool RunWatch::on_monitor(const sim::SimulationCounters& counters) {
  if (limits_.interrupted && limits_.interrupted->load(std::memory_order_relaxed)) {
    stop_reason_ = StopReason::interrupted;
    return false;
  }
  const double wall = wall_seconds();
  if (limits_.max_wall_seconds && wall >= *limits_.max_wall_seconds) {
    stop_reason_ = StopReason::max_wall;
    return false;
  }
  if (limits_.on_progress && wall >= next_progress_seconds_) {
    next_progress_seconds_ = wall + kProgressEverySeconds;
    RunProgress progress = phase_;
    progress.virtual_time = counters.virtual_time;
    progress.events = events_before_phase_ + counters.events_executed;
    progress.wall_seconds = wall;
    limits_.on_progress(progress);
  }
  return true;
}

std::string RunWatch::stop_text() const {
  switch (stop_reason_) {
    case StopReason::none: return "";
    case StopReason::interrupted: return "interrupted (SIGINT)";
    case StopReason::max_events: return fmt::format("stopped by --max-events {}", *limits_.max_events);
    case StopReason::max_wall: return fmt::format("stopped by --max-wall {:g} s", *limits_.max_wall_seconds);
  }
  return "";
}

}  // namespace flinksim::scenarios
