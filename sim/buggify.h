#pragma once

// Code-level fault sites switched on per run by the seed, after FoundationDB's BUGGIFY: rare
// things Flink must tolerate (a checkpoint notification lost, a slow upload) made common, so
// that runs reach the paths that handle them. Off unless the run asks (`simulation: {buggify:
// true}` in a scenario, `flinksim run --buggify`). When on, each named site is enabled for the
// whole run with probability 1/4, decided from the run's own stream ("buggify") the first time
// the site is reached, and an enabled site then fires with its own probability each time. The
// stream is forked by name, so switching buggify on shifts no other component's draws.

#include <map>
#include <string>
#include <string_view>

#include "sim/rng.h"

namespace flinksim::sim {

class Buggify {
 public:
  explicit Buggify(Rng rng) : rng_(rng) {}

  void enable() { enabled_ = true; }
  bool enabled() const { return enabled_; }
  // Whether the site misbehaves this time.
  bool fire(std::string_view site, double probability);
  // Every site reached so far, and whether this run enabled it.
  const std::map<std::string, bool, std::less<>>& sites() const { return sites_; }

 private:
  Rng rng_;
  bool enabled_ = false;
  std::map<std::string, bool, std::less<>> sites_;
};

}  // namespace flinksim::sim
