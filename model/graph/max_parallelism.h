#pragma once

// Flink's default max parallelism (KeyGroupRangeAssignment#computeDefaultMaxParallelism):
// min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768).

#include <cstdint>

namespace flinksim::graph {

inline constexpr int64_t max_parallelism_lower_bound = 128;
inline constexpr int64_t max_parallelism_upper_bound = 32768;  // 1 << 15

// Smallest power of two >= value, for value >= 1 (Flink's MathUtils#roundUpToPowerOfTwo).
int64_t round_up_to_power_of_two(int64_t value);
int64_t default_max_parallelism(int64_t parallelism);

}  // namespace flinksim::graph
