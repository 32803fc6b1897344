// WatermarkValve: a task's watermark is the minimum over its input channels that have not ended.
// Method: hand-stepped sequences on small valves, and a brute-force minimum on a 100-channel one.

#include "model/runtime/watermark_valve.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

namespace flinksim::model::runtime {
namespace {

TEST(WatermarkValve, TheCombinedWatermarkWaitsForTheSlowestChannel) {
  WatermarkValve valve(3);
  EXPECT_EQ(valve.on_watermark(0, 100), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(valve.on_watermark(1, 50), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(valve.on_watermark(2, 70), 50);
  EXPECT_EQ(valve.on_watermark(1, 40), 50);  // a watermark never falls
  EXPECT_EQ(valve.on_watermark(1, 200), 70);
  EXPECT_EQ(valve.on_channel_ended(2), 100);  // the ended channel no longer holds it back
  EXPECT_EQ(valve.on_channel_ended(0), 200);
  EXPECT_EQ(valve.on_channel_ended(1), std::nullopt);
}

TEST(WatermarkValve, OneChannel) {
  WatermarkValve valve(1);
  EXPECT_EQ(valve.on_watermark(0, 7), 7);
  EXPECT_EQ(valve.on_channel_ended(0), std::nullopt);
}

TEST(WatermarkValve, AgreesWithAScanOfEveryChannel) {
  constexpr size_t kChannels = 100;
  WatermarkValve valve(kChannels);
  std::vector<int64_t> watermarks(kChannels, std::numeric_limits<int64_t>::min());
  std::vector<bool> ended(kChannels, false);
  uint64_t x = 12345;
  for (int step = 0; step < 5000; ++step) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const size_t c = (x >> 33) % kChannels;
    std::optional<int64_t> got;
    if ((x >> 20) % 97 == 0) {
      ended[c] = true;
      got = valve.on_channel_ended(c);
    } else {
      const int64_t w = static_cast<int64_t>((x >> 40) % 10000);
      watermarks[c] = std::max(watermarks[c], w);
      got = valve.on_watermark(c, w);
    }
    int64_t expected = std::numeric_limits<int64_t>::max();
    for (size_t i = 0; i < kChannels; ++i) {
      if (!ended[i]) expected = std::min(expected, watermarks[i]);
    }
    ASSERT_EQ(got, expected == std::numeric_limits<int64_t>::max() ? std::nullopt : std::optional(expected))
        << "step " << step;
  }
}

}  // namespace
}  // namespace flinksim::model::runtime
