// Goal: the restart-budget oracle gives Flink's decisions for hand-made failure sequences.
#include "property_tests/restart_budget.h"

#include <gtest/gtest.h>

namespace flinksim::property_tests {
namespace {

TEST(RestartBudget, FixedDelayRestartsAsOftenAsItsAttemptsThenFails) {
  EXPECT_EQ(fixed_delay_decisions(2, 3), (std::vector<bool>{true, true}));
  EXPECT_EQ(fixed_delay_decisions(3, 3), (std::vector<bool>{true, true, true}));
  EXPECT_EQ(fixed_delay_decisions(5, 3), (std::vector<bool>{true, true, true, false}));
  EXPECT_EQ(fixed_delay_decisions(1, 0), (std::vector<bool>{false}));
}

TEST(RestartBudget, FailureRateFailsOnTheFailureOneBeyondTheMaximumWithinTheInterval) {
  // Two per 10 s: failures at 1 s and 5 s both restart (two held, not more than two); a third at
  // 8 s makes three held, the oldest 7 s back, not more than 10 s: the job fails.
  EXPECT_EQ(failure_rate_decisions({1000, 5000}, 2, 10'000), (std::vector<bool>{true, true}));
  EXPECT_EQ(failure_rate_decisions({1000, 5000, 8000}, 2, 10'000),
            (std::vector<bool>{true, true, false}));
  // 1 s, 12 s, 15 s: the third's window reaches back 14 s, restart; a fourth at 16 s reaches
  // back to 12 s, 4 s: fail.
  EXPECT_EQ(failure_rate_decisions({1000, 12'000, 15'000, 16'000}, 2, 10'000),
            (std::vector<bool>{true, true, true, false}));
  // Exactly the interval back is not more than it: fail.
  EXPECT_EQ(failure_rate_decisions({1000, 2000, 11'000}, 2, 10'000),
            (std::vector<bool>{true, true, false}));
  // One per interval: the first restarts, a second within the interval fails, after it restarts.
  EXPECT_EQ(failure_rate_decisions({1000, 3000}, 1, 10'000), (std::vector<bool>{true, false}));
  EXPECT_EQ(failure_rate_decisions({1000, 12'000}, 1, 10'000), (std::vector<bool>{true, true}));
}

}  // namespace
}  // namespace flinksim::property_tests
