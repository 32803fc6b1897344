// Goal: buggify is off unless enabled, enables each site for a whole run from the seed alone,
// and leaves other random streams untouched. Method: two runs' worth of draws compared.
#include "sim/buggify.h"

#include <gtest/gtest.h>

#include "sim/context.h"

namespace flinksim::sim {
namespace {

TEST(Buggify, OffUnlessEnabled) {
  Context context(7);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(context.buggify().fire("site", 1.0));
  EXPECT_TRUE(context.buggify().sites().empty());
}

TEST(Buggify, ASiteIsEnabledOrNotForTheWholeRunAndTheSeedDecides) {
  int enabled_runs = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Context first(seed);
    Context second(seed);
    first.buggify().enable();
    second.buggify().enable();
    const bool fired = first.buggify().fire("site", 1.0);
    EXPECT_EQ(second.buggify().fire("site", 1.0), fired);
    // Enabled with probability 1 to fire: every later call fires too; disabled: none does.
    for (int i = 0; i < 10; ++i) EXPECT_EQ(first.buggify().fire("site", 1.0), fired);
    enabled_runs += fired ? 1 : 0;
  }
  // One site in four: 50 expected of 200; far outside 25-75 would mean another rule.
  EXPECT_GT(enabled_runs, 25);
  EXPECT_LT(enabled_runs, 75);
}

TEST(Buggify, EnablingItShiftsNoOtherStream) {
  Context plain(3);
  Context buggified(3);
  buggified.buggify().enable();
  buggified.buggify().fire("site", 0.5);
  EXPECT_EQ(plain.fork_rng("network").uniform_int(0, 1'000'000),
            buggified.fork_rng("network").uniform_int(0, 1'000'000));
}

}  // namespace
}  // namespace flinksim::sim
