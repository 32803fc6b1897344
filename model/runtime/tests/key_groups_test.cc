// Goal: key groups are assigned exactly as Flink's KeyGroupRangeAssignment does. Method: the
// worked values of FLINK_FACTS.md §9, computed by hand from MathUtils.murmurHash, and the
// invariants that tie ranges to the operator-index formula.
#include "model/runtime/key_groups.h"

#include <gtest/gtest.h>

namespace flinksim::model::runtime {
namespace {

TEST(KeyGroups, MurmurHashMatchesTheWorkedValues) {
  EXPECT_EQ(murmur_hash(0), 593689054);
  EXPECT_EQ(murmur_hash(1), 68075478);
  EXPECT_EQ(murmur_hash(2), 1085422463);
  EXPECT_EQ(murmur_hash(42), 1134849565);
}

TEST(KeyGroups, IntegerKeysLandInTheWorkedKeyGroupsAndOperators) {
  EXPECT_EQ(key_group_of(0, 128), 94);
  EXPECT_EQ(key_group_of(1, 128), 86);
  EXPECT_EQ(key_group_of(2, 128), 127);
  EXPECT_EQ(key_group_of(42, 128), 29);
  EXPECT_EQ(operator_index_of(0, 128, 4), 2);
  EXPECT_EQ(operator_index_of(1, 128, 4), 2);
  EXPECT_EQ(operator_index_of(2, 128, 4), 3);
  EXPECT_EQ(operator_index_of(42, 128, 4), 0);
}

TEST(KeyGroups, RangesAreContiguousAndAgreeWithTheOperatorIndex) {
  EXPECT_EQ(key_group_range(128, 3, 0), (KeyGroupRange{0, 42}));
  EXPECT_EQ(key_group_range(128, 3, 1), (KeyGroupRange{43, 85}));
  EXPECT_EQ(key_group_range(128, 3, 2), (KeyGroupRange{86, 127}));
  for (int32_t max_p : {128, 256, 1000}) {
    for (int32_t p : {1, 3, 4, 7, 100}) {
      for (int32_t group = 0; group < max_p; ++group) {
        const int32_t index = operator_index_for_key_group(group, max_p, p);
        ASSERT_TRUE(key_group_range(max_p, p, index).contains(group)) << max_p << " " << p << " " << group;
      }
    }
  }
}

TEST(KeyGroups, ChangingTheMaxParallelismMovesKeysAsTheFormulaSays) {
  // The murmur hash is fixed; only the modulus changes: 1134849565 % 256 = 29, % 4096 = 3613.
  EXPECT_EQ(key_group_of(42, 256), 1134849565 % 256);
  EXPECT_EQ(key_group_of(42, 4096), 3613);
  EXPECT_EQ(operator_index_of(42, 4096, 4), 3);  // 3613 * 4 / 4096
}

TEST(KeyGroups, LongKeysFoldTheirHighBitsLikeLongHashCode) {
  const int64_t key = (int64_t{1} << 32) + 5;  // (1 ^ 5) in the low word
  EXPECT_EQ(java_hash_code(key), 4);
  EXPECT_EQ(java_hash_code(-1), -1);
}

}  // namespace
}  // namespace flinksim::model::runtime
