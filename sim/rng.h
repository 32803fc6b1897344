#pragma once

// The one source of randomness in a simulation: xoshiro256** (Blackman and Vigna), seeded through
// splitmix64, with our own distributions. Standard-library distributions are never used because
// their output differs between library versions.
//
// Streams form a seed tree: fork("name") derives a child from this stream's seed and the name
// only, so adding a component, or drawing more numbers in one, never shifts another's draws.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace flinksim::sim {

uint64_t splitmix64_next(uint64_t& state);

class Rng {
 public:
  explicit Rng(uint64_t seed);

  // A child stream that depends only on this stream's seed and `name`.
  Rng fork(std::string_view name) const;
  uint64_t seed() const { return seed_; }

  uint64_t next_u64();
  // Uniform integer in [low, high], both inclusive, without modulo bias (Lemire's method).
  int64_t uniform_int(int64_t low, int64_t high);
  // Uniform real in [0, 1) with 53 random bits.
  double uniform_real();
  double uniform_real(double low, double high);
  double exponential(double mean);
  double normal(double mean, double standard_deviation);
  bool chance(double probability);
  // Index i with probability weights[i] / sum(weights). Weights are non-negative, sum > 0.
  size_t weighted_choice(std::span<const double> weights);

  // Direct access for the reference-vector test: replaces the generator state.
  void set_state_for_testing(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);

 private:
  uint64_t seed_;
  uint64_t state_[4];
};

// Zipf distribution over ranks 1..n with exponent s, sampled by inverting a precomputed CDF.
class ZipfDistribution {
 public:
  ZipfDistribution(uint64_t n, double exponent);
  // A rank in [1, n].
  uint64_t sample(Rng& rng) const;
  uint64_t n() const { return static_cast<uint64_t>(cdf_.size()); }

 private:
  std::vector<double> cdf_;
};

}  // namespace flinksim::sim
