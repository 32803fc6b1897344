#pragma once

// Builds a RestartBackoffTimeStrategy from plain options (Flink's
// RestartBackoffTimeStrategyFactoryLoader). The options come from the Flink configuration
// (scenarios/restart_strategy_options.h); all durations are whole milliseconds, as Flink reads
// them with Duration#toMillis.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "sim/result.h"
#include "sim/rng.h"
#include "strategies/exponential_delay_restart_backoff_time_strategy.h"
#include "strategies/restart_backoff_time_strategy.h"

namespace flinksim::strategies {

enum class RestartStrategyType { none, fixed_delay, failure_rate, exponential_delay };

// Flink's names and aliases (RestartBackoffTimeStrategyFactoryLoader): none | off | disable,
// fixed-delay | fixeddelay, failure-rate | failurerate, exponential-delay | exponentialdelay;
// case-insensitive.
std::optional<RestartStrategyType> parse_restart_strategy_type(std::string_view text);
std::string_view to_string(RestartStrategyType type);

struct RestartStrategyOptions {
  // Unset = Flink's default choice: exponential-delay when checkpointing is enabled, else none.
  std::optional<RestartStrategyType> type;
  bool checkpointing_enabled = false;

  int64_t fixed_delay_attempts = 1;
  int64_t fixed_delay_delay_ms = 1000;

  int64_t failure_rate_max_failures_per_interval = 1;
  int64_t failure_rate_interval_ms = 60'000;
  int64_t failure_rate_delay_ms = 1000;

  ExponentialDelayParameters exponential_delay;

  RestartStrategyType effective_type() const;
};

// Validation failures carry Flink's messages. `rng` feeds exponential-delay jitter and must
// outlive the strategy.
sim::Result<std::unique_ptr<RestartBackoffTimeStrategy>> create_restart_backoff_time_strategy(
    const RestartStrategyOptions& options, sim::Rng& rng);

}  // namespace flinksim::strategies
