#include "sim/context.h"

namespace flinksim::sim {

Context::Context(uint64_t seed, LinkProperties default_link)
    : seed_(seed),
      root_rng_(seed),
      network_(simulation_, root_rng_.fork("network"), default_link) {}

}  // namespace flinksim::sim
