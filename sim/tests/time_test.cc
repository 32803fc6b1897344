// Goal: Duration/Instant arithmetic and Flink's duration syntax parse exactly as Flink's
// TimeUtils does; method: hand-computed nanosecond values.
#include <gtest/gtest.h>

#include "sim/time.h"

namespace flinksim::sim {
namespace {

TEST(DurationParsing, FlinkUnitsGiveExactNanoseconds) {
  EXPECT_EQ(parse_duration("500ms").value(), Duration::milliseconds(500));
  EXPECT_EQ(parse_duration("10 s").value(), Duration::seconds(10));
  EXPECT_EQ(parse_duration("1 min").value(), Duration::seconds(60));
  EXPECT_EQ(parse_duration("2h").value(), Duration::seconds(7200));
  EXPECT_EQ(parse_duration("100 us").value(), Duration::nanoseconds(100'000));
  EXPECT_EQ(parse_duration("3 d").value(), Duration::hours(72));
  EXPECT_EQ(parse_duration("7 NS").value(), Duration::nanoseconds(7));
}

TEST(DurationParsing, BareIntegerMeansMilliseconds) {
  EXPECT_EQ(parse_duration("50000").value(), Duration::seconds(50));
  EXPECT_EQ(parse_duration(" 0 ").value(), Duration::zero());
}

TEST(DurationParsing, BadInputIsAnErrorNotACrash) {
  EXPECT_FALSE(parse_duration("").ok());
  EXPECT_FALSE(parse_duration("ten seconds").ok());
  EXPECT_FALSE(parse_duration("-5 s").ok());
  EXPECT_FALSE(parse_duration("5 parsecs").ok());
  EXPECT_NE(parse_duration("5 parsecs").error().message.find("unknown time unit"), std::string::npos);
  EXPECT_FALSE(parse_duration("99999999999999999999 s").ok());
  EXPECT_FALSE(parse_duration("9999999999999 h").ok());  // overflows int64 nanoseconds
}

TEST(Instant, ArithmeticAndFormatting) {
  const Instant t = Instant::zero() + Duration::seconds(30);
  EXPECT_EQ(t - Instant::zero(), Duration::seconds(30));
  EXPECT_EQ(format_seconds(t + Duration::milliseconds(7)), "30.007s");
  EXPECT_EQ(format_duration(Duration::seconds(120)), "2 min");
  EXPECT_EQ(format_duration(Duration::milliseconds(1500)), "1500 ms");
  EXPECT_EQ(saturating_add(Instant::max() - Duration::seconds(1), Duration::seconds(5)),
            Instant::max());
}

TEST(InstantDeathTest, OverflowIsAnAssertionNotAWrap) {
  EXPECT_DEATH((void)(Instant::max() + Duration::seconds(1)), "overflow");
}

}  // namespace
}  // namespace flinksim::sim
