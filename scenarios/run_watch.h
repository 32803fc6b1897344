#pragma once

// Bounded runs (issue 21): a `flinksim run` may be stopped by Ctrl-C or by a budget of events or
// wall-clock seconds, and reports its progress while it runs. RunWatch is the one place where a
// run reads the wall clock, and only to report progress or to stop: a run it does not stop is
// the run it would have been, and a run it stops is partial, never claimed complete.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sim/simulation.h"

namespace flinksim::scenarios {

enum class StopReason { none, interrupted, max_events, max_wall };

// Where a run is, for a progress line: "faulty run: 123.4 s of 600.0 s virtual".
struct RunProgress {
  std::string phase;  // "faulty run" or "reference"
  int phase_index = 0;  // 0-based, of `phases`
  int phases = 1;
  sim::Instant virtual_time{};
  sim::Duration virtual_duration{};  // the scenario's duration
  uint64_t events = 0;             // in both simulations so far
  double wall_seconds = 0;         // since the run began

  // The part of all phases done, by virtual time (a job that finishes early ends sooner).
  double fraction_done() const;
  // Wall seconds left at the pace so far; nullopt before any progress.
  std::optional<double> eta_seconds() const;
};

struct RunLimits {
  std::optional<uint64_t> max_events;      // events of both simulations together
  std::optional<double> max_wall_seconds;  // wall-clock seconds of the whole run
  // Set by the CLI's SIGINT handler; read between events.
  const std::atomic<bool>* interrupted = nullptr;
  // Called about once a wall-clock second while the run goes on.
  std::function<void(const RunProgress&)> on_progress;
};

class RunWatch {
 public:
  explicit RunWatch(const RunLimits& limits);

  // Starts a phase: sets the simulation's event limit to what the budget leaves and its monitor.
  void begin_phase(sim::Simulation& simulation, RunProgress phase);
  // Ends the phase: counts its events and notes whether the event budget stopped it.
  void end_phase(const sim::Simulation& simulation);
  StopReason stop_reason() const { return stop_reason_; }
  // "interrupted (SIGINT)", "stopped by --max-events 1000", "stopped by --max-wall 2 s".
  std::string stop_text() const;

 private:
  bool on_monitor(const sim::SimulationCounters& counters);
  double wall_seconds() const;

  RunLimits limits_;
  std::chrono::steady_clock::time_point start_;
  double next_progress_seconds_;
  uint64_t events_before_phase_ = 0;
  RunProgress phase_;
  StopReason stop_reason_ = StopReason::none;
};

}  // namespace flinksim::scenarios
