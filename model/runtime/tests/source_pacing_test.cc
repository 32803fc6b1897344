// SourcePacing: the instants at which a paced source's records are due, exactly.
// Method: hand-computed instants for small rates, and for large offsets the identity the source
// loop relies on — at the instant the k-th record is due, k records are due, and one nanosecond
// earlier only k - 1 — checked where the floating-point pacing stalled.

#include "model/runtime/source_pacing.h"

#include <gtest/gtest.h>

namespace flinksim::model::runtime {
namespace {

TEST(SourcePacing, ThreePerSecondIsDueEveryThirdOfASecondRoundedUp) {
  const SourcePacing pacing(3);
  // ceil(10^9 / 3) = 333,333,334 ns; ceil(2 · 10^9 / 3) = 666,666,667 ns.
  EXPECT_EQ(pacing.due_after(1), sim::Duration::nanoseconds(333'333'334));
  EXPECT_EQ(pacing.due_after(2), sim::Duration::nanoseconds(666'666'667));
  EXPECT_EQ(pacing.due_after(3), sim::Duration::seconds(1));
  EXPECT_EQ(pacing.records_due(sim::Duration::nanoseconds(333'333'333)), 0);
  EXPECT_EQ(pacing.records_due(sim::Duration::nanoseconds(333'333'334)), 1);
  EXPECT_EQ(pacing.records_due(sim::Duration::seconds(1)), 3);
}

TEST(SourcePacing, FractionalRatesKeepTheirPeriod) {
  const SourcePacing five_per_minute(5.0 / 60);  // one record every 12 s
  EXPECT_EQ(five_per_minute.due_after(1), sim::Duration::seconds(12));
  EXPECT_EQ(five_per_minute.records_due(sim::Duration::minutes(1)), 5);
  EXPECT_EQ(five_per_minute.records_due(sim::Duration::seconds(59)), 4);
}

// The livelock of issue 17: a one-source 200k/s job stalled between 127 s and 129 s, a
// 10k/s one after 2,048 s. Every record there is due exactly at due_after(k).
TEST(SourcePacing, TheKthRecordIsDueAtItsInstantAndNotOneNanosecondEarlier) {
  for (const double rate : {10'000.0, 50'000.0, 100'000.0, 200'000.0, 3.0, 7'777.0, 1e9}) {
    const SourcePacing pacing(rate);
    for (const int64_t seconds : {127, 129, 256, 512, 2'048, 86'400 * 365}) {
      const int64_t around = static_cast<int64_t>(rate * static_cast<double>(seconds));
      for (int64_t k = around - 3; k <= around + 3; ++k) {
        const sim::Duration at = pacing.due_after(k);
        ASSERT_EQ(pacing.records_due(at), k) << rate << "/s, record " << k;
        ASSERT_EQ(pacing.records_due(at - sim::Duration::nanoseconds(1)), k - 1) << rate << "/s, record " << k;
      }
    }
  }
}

}  // namespace
}  // namespace flinksim::model::runtime
