#pragma once

// Summaries of a metric over many runs. Percentiles use the nearest-rank definition (the value at
// rank ceil(p * n), 1-based), so every summary value is one of the observed values and integer
// metrics stay integers: the median of {1, 2, 3, 4} is 2.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace flinksim::reports {

struct Distribution {
  size_t count = 0;
  int64_t min = 0;
  int64_t median = 0;
  int64_t p90 = 0;
  int64_t max = 0;
};

// nullopt for no values.
std::optional<Distribution> summarize(std::span<const int64_t> values);

// The nearest-rank percentile of sorted values, 0 < percent <= 100.
int64_t nearest_rank(std::span<const int64_t> sorted, int percent);

}  // namespace flinksim::reports
