// Goal: the restart-backoff strategies answer as Flink's FixedDelay-, FailureRate- and
// ExponentialDelayRestartBackoffTimeStrategyTest do (1.19+ versions), including validation
// messages. Method: the same parameters and the same clock steps; the clock is our Instant.
// Where Flink checks a random range, many fresh strategies draw from one seeded Rng and every
// value must fall in, and every value of, the expected set.

#include <gtest/gtest.h>

#include <set>

#include "strategies/exponential_delay_restart_backoff_time_strategy.h"
#include "strategies/failure_rate_restart_backoff_time_strategy.h"
#include "strategies/fixed_delay_restart_backoff_time_strategy.h"
#include "strategies/no_restart_backoff_time_strategy.h"
#include "strategies/restart_backoff_time_strategy_factory.h"

namespace flinksim::strategies {
namespace {

sim::Instant at_ms(int64_t ms) { return sim::Instant::zero() + sim::Duration::milliseconds(ms); }
int64_t backoff_ms(const RestartBackoffTimeStrategy& s, int64_t now_ms) {
  return s.backoff_time(at_ms(now_ms)).value().count_milliseconds();
}
constexpr int64_t int_max = 2147483647;

// --- FixedDelayRestartBackoffTimeStrategyTest ------------------------------------------------

TEST(FixedDelayRestartBackoff, NumberOfRestarts_ThreeAllowedFourthRefused) {
  auto strategy = FixedDelayRestartBackoffTimeStrategy::create(3, 0).value();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(strategy->notify_failure(at_ms(0)));
    EXPECT_TRUE(strategy->can_restart(at_ms(0)));
    EXPECT_TRUE(strategy->can_restart(at_ms(0)));
  }
  strategy->notify_failure(at_ms(0));
  EXPECT_FALSE(strategy->can_restart(at_ms(0)));
}

TEST(FixedDelayRestartBackoff, BackoffTime_IsTheDelay) {
  auto strategy = FixedDelayRestartBackoffTimeStrategy::create(1, 10000).value();
  EXPECT_EQ(backoff_ms(*strategy, 0), 10000);
}

TEST(FixedDelayRestartBackoff, Validation_FlinkMessages) {
  EXPECT_EQ(FixedDelayRestartBackoffTimeStrategy::create(-1, 0).error().message,
            "Maximum number of restart attempts must be at least 0.");
  EXPECT_EQ(FixedDelayRestartBackoffTimeStrategy::create(0, -1).error().message,
            "Backoff time between restart attempts must be at least 0 ms.");
}

// --- FailureRateRestartBackoffTimeStrategyTest -----------------------------------------------

TEST(FailureRateRestartBackoff, ManyFailuresWithinRate_AlwaysRestarts) {
  auto strategy = FailureRateRestartBackoffTimeStrategy::create(1, 1, 0).value();
  int64_t now = 0;
  for (int i = 0; i < 3; ++i) {
    strategy->notify_failure(at_ms(now));
    EXPECT_TRUE(strategy->can_restart(at_ms(now)));
    now += 2;  // interval + 1
  }
  EXPECT_TRUE(strategy->can_restart(at_ms(now)));
}

TEST(FailureRateRestartBackoff, FailuresExceedingRate_FourthFailureRefused) {
  auto strategy = FailureRateRestartBackoffTimeStrategy::create(3, 10000, 0).value();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(strategy->can_restart(at_ms(0)));
    strategy->notify_failure(at_ms(0));
  }
  EXPECT_TRUE(strategy->can_restart(at_ms(0)));
  strategy->notify_failure(at_ms(0));
  EXPECT_FALSE(strategy->can_restart(at_ms(0)));
  // The window is strict: exactly `interval` later is still too soon, one ms more is fine.
  EXPECT_FALSE(strategy->can_restart(at_ms(10000)));
  EXPECT_TRUE(strategy->can_restart(at_ms(10001)));
}

TEST(FailureRateRestartBackoff, BackoffTime_IsTheDelay) {
  auto strategy = FailureRateRestartBackoffTimeStrategy::create(1, 1, 10000).value();
  EXPECT_EQ(backoff_ms(*strategy, 0), 10000);
}

TEST(FailureRateRestartBackoff, Validation_FlinkMessages) {
  EXPECT_EQ(FailureRateRestartBackoffTimeStrategy::create(0, 1, 0).error().message,
            "Maximum number of restart attempts per time unit must be greater than 0.");
  EXPECT_EQ(FailureRateRestartBackoffTimeStrategy::create(1, 0, 0).error().message,
            "Failures interval must be greater than 0 ms.");
  EXPECT_EQ(FailureRateRestartBackoffTimeStrategy::create(1, 1, -1).error().message,
            "Backoff time must be at least 0 ms.");
}

// --- ExponentialDelayRestartBackoffTimeStrategyTest ------------------------------------------

ExponentialDelayParameters parameters(int64_t initial, int64_t max, double multiplier,
                                      int64_t threshold, double jitter, int64_t attempts) {
  return ExponentialDelayParameters{initial, max, multiplier, threshold, jitter, attempts};
}

std::unique_ptr<ExponentialDelayRestartBackoffTimeStrategy> exponential(
    const ExponentialDelayParameters& p, sim::Rng& rng) {
  return ExponentialDelayRestartBackoffTimeStrategy::create(p, rng).value();
}

TEST(ExponentialDelayRestartBackoff, MaxAttempts_FourteenthAttemptRefused) {
  sim::Rng rng(1);
  auto strategy = exponential(parameters(1, 3, 1.2, 10, 0.25, 13), rng);
  int64_t now = 0;
  for (int i = 0; i <= 13; ++i) {
    EXPECT_TRUE(strategy->can_restart(at_ms(now)));
    EXPECT_TRUE(strategy->notify_failure(at_ms(now)));
    now += 4;
  }
  EXPECT_FALSE(strategy->can_restart(at_ms(now)));
}

TEST(ExponentialDelayRestartBackoff, NotCallNotifyFailure_BackoffIsAnError) {
  sim::Rng rng(1);
  auto strategy = exponential(parameters(42, 45, 2.0, 8, 0, 10), rng);
  auto backoff = strategy->backoff_time(at_ms(0));
  ASSERT_FALSE(backoff.ok());
  EXPECT_EQ(backoff.error().message, "Please call notifyFailure first.");
}

TEST(ExponentialDelayRestartBackoff, InitialBackoff_FirstFailure) {
  sim::Rng rng(1);
  auto strategy = exponential(parameters(42, 45, 2.0, 8, 0, int_max), rng);
  strategy->notify_failure(at_ms(0));
  EXPECT_EQ(backoff_ms(*strategy, 0), 42);
}

TEST(ExponentialDelayRestartBackoff, MaxBackoff_SameInstantFailuresMerge) {
  sim::Rng rng(1);
  auto strategy = exponential(parameters(1, 6, 2.0, 8, 0.25, int_max), rng);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(strategy->notify_failure(at_ms(0)), i == 0);
    EXPECT_LE(backoff_ms(*strategy, 0), 6);
    EXPECT_EQ(backoff_ms(*strategy, 0), 1);
  }
}

TEST(ExponentialDelayRestartBackoff, ResetBackoff_MeasuredFromScheduledRestart) {
  sim::Rng rng(1);
  auto strategy = exponential(parameters(1, 5, 2.0, 8, 0.25, int_max), rng);
  EXPECT_TRUE(strategy->notify_failure(at_ms(0)));
  // 8 + 1 - 1 = 8 ms later: 7 ms after the scheduled restart, below the threshold.
  EXPECT_TRUE(strategy->notify_failure(at_ms(8)));
  EXPECT_EQ(backoff_ms(*strategy, 8), 2);
  // 8 + 2 = 10 ms later: 8 ms after the scheduled restart, the backoff resets.
  EXPECT_TRUE(strategy->notify_failure(at_ms(18)));
  EXPECT_EQ(backoff_ms(*strategy, 18), 1);
}

TEST(ExponentialDelayRestartBackoff, BackoffMultiplier_TruncatedProducts) {
  sim::Rng rng(1);
  auto strategy = exponential(parameters(4, 300, 2.3, int_max, 0, 10), rng);
  EXPECT_TRUE(strategy->notify_failure(at_ms(0)));
  EXPECT_EQ(backoff_ms(*strategy, 0), 4);
  EXPECT_TRUE(strategy->notify_failure(at_ms(301)));
  EXPECT_EQ(backoff_ms(*strategy, 301), 9);  // (long)(4 * 2.3)
  EXPECT_TRUE(strategy->notify_failure(at_ms(602)));
  EXPECT_EQ(backoff_ms(*strategy, 602), 21);  // (long)(4 * 2.3 * 2.3)
}

// Many fresh strategies, `failures` failures 8 ms apart each; the last backoff of each.
std::set<int64_t> backoff_range(const ExponentialDelayParameters& p, int failures) {
  sim::Rng rng(20240601);
  std::set<int64_t> seen;
  int64_t now = 0;
  for (int trial = 0; trial < 400; ++trial) {
    auto strategy = exponential(p, rng);
    for (int i = 0; i < failures; ++i) {
      now += p.max_backoff_ms + 1;
      EXPECT_TRUE(strategy->notify_failure(at_ms(now)));
    }
    seen.insert(backoff_ms(*strategy, now));
  }
  return seen;
}

TEST(ExponentialDelayRestartBackoff, Jitter_RangesGrowWithAttempts) {
  const auto p = parameters(2, 7, 2.0, int_max, 0.25, int_max);
  EXPECT_EQ(backoff_range(p, 2), (std::set<int64_t>{3, 4, 5}));
  EXPECT_EQ(backoff_range(p, 3), (std::set<int64_t>{6, 7}));
  EXPECT_EQ(backoff_range(p, 4), (std::set<int64_t>{7}));
}

TEST(ExponentialDelayRestartBackoff, JitterNoHigherThanMax_ClampedToInitialAndMax) {
  const auto p = parameters(1, 7, 2.0, int_max, 1.0, int_max);
  EXPECT_EQ(backoff_range(p, 1), (std::set<int64_t>{1, 2}));
  EXPECT_EQ(backoff_range(p, 2), (std::set<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(backoff_range(p, 3), (std::set<int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

TEST(ExponentialDelayRestartBackoff, MultipleSettings_ResetAndGrowth) {
  sim::Rng rng(3);
  auto strategy = exponential(parameters(1, 9, 2.0, 80, 0.25, int_max), rng);
  struct Step {
    int64_t now;
    int64_t backoff;
  };
  // 0; +81 (reset); +4; +90 (reset); +10.
  for (Step step : {Step{0, 1}, Step{81, 1}, Step{85, 2}, Step{175, 1}, Step{185, 2}}) {
    EXPECT_TRUE(strategy->notify_failure(at_ms(step.now))) << step.now;
    EXPECT_TRUE(strategy->can_restart(at_ms(step.now)));
    EXPECT_EQ(backoff_ms(*strategy, step.now), step.backoff) << step.now;
  }
}

// Flink's checkMultipleExceptionsAreMerged: 10 failures per ms for `expected` ms; only the very
// first is a new attempt and the backoff counts down. Returns the time after the round.
int64_t check_merged_round(ExponentialDelayRestartBackoffTimeStrategy& strategy, int64_t now,
                           int64_t expected) {
  bool new_attempt = true;
  for (int64_t advance = 0; advance < expected; ++advance) {
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(strategy.notify_failure(at_ms(now)), new_attempt) << "t=" << now;
      new_attempt = false;
      EXPECT_TRUE(strategy.can_restart(at_ms(now)));
      EXPECT_EQ(backoff_ms(strategy, now), expected - advance) << "t=" << now;
    }
    ++now;
  }
  return now;
}

TEST(ExponentialDelayRestartBackoff, MergeMultipleExceptionsIntoOneAttempt) {
  sim::Rng rng(1);
  auto strategy = exponential(parameters(2, 6, 2.0, 80, 0, 3), rng);
  int64_t now = check_merged_round(*strategy, 0, 2);
  now = check_merged_round(*strategy, now + 1, 4);
  now = check_merged_round(*strategy, now + 1, 6);
  EXPECT_EQ(now + 1, 15);
  EXPECT_TRUE(strategy->notify_failure(at_ms(now + 1)));
  EXPECT_FALSE(strategy->can_restart(at_ms(now + 1)));
}

TEST(ExponentialDelayRestartBackoff, MergingWorksWithResetting) {
  sim::Rng rng(1);
  auto strategy = exponential(parameters(2, 6, 2.0, 80, 0, 3), rng);
  int64_t now = 0;
  for (int round = 0; round < 10; ++round) {
    now = check_merged_round(*strategy, now, 2);
    now = check_merged_round(*strategy, now + 1, 4);
    now = check_merged_round(*strategy, now + 1, 6);
    now += 80;
  }
}

TEST(ExponentialDelayRestartBackoff, Validation_FlinkMessages) {
  sim::Rng rng(1);
  auto message = [&](ExponentialDelayParameters p) {
    return ExponentialDelayRestartBackoffTimeStrategy::create(p, rng).error().message;
  };
  EXPECT_EQ(message(parameters(0, 1, 2, 1, 0, 1)), "Initial backoff must be at least 1.");
  EXPECT_EQ(message(parameters(1, 0, 2, 1, 0, 1)), "Maximum backoff must be at least 1.");
  EXPECT_EQ(message(parameters(5, 4, 2, 1, 0, 1)),
            "Initial backoff cannot be higher than maximum backoff.");
  EXPECT_EQ(message(parameters(1, 4, 1.0, 1, 0, 1)), "Backoff multiplier must be greater than 1.");
  EXPECT_EQ(message(parameters(1, 4, 2, 0, 0, 1)),
            "Threshold duration for exponential backoff reset must be at least 1.");
  EXPECT_EQ(message(parameters(1, 4, 2, 1, 1.5, 1)), "Jitter factor must be >= 0 and <= 1.");
  EXPECT_EQ(message(parameters(1, 4, 2, 1, 0, 0)),
            "The attemptsBeforeResetBackoff must be at least 1.");
}

TEST(ExponentialDelayRestartBackoff, SameSeed_SameJitter) {
  const auto p = parameters(100, 100000, 2.0, int_max, 0.5, int_max);
  auto run = [&](uint64_t seed) {
    sim::Rng rng(seed);
    auto strategy = exponential(p, rng);
    std::vector<int64_t> backoffs;
    for (int i = 1; i <= 8; ++i) {
      strategy->notify_failure(at_ms(i * 200000));
      backoffs.push_back(backoff_ms(*strategy, i * 200000));
    }
    return backoffs;
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

// --- No restart and the factory --------------------------------------------------------------

TEST(NoRestartBackoff, NeverRestarts) {
  NoRestartBackoffTimeStrategy strategy;
  EXPECT_FALSE(strategy.can_restart(at_ms(0)));
  strategy.notify_failure(at_ms(0));
  EXPECT_FALSE(strategy.can_restart(at_ms(0)));
  EXPECT_EQ(backoff_ms(strategy, 0), 0);
}

TEST(RestartStrategyFactory, DefaultChoice_ExponentialWithCheckpointingElseNone) {
  sim::Rng rng(1);
  RestartStrategyOptions options;
  EXPECT_EQ(options.effective_type(), RestartStrategyType::none);
  auto none = create_restart_backoff_time_strategy(options, rng).value();
  EXPECT_EQ(none->describe(), "NoRestartBackoffTimeStrategy");
  options.checkpointing_enabled = true;
  EXPECT_EQ(options.effective_type(), RestartStrategyType::exponential_delay);
  auto exponential_strategy = create_restart_backoff_time_strategy(options, rng).value();
  // Flink's defaults: 1 s initial backoff; with jitter 0.1 the first backoff is 1000 +- 100,
  // clamped below at the initial 1000.
  exponential_strategy->notify_failure(at_ms(0));
  const int64_t first = backoff_ms(*exponential_strategy, 0);
  EXPECT_GE(first, 1000);
  EXPECT_LE(first, 1100);
  options.type = RestartStrategyType::fixed_delay;
  EXPECT_EQ(create_restart_backoff_time_strategy(options, rng).value()->describe(),
            "FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=1, backoffTimeMS=1000)");
}

TEST(RestartStrategyFactory, Aliases_AsFlinkAccepts) {
  EXPECT_EQ(parse_restart_strategy_type("off"), RestartStrategyType::none);
  EXPECT_EQ(parse_restart_strategy_type("disable"), RestartStrategyType::none);
  EXPECT_EQ(parse_restart_strategy_type("none"), RestartStrategyType::none);
  EXPECT_EQ(parse_restart_strategy_type("fixeddelay"), RestartStrategyType::fixed_delay);
  EXPECT_EQ(parse_restart_strategy_type("fixed-delay"), RestartStrategyType::fixed_delay);
  EXPECT_EQ(parse_restart_strategy_type("failurerate"), RestartStrategyType::failure_rate);
  EXPECT_EQ(parse_restart_strategy_type("exponentialdelay"), RestartStrategyType::exponential_delay);
  EXPECT_EQ(parse_restart_strategy_type("Exponential-Delay"), RestartStrategyType::exponential_delay);
  EXPECT_EQ(parse_restart_strategy_type("forever"), std::nullopt);
}

TEST(RestartStrategyFactory, InvalidOptions_ErrorCarriesFlinkMessage) {
  sim::Rng rng(1);
  RestartStrategyOptions options;
  options.type = RestartStrategyType::exponential_delay;
  options.exponential_delay.initial_backoff_ms = 5000;
  options.exponential_delay.max_backoff_ms = 1000;
  auto result = create_restart_backoff_time_strategy(options, rng);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "Initial backoff cannot be higher than maximum backoff.");
}

}  // namespace
}  // namespace flinksim::strategies
