#include "sim/rng.h"

#include <algorithm>
#include <cmath>

#include "sim/assert.h"

namespace flinksim::sim {
namespace {

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// FNV-1a, to turn a fork name into a 64-bit value independent of the platform.
uint64_t hash_name(std::string_view name) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

uint64_t splitmix64_next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t state = seed;
  for (uint64_t& word : state_) word = splitmix64_next(state);
}

Rng Rng::fork(std::string_view name) const {
  uint64_t mix = seed_ ^ rotl(hash_name(name), 17);
  return Rng(splitmix64_next(mix));
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

int64_t Rng::uniform_int(int64_t low, int64_t high) {
  FLINKSIM_ASSERT(low <= high);
  const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
  if (range == 0) return static_cast<int64_t>(next_u64());  // the full 64-bit range
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  unsigned __int128 product = static_cast<unsigned __int128>(next_u64()) * range;
  uint64_t fraction = static_cast<uint64_t>(product);
  if (fraction < range) {
    const uint64_t threshold = (0 - range) % range;
    while (fraction < threshold) {
      product = static_cast<unsigned __int128>(next_u64()) * range;
      fraction = static_cast<uint64_t>(product);
    }
  }
  return static_cast<int64_t>(static_cast<uint64_t>(low) + static_cast<uint64_t>(product >> 64));
}

double Rng::uniform_real() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform_real(double low, double high) {
  FLINKSIM_ASSERT(low <= high);
  return low + (high - low) * uniform_real();
}

double Rng::exponential(double mean) {
  FLINKSIM_ASSERT(mean >= 0);
  // 1 - u lies in (0, 1], so the logarithm is finite.
  return -mean * std::log(1.0 - uniform_real());
}

double Rng::normal(double mean, double standard_deviation) {
  // Box-Muller; one of the pair is discarded so that a draw always consumes two numbers.
  const double u1 = 1.0 - uniform_real();
  const double u2 = uniform_real();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  return mean + standard_deviation * radius * std::cos(2.0 * M_PI * u2);
}

bool Rng::chance(double probability) {
  if (probability <= 0) return false;
  if (probability >= 1) return true;
  return uniform_real() < probability;
}

size_t Rng::weighted_choice(std::span<const double> weights) {
  FLINKSIM_ASSERT(!weights.empty());
  double total = 0;
  for (double weight : weights) {
    FLINKSIM_ASSERT(weight >= 0);
    total += weight;
  }
  FLINKSIM_ASSERT(total > 0);
  double target = uniform_real() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (target < weights[i]) return i;
    target -= weights[i];
  }
  // Rounding can leave a tiny remainder; the last positive weight takes it.
  for (size_t i = weights.size(); i-- > 0;) {
    if (weights[i] > 0) return i;
  }
  return weights.size() - 1;
}

void Rng::set_state_for_testing(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
  state_[0] = s0;
  state_[1] = s1;
  state_[2] = s2;
  state_[3] = s3;
}

ZipfDistribution::ZipfDistribution(uint64_t n, double exponent) {
  FLINKSIM_ASSERT(n >= 1);
  FLINKSIM_ASSERT(exponent >= 0);
  cdf_.resize(n);
  double sum = 0;
  for (uint64_t rank = 1; rank <= n; ++rank) {
    sum += 1.0 / std::pow(static_cast<double>(rank), exponent);
    cdf_[rank - 1] = sum;
  }
  for (double& value : cdf_) value /= sum;
}

uint64_t ZipfDistribution::sample(Rng& rng) const {
  const double u = rng.uniform_real();
  const auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  const auto index = static_cast<uint64_t>(std::min<ptrdiff_t>(it - cdf_.begin(), cdf_.size() - 1));
  return index + 1;
}

}  // namespace flinksim::sim
