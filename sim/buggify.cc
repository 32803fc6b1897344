#include "sim/buggify.h"

namespace flinksim::sim {

bool Buggify::fire(std::string_view site, double probability) {
  if (!enabled_) return false;
  auto it = sites_.find(site);
  if (it == sites_.end()) it = sites_.emplace(std::string(site), rng_.chance(0.25)).first;
  return it->second && rng_.chance(probability);
}

}  // namespace flinksim::sim
