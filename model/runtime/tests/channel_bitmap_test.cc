// ChannelBitmap: the round-robin "next channel with data" of an input gate.
// Method: hand-picked members across word boundaries, and a brute-force comparison over every
// start position of a 200-channel set.

#include "model/runtime/channel_bitmap.h"

#include <gtest/gtest.h>

namespace flinksim::model::runtime {
namespace {

TEST(ChannelBitmap, NextFromFindsTheFirstMemberAtOrAfterTheStartAndWraps) {
  ChannelBitmap bitmap(130);
  EXPECT_EQ(bitmap.next_from(0), std::nullopt);
  bitmap.set(5, true);
  bitmap.set(64, true);
  bitmap.set(129, true);
  EXPECT_EQ(bitmap.next_from(0), 5u);
  EXPECT_EQ(bitmap.next_from(5), 5u);
  EXPECT_EQ(bitmap.next_from(6), 64u);
  EXPECT_EQ(bitmap.next_from(65), 129u);
  bitmap.set(129, false);
  EXPECT_EQ(bitmap.next_from(65), 5u);  // wrapped
  EXPECT_FALSE(bitmap.contains(129));
  EXPECT_TRUE(bitmap.contains(64));
  std::vector<size_t> members;
  bitmap.for_each([&](size_t index) {
    members.push_back(index);
    bitmap.set(index, false);
  });
  EXPECT_EQ(members, (std::vector<size_t>{5, 64}));
  EXPECT_EQ(bitmap.next_from(0), std::nullopt);
}

TEST(ChannelBitmap, AgreesWithAScanOfEveryChannel) {
  ChannelBitmap bitmap(200);
  std::vector<bool> members(200, false);
  for (size_t i = 0; i < 200; i += 7 + i % 5) {
    bitmap.set(i, true);
    members[i] = true;
  }
  for (size_t start = 0; start < 200; ++start) {
    std::optional<size_t> expected;
    for (size_t i = 0; i < 200 && !expected; ++i) {
      if (members[(start + i) % 200]) expected = (start + i) % 200;
    }
    EXPECT_EQ(bitmap.next_from(start), expected) << start;
  }
}

}  // namespace
}  // namespace flinksim::model::runtime
