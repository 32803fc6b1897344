// Goal: the restart-strategy keys of a Flink configuration map onto the strategy options as
// Flink's RestartBackoffTimeStrategyFactoryLoader reads them: explicit type with aliases,
// defaults from RestartStrategyOptions, exponential-delay only when checkpointing is enabled.

#include <gtest/gtest.h>

#include "scenarios/restart_strategy_options.h"

namespace flinksim::scenarios {
namespace {

FlinkConfiguration configuration(std::initializer_list<std::pair<const char*, const char*>> keys) {
  FlinkConfiguration config;
  Diagnostics diagnostics;
  for (auto [key, value] : keys) {
    EXPECT_TRUE(config.set(key, value, SourceLocation{"test", 0, 0}, diagnostics))
        << diagnostics.format();
  }
  return config;
}

TEST(RestartStrategyOptions, Unset_DefaultsOfFlink) {
  const auto options = restart_strategy_options(configuration({})).value();
  EXPECT_FALSE(options.type.has_value());
  EXPECT_FALSE(options.checkpointing_enabled);
  EXPECT_EQ(options.effective_type(), strategies::RestartStrategyType::none);
  EXPECT_EQ(options.fixed_delay_attempts, 1);
  EXPECT_EQ(options.fixed_delay_delay_ms, 1000);
  EXPECT_EQ(options.failure_rate_max_failures_per_interval, 1);
  EXPECT_EQ(options.failure_rate_interval_ms, 60000);
  EXPECT_EQ(options.failure_rate_delay_ms, 1000);
  EXPECT_EQ(options.exponential_delay.initial_backoff_ms, 1000);
  EXPECT_EQ(options.exponential_delay.max_backoff_ms, 60000);
  EXPECT_DOUBLE_EQ(options.exponential_delay.backoff_multiplier, 1.5);
  EXPECT_EQ(options.exponential_delay.reset_backoff_threshold_ms, 3600000);
  EXPECT_DOUBLE_EQ(options.exponential_delay.jitter_factor, 0.1);
  EXPECT_EQ(options.exponential_delay.attempts_before_reset_backoff, 2147483647);
}

TEST(RestartStrategyOptions, CheckpointingEnabled_ExponentialDelayByDefault) {
  const auto options =
      restart_strategy_options(configuration({{"execution.checkpointing.interval", "5 s"}})).value();
  EXPECT_TRUE(options.checkpointing_enabled);
  EXPECT_EQ(options.effective_type(), strategies::RestartStrategyType::exponential_delay);
}

TEST(RestartStrategyOptions, ExplicitTypeAndAliases) {
  using strategies::RestartStrategyType;
  const std::pair<const char*, RestartStrategyType> cases[] = {
      {"fixed-delay", RestartStrategyType::fixed_delay},
      {"fixeddelay", RestartStrategyType::fixed_delay},
      {"failurerate", RestartStrategyType::failure_rate},
      {"exponentialdelay", RestartStrategyType::exponential_delay},
      {"off", RestartStrategyType::none},
      {"disable", RestartStrategyType::none},
  };
  for (auto [text, type] : cases) {
    const auto options = restart_strategy_options(
        configuration({{"restart-strategy.type", text},
                       {"execution.checkpointing.interval", "1 s"}})).value();
    EXPECT_EQ(options.effective_type(), type) << text;
  }
}

TEST(RestartStrategyOptions, DurationsBecomeWholeMilliseconds) {
  const auto options = restart_strategy_options(configuration({
      {"restart-strategy.fixed-delay.attempts", "3"},
      {"restart-strategy.fixed-delay.delay", "10 s"},
      {"restart-strategy.failure-rate.failure-rate-interval", "2 min"},
      {"restart-strategy.exponential-delay.initial-backoff", "250 ms"},
      {"restart-strategy.exponential-delay.backoff-multiplier", "2.0"},
      {"restart-strategy.exponential-delay.attempts-before-reset-backoff", "5"},
  })).value();
  EXPECT_EQ(options.fixed_delay_attempts, 3);
  EXPECT_EQ(options.fixed_delay_delay_ms, 10000);
  EXPECT_EQ(options.failure_rate_interval_ms, 120000);
  EXPECT_EQ(options.exponential_delay.initial_backoff_ms, 250);
  EXPECT_DOUBLE_EQ(options.exponential_delay.backoff_multiplier, 2.0);
  EXPECT_EQ(options.exponential_delay.attempts_before_reset_backoff, 5);
}

}  // namespace
}  // namespace flinksim::scenarios
