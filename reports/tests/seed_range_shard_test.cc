// Goal: seed ranges and shards parse exactly what docs/sweeps.md promises and reject the rest
// with a sentence naming the text; the batch-system environment picks the same shard as --shard.
// Method: parse by hand-chosen strings; an environment given as a map.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "reports/seed_range.h"
#include "reports/shard.h"

namespace flinksim::reports {
namespace {

TEST(SeedRange, RangeAndSingleSeedParse) {
  std::string error;
  const std::optional<SeedRange> range = parse_seed_range("1..20", error);
  ASSERT_TRUE(range) << error;
  EXPECT_EQ(range->first, 1u);
  EXPECT_EQ(range->last, 20u);
  EXPECT_EQ(range->size(), 20u);
  const std::optional<SeedRange> single = parse_seed_range("7", error);
  ASSERT_TRUE(single);
  EXPECT_EQ(single->size(), 1u);
  EXPECT_EQ(single->to_string(), "7");
  EXPECT_EQ(range->to_string(), "1..20");
}

TEST(SeedRange, DescendingGarbageAndOverflowAreRejectedWithTheText) {
  for (const char* text : {"5..2", "a..3", "1..", "..4", "", "1...3", "-1..3", "9223372036854775808"}) {
    std::string error;
    EXPECT_FALSE(parse_seed_range(text, error)) << text;
    EXPECT_NE(error.find(fmt::format("'{}'", text)), std::string::npos) << error;
  }
  std::string error;
  EXPECT_TRUE(parse_seed_range("9223372036854775807", error));
}

TEST(SeedRange, AtMostAMillionSeedsInOneRange) {
  // 0..999999 is 1,000,000 seeds, the most one range holds; one more, or every seed there is
  // (it planned without bound and ended "internal error"), is refused with the limit.
  std::string error;
  EXPECT_TRUE(parse_seed_range("0..999999", error)) << error;
  EXPECT_TRUE(parse_seed_range("9223372036853775808..9223372036854775807", error)) << error;
  for (const char* text : {"0..1000000", "0..9223372036854775807"}) {
    EXPECT_FALSE(parse_seed_range(text, error)) << text;
    EXPECT_NE(error.find(fmt::format("'{}'", text)), std::string::npos) << error;
    EXPECT_NE(error.find("at most 1000000"), std::string::npos) << error;
  }
}

TEST(Shard, ParsesKOfNCountingFromZero) {
  std::string error;
  const std::optional<Shard> shard = parse_shard("1/3", error);
  ASSERT_TRUE(shard) << error;
  EXPECT_EQ(shard->index, 1u);
  EXPECT_EQ(shard->count, 3u);
  for (const char* bad : {"3/2", "2/2", "0/0", "1", "/2", "a/b", "1/2/3"}) {
    EXPECT_FALSE(parse_shard(bad, error)) << bad;
    EXPECT_NE(error.find("bad shard"), std::string::npos);
  }
}

TEST(Shard, TakesEveryNthSeedFromTheKthSoShardsPartitionTheRange) {
  const SeedRange range{1, 10};
  std::vector<uint64_t> taken;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    if (Shard{1, 3}.contains(range, seed)) taken.push_back(seed);
  }
  EXPECT_EQ(taken, (std::vector<uint64_t>{2, 5, 8}));
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    int owners = 0;
    for (uint64_t index = 0; index < 3; ++index) owners += Shard{index, 3}.contains(range, seed) ? 1 : 0;
    EXPECT_EQ(owners, 1) << seed;
  }
}

EnvironmentLookup environment(std::map<std::string, std::string> variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ShardEnvironment, KubernetesIndexedJobNeedsTheShardCount) {
  std::string error;
  std::optional<Shard> shard =
      shard_from_environment(environment({{"JOB_COMPLETION_INDEX", "2"}, {"FLINKSIM_SHARDS", "4"}}), {}, error);
  ASSERT_TRUE(shard) << error;
  EXPECT_EQ(shard->to_string(), "2/4");
  shard = shard_from_environment(environment({{"JOB_COMPLETION_INDEX", "2"}}), uint64_t{3}, error);
  ASSERT_TRUE(shard) << error;
  EXPECT_EQ(shard->to_string(), "2/3");
  error.clear();
  EXPECT_FALSE(shard_from_environment(environment({{"JOB_COMPLETION_INDEX", "2"}}), {}, error));
  EXPECT_NE(error.find("FLINKSIM_SHARDS"), std::string::npos);
  EXPECT_FALSE(shard_from_environment(environment({{"JOB_COMPLETION_INDEX", "4"}, {"FLINKSIM_SHARDS", "4"}}), {},
                                      error));
  EXPECT_FALSE(shard_from_environment(environment({{"JOB_COMPLETION_INDEX", "x"}, {"FLINKSIM_SHARDS", "4"}}), {},
                                      error));
  EXPECT_NE(error.find("JOB_COMPLETION_INDEX='x'"), std::string::npos) << error;
}

TEST(ShardEnvironment, SlurmArrayCountsFromTheArrayMinimum) {
  std::string error;
  const std::optional<Shard> shard = shard_from_environment(
      environment({{"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_MIN", "4"}, {"SLURM_ARRAY_TASK_COUNT", "3"}}),
      {}, error);
  ASSERT_TRUE(shard) << error;
  EXPECT_EQ(shard->to_string(), "1/3");
  EXPECT_FALSE(shard_from_environment(environment({{"SLURM_ARRAY_TASK_ID", "5"}}), {}, error));
}

TEST(ShardEnvironment, NoBatchSystemMeansNoShard) {
  std::string error;
  EXPECT_FALSE(shard_from_environment(environment({{"FLINKSIM_SHARDS", "4"}}), {}, error));
  EXPECT_EQ(error, "");
}

}  // namespace
}  // namespace flinksim::reports
