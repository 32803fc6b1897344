// Goal: the generator is bit-exact xoshiro256** seeded through splitmix64, our distributions have
// the right shape, and the seed tree keeps streams independent (forking or drawing in one stream
// never changes another's draws).
// Method: published reference vectors for the two generators (sources cited at each test);
// moments and frequencies from a fixed seed compared with their closed forms, with tolerances of
// roughly five standard errors so that a wrong formula fails but sampling noise does not;
// seed-tree properties by comparing streams drawn in different orders.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/rng.h"

namespace flinksim::sim {
namespace {

constexpr int kSamples = 200'000;

TEST(Rng, Xoshiro256StarStarMatchesThePublishedReferenceVector) {
  // Outputs of Vigna's reference xoshiro256starstar.c from the state {1, 2, 3, 4}, as published
  // in the rand_xoshiro crate's test `test_xoshiro` (github.com/rust-random/rngs,
  // rand_xoshiro/src/xoshiro256starstar.rs: "These values were produced with the reference
  // implementation").
  const std::array<uint64_t, 10> expected = {
      11520ULL,
      0ULL,
      1509978240ULL,
      1215971899390074240ULL,
      1216172134540287360ULL,
      607988272756665600ULL,
      16172922978634559625ULL,
      8476171486693032832ULL,
      10595114339597558777ULL,
      2904607092377533576ULL,
  };
  Rng rng(0);
  rng.set_state_for_testing(1, 2, 3, 4);
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(rng.next_u64(), expected[i]) << i;
}

TEST(Rng, SplitMix64MatchesThePublishedReferenceVector) {
  // From the rand_xoshiro crate's test `reference` (github.com/rust-random/rngs,
  // rand_xoshiro/src/splitmix64.rs), produced with Vigna's splitmix64.c: the first outputs for
  // the seed 1477776061723855037.
  uint64_t state = 1477776061723855037ULL;
  const std::array<uint64_t, 6> expected = {
      1985237415132408290ULL,  2979275885539914483ULL,  13511426838097143398ULL,
      8488337342461049707ULL,  15141737807933549159ULL, 17093170987380407015ULL,
  };
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(splitmix64_next(state), expected[i]) << i;

  // The seed-0 outputs of splitmix64.c, widely quoted as the canonical first values of the
  // generator (they are the default xoshiro state of several libraries).
  uint64_t zero = 0;
  EXPECT_EQ(splitmix64_next(zero), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(splitmix64_next(zero), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(splitmix64_next(zero), 0x06c45d188009454fULL);
  EXPECT_EQ(splitmix64_next(zero), 0xf88bb8a8724c81ecULL);
}

TEST(Rng, SeedingFillsTheStateWithSplitMix64Outputs) {
  // Rng(0) must be xoshiro256** started from the four splitmix64 outputs of seed 0.
  Rng seeded(0);
  Rng manual(12345);
  manual.set_state_for_testing(0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL,
                               0x06c45d188009454fULL, 0xf88bb8a8724c81ecULL);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(seeded.next_u64(), manual.next_u64()) << i;
}

TEST(Rng, SameSeedGivesTheSameSequenceAndDifferentSeedsDiffer) {
  Rng a(42);
  Rng b(42);
  Rng c(43);
  int equal_to_c = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.next_u64();
    ASSERT_EQ(x, b.next_u64());
    if (x == c.next_u64()) ++equal_to_c;
  }
  EXPECT_EQ(equal_to_c, 0);
  EXPECT_EQ(a.seed(), 42u);
}

TEST(Rng, UniformRealHasTheMomentsOfUniformZeroOne) {
  Rng rng(1);
  double sum = 0;
  double sum_squares = 0;
  double minimum = 1;
  double maximum = 0;
  for (int i = 0; i < kSamples; ++i) {
    const double x = rng.uniform_real();
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
    sum += x;
    sum_squares += x * x;
    minimum = std::min(minimum, x);
    maximum = std::max(maximum, x);
  }
  const double mean = sum / kSamples;
  const double variance = sum_squares / kSamples - mean * mean;
  // Standard error of the mean: sqrt(1/12 / n) = 0.00065.
  EXPECT_NEAR(mean, 0.5, 0.004);
  EXPECT_NEAR(variance, 1.0 / 12.0, 0.002);
  EXPECT_LT(minimum, 0.001);
  EXPECT_GT(maximum, 0.999);

  Rng ranged(2);
  double ranged_sum = 0;
  for (int i = 0; i < kSamples; ++i) {
    const double x = ranged.uniform_real(-3.0, 5.0);
    ASSERT_GE(x, -3.0);
    ASSERT_LT(x, 5.0);
    ranged_sum += x;
  }
  EXPECT_NEAR(ranged_sum / kSamples, 1.0, 0.03);  // se = 8 / sqrt(12 n) = 0.005
}

TEST(Rng, ExponentialHasMeanAndVarianceOfItsParameter) {
  Rng rng(3);
  const double mean_expected = 2.0;
  double sum = 0;
  double sum_squares = 0;
  int above_mean = 0;
  for (int i = 0; i < kSamples; ++i) {
    const double x = rng.exponential(mean_expected);
    ASSERT_GE(x, 0.0);
    ASSERT_TRUE(std::isfinite(x));
    sum += x;
    sum_squares += x * x;
    if (x > mean_expected) ++above_mean;
  }
  const double mean = sum / kSamples;
  const double variance = sum_squares / kSamples - mean * mean;
  // Mean 2 (se 0.0045), variance mean^2 = 4 (se about sqrt(8) * 4 / sqrt(n) = 0.025).
  EXPECT_NEAR(mean, 2.0, 0.025);
  EXPECT_NEAR(variance, 4.0, 0.15);
  // P(X > mean) = e^-1 = 0.3679 (se 0.0011).
  EXPECT_NEAR(static_cast<double>(above_mean) / kSamples, std::exp(-1.0), 0.006);
  EXPECT_EQ(rng.exponential(0.0), 0.0);
}

TEST(Rng, NormalHasItsMeanStandardDeviationAndShape) {
  Rng rng(4);
  double sum = 0;
  double sum_squares = 0;
  int within_one_sd = 0;
  for (int i = 0; i < kSamples; ++i) {
    const double x = rng.normal(5.0, 2.0);
    ASSERT_TRUE(std::isfinite(x));
    sum += x;
    sum_squares += x * x;
    if (std::abs(x - 5.0) < 2.0) ++within_one_sd;
  }
  const double mean = sum / kSamples;
  const double sd = std::sqrt(sum_squares / kSamples - mean * mean);
  EXPECT_NEAR(mean, 5.0, 0.025);  // se 0.0045
  EXPECT_NEAR(sd, 2.0, 0.02);     // se about 2 / sqrt(2n) = 0.0032
  // P(|Z| < 1) = erf(1 / sqrt 2) = 0.6827 (se 0.001).
  EXPECT_NEAR(static_cast<double>(within_one_sd) / kSamples, std::erf(1.0 / std::sqrt(2.0)),
              0.006);
}

TEST(Rng, ZipfRankFrequenciesFollowThePowerLaw) {
  for (const double exponent : {1.0, 1.5, 2.0}) {
    SCOPED_TRACE(exponent);
    const ZipfDistribution zipf(10, exponent);
    EXPECT_EQ(zipf.n(), 10u);
    Rng rng(5);
    std::array<int, 11> counts{};
    for (int i = 0; i < kSamples; ++i) {
      const uint64_t rank = zipf.sample(rng);
      ASSERT_GE(rank, 1u);
      ASSERT_LE(rank, 10u);
      ++counts[rank];
    }
    // P(rank 1) / P(rank 2) = 2^s.
    const double ratio = static_cast<double>(counts[1]) / counts[2];
    EXPECT_NEAR(ratio, std::pow(2.0, exponent), 0.05 * std::pow(2.0, exponent));
    // P(rank 1) = 1 / H(10, s), the generalized harmonic number.
    double harmonic = 0;
    for (int k = 1; k <= 10; ++k) harmonic += 1.0 / std::pow(k, exponent);
    EXPECT_NEAR(static_cast<double>(counts[1]) / kSamples, 1.0 / harmonic, 0.006);
    EXPECT_GT(counts[10], 0);
  }
}

TEST(Rng, ZipfWithExponentZeroIsUniformAndWithOneRankIsConstant) {
  const ZipfDistribution flat(4, 0.0);
  Rng rng(6);
  std::array<int, 5> counts{};
  for (int i = 0; i < kSamples; ++i) ++counts[flat.sample(rng)];
  for (int rank = 1; rank <= 4; ++rank) {
    EXPECT_NEAR(static_cast<double>(counts[rank]) / kSamples, 0.25, 0.006) << rank;
  }
  const ZipfDistribution single(1, 1.2);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(single.sample(rng), 1u);
}

TEST(Rng, UniformIntIsUnbiasedOverASmallRange) {
  // Chi-square with 5 degrees of freedom; 25.7 is the 0.9999 quantile, so an unbiased generator
  // fails this with probability 1e-4 and a fixed seed makes the outcome reproducible.
  Rng rng(7);
  constexpr int draws = 600'000;
  std::array<int, 6> counts{};
  for (int i = 0; i < draws; ++i) {
    const int64_t x = rng.uniform_int(-3, 2);
    ASSERT_GE(x, -3);
    ASSERT_LE(x, 2);
    ++counts[static_cast<size_t>(x + 3)];
  }
  const double expected = draws / 6.0;
  double chi_square = 0;
  for (int count : counts) chi_square += (count - expected) * (count - expected) / expected;
  EXPECT_LT(chi_square, 25.7);
}

TEST(Rng, UniformIntIsUnbiasedWhereModuloWouldNotBe) {
  // Range 3 * 2^62: a plain `next_u64() % range` returns the lowest third with probability 1/2
  // (values in [range, 2^64) fold onto it), the unbiased method with probability 1/3.
  const int64_t low = std::numeric_limits<int64_t>::min();
  const int64_t high = (int64_t{1} << 62) - 1;
  ASSERT_EQ(static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1, 3ULL << 62);
  const int64_t first_third_end = low + static_cast<int64_t>(1ULL << 62);
  Rng rng(8);
  int in_first_third = 0;
  for (int i = 0; i < kSamples; ++i) {
    const int64_t x = rng.uniform_int(low, high);
    ASSERT_LE(x, high);
    if (x < first_third_end) ++in_first_third;
  }
  EXPECT_NEAR(static_cast<double>(in_first_third) / kSamples, 1.0 / 3.0, 0.006);
}

TEST(Rng, UniformIntEdgeCases) {
  constexpr int64_t min = std::numeric_limits<int64_t>::min();
  constexpr int64_t max = std::numeric_limits<int64_t>::max();
  Rng rng(9);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(rng.uniform_int(5, 5), 5);
    EXPECT_EQ(rng.uniform_int(min, min), min);
    EXPECT_EQ(rng.uniform_int(max, max), max);
  }
  // The full range is every 64-bit pattern: it is the raw generator output.
  Rng full(10);
  Rng raw(10);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(static_cast<uint64_t>(full.uniform_int(min, max)), raw.next_u64());
  }
  // Two-value ranges at both ends of int64 reach both values and nothing else.
  bool seen_low = false;
  bool seen_high = false;
  bool seen_min = false;
  bool seen_min_plus_one = false;
  for (int i = 0; i < 200; ++i) {
    const int64_t top = rng.uniform_int(max - 1, max);
    ASSERT_TRUE(top == max - 1 || top == max);
    (top == max ? seen_high : seen_low) = true;
    const int64_t bottom = rng.uniform_int(min, min + 1);
    ASSERT_TRUE(bottom == min || bottom == min + 1);
    (bottom == min ? seen_min : seen_min_plus_one) = true;
  }
  EXPECT_TRUE(seen_low && seen_high && seen_min && seen_min_plus_one);
  // Half the 64-bit range, which exercises the rejection threshold computation.
  for (int i = 0; i < 1000; ++i) {
    const int64_t x = rng.uniform_int(0, max);
    ASSERT_GE(x, 0);
  }
}

TEST(Rng, ChanceHasItsProbabilityAndClampsTheEnds) {
  Rng rng(11);
  int hits = 0;
  for (int i = 0; i < kSamples; ++i) hits += rng.chance(0.3) ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(hits) / kSamples, 0.3, 0.006);  // se 0.001
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(rng.chance(0.0));
    EXPECT_FALSE(rng.chance(-1.0));
    EXPECT_TRUE(rng.chance(1.0));
    EXPECT_TRUE(rng.chance(2.0));
  }
}

TEST(Rng, WeightedChoiceFollowsTheWeightsAndNeverPicksZeroWeight) {
  Rng rng(12);
  const std::vector<double> weights = {1.0, 0.0, 3.0, 4.0};
  std::array<int, 4> counts{};
  for (int i = 0; i < kSamples; ++i) ++counts[rng.weighted_choice(weights)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(static_cast<double>(counts[0]) / kSamples, 1.0 / 8.0, 0.005);
  EXPECT_NEAR(static_cast<double>(counts[2]) / kSamples, 3.0 / 8.0, 0.006);
  EXPECT_NEAR(static_cast<double>(counts[3]) / kSamples, 4.0 / 8.0, 0.006);
  // A single positive weight, even last and after zeros, is always chosen.
  const std::vector<double> only_last = {0.0, 0.0, 2.5};
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rng.weighted_choice(only_last), 2u);
}

TEST(RngSeedTree, ForkDependsOnlyOnSeedAndName) {
  Rng parent(99);
  const Rng fresh_child = Rng(99).fork("network");
  // Drawing from the parent before forking must not change the child.
  for (int i = 0; i < 57; ++i) parent.next_u64();
  Rng late_child = parent.fork("network");
  Rng early_child = fresh_child;
  for (int i = 0; i < 100; ++i) ASSERT_EQ(late_child.next_u64(), early_child.next_u64());
  EXPECT_EQ(parent.fork("network").seed(), fresh_child.seed());
  // Different names and different parent seeds give different children.
  EXPECT_NE(parent.fork("network").seed(), parent.fork("faults").seed());
  EXPECT_NE(Rng(100).fork("network").seed(), fresh_child.seed());
  EXPECT_NE(parent.fork("network").next_u64(), Rng(99).next_u64());
}

TEST(RngSeedTree, NewOrBusySiblingsNeverShiftAStreamsDraws) {
  // The reference: child "a" of seed 7, drawn alone.
  std::vector<uint64_t> alone;
  {
    Rng child = Rng(7).fork("a");
    for (int i = 0; i < 200; ++i) alone.push_back(child.next_u64());
  }
  // Same child, but with a sibling forked before it, a sibling drawn from heavily in between, a
  // grandchild forked from it, and another sibling added afterwards.
  Rng root(7);
  Rng sibling_b = root.fork("b");
  for (int i = 0; i < 1000; ++i) sibling_b.next_u64();
  Rng child = root.fork("a");
  std::vector<uint64_t> crowded;
  for (int i = 0; i < 100; ++i) crowded.push_back(child.next_u64());
  Rng grandchild = child.fork("inner");
  for (int i = 0; i < 10; ++i) grandchild.next_u64();
  Rng sibling_c = root.fork("c");
  for (int i = 0; i < 500; ++i) sibling_c.normal(0, 1);
  for (int i = 0; i < 100; ++i) crowded.push_back(child.next_u64());
  EXPECT_EQ(crowded, alone);
  // And the siblings are really different streams.
  EXPECT_NE(Rng(7).fork("b").next_u64(), alone[0]);
}

TEST(RngSeedTree, GrandchildrenAreReproducible) {
  Rng x = Rng(1234).fork("jobmaster").fork("restart-backoff");
  Rng y = Rng(1234).fork("jobmaster").fork("restart-backoff");
  Rng z = Rng(1234).fork("restart-backoff").fork("jobmaster");
  bool differs_from_swapped = false;
  for (int i = 0; i < 50; ++i) {
    const uint64_t value = x.next_u64();
    ASSERT_EQ(value, y.next_u64());
    if (value != z.next_u64()) differs_from_swapped = true;
  }
  EXPECT_TRUE(differs_from_swapped);
}

}  // namespace
}  // namespace flinksim::sim
