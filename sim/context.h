#pragma once

// Everything one simulation owns: the clock and timers, the seeded random streams, the network
// and the trace. Passed explicitly — there are no globals, so many simulations can run in one
// process (property tests, sweeps), each on its own thread if need be.

#include <cstdint>
#include <string_view>

#include "sim/buggify.h"
#include "sim/network.h"
#include "sim/rng.h"
#include "sim/simulation.h"
#include "sim/trace.h"

namespace flinksim::sim {

class Context {
 public:
  explicit Context(uint64_t seed, LinkProperties default_link = {});
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  uint64_t seed() const { return seed_; }
  Instant now() const { return simulation_.now(); }
  Simulation& simulation() { return simulation_; }
  Network& network() { return network_; }
  Trace& trace() { return trace_; }
  // Code-level fault sites (buggify.h); off unless the run enables them.
  Buggify& buggify() { return buggify_; }
  // A named random stream: depends only on the run's seed and the name.
  Rng fork_rng(std::string_view name) const { return root_rng_.fork(name); }

  void trace_event(std::string_view component, std::string_view kind, std::string_view detail = {},
                   TracePhase phase = TracePhase::instant) {
    trace_.record(simulation_.now(), component, kind, detail, phase);
  }

 private:
  uint64_t seed_;
  Rng root_rng_;
  Simulation simulation_;
  Network network_;
  Trace trace_;
  Buggify buggify_{root_rng_.fork("buggify")};
};

}  // namespace flinksim::sim
