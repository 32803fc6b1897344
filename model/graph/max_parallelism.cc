#include "model/graph/max_parallelism.h"

#include <algorithm>

#include "sim/assert.h"

namespace flinksim::graph {

int64_t round_up_to_power_of_two(int64_t value) {
  FLINKSIM_ASSERT(value >= 1 && value <= (int64_t{1} << 62));
  int64_t power = 1;
  while (power < value) power <<= 1;
  return power;
}

int64_t default_max_parallelism(int64_t parallelism) {
  FLINKSIM_ASSERT(parallelism >= 1);
  const int64_t rounded = round_up_to_power_of_two(parallelism + parallelism / 2);
  return std::min(std::max(rounded, max_parallelism_lower_bound), max_parallelism_upper_bound);
}

}  // namespace flinksim::graph
