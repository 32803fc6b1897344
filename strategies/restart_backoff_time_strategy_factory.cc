#include "strategies/restart_backoff_time_strategy_factory.h"

#include "model/graph/text.h"
#include "strategies/failure_rate_restart_backoff_time_strategy.h"
#include "strategies/fixed_delay_restart_backoff_time_strategy.h"
#include "strategies/no_restart_backoff_time_strategy.h"

namespace flinksim::strategies {

std::optional<RestartStrategyType> parse_restart_strategy_type(std::string_view text) {
  const std::string name = graph::normalize_enum_text(text);
  if (name == "none" || name == "off" || name == "disable") return RestartStrategyType::none;
  if (name == "fixed_delay" || name == "fixeddelay") return RestartStrategyType::fixed_delay;
  if (name == "failure_rate" || name == "failurerate") return RestartStrategyType::failure_rate;
  if (name == "exponential_delay" || name == "exponentialdelay") {
    return RestartStrategyType::exponential_delay;
  }
  return std::nullopt;
}

std::string_view to_string(RestartStrategyType type) {
  switch (type) {
    case RestartStrategyType::none: return "none";
    case RestartStrategyType::fixed_delay: return "fixed-delay";
    case RestartStrategyType::failure_rate: return "failure-rate";
    case RestartStrategyType::exponential_delay: return "exponential-delay";
  }
  return "?";
}

RestartStrategyType RestartStrategyOptions::effective_type() const {
  if (type) return *type;
  return checkpointing_enabled ? RestartStrategyType::exponential_delay
                               : RestartStrategyType::none;
}

namespace {

template <typename T>
sim::Result<std::unique_ptr<RestartBackoffTimeStrategy>> widen(
    sim::Result<std::unique_ptr<T>> result) {
  if (!result.ok()) return result.error();
  return std::unique_ptr<RestartBackoffTimeStrategy>(std::move(result).value());
}

}  // namespace

sim::Result<std::unique_ptr<RestartBackoffTimeStrategy>> create_restart_backoff_time_strategy(
    const RestartStrategyOptions& options, sim::Rng& rng) {
  switch (options.effective_type()) {
    case RestartStrategyType::none:
      return std::unique_ptr<RestartBackoffTimeStrategy>(
          std::make_unique<NoRestartBackoffTimeStrategy>());
    case RestartStrategyType::fixed_delay:
      return widen(FixedDelayRestartBackoffTimeStrategy::create(options.fixed_delay_attempts,
                                                                options.fixed_delay_delay_ms));
    case RestartStrategyType::failure_rate:
      return widen(FailureRateRestartBackoffTimeStrategy::create(
          options.failure_rate_max_failures_per_interval, options.failure_rate_interval_ms,
          options.failure_rate_delay_ms));
    case RestartStrategyType::exponential_delay:
      return widen(ExponentialDelayRestartBackoffTimeStrategy::create(options.exponential_delay,
                                                                      rng));
  }
  return sim::Error{"unknown restart strategy"};
}

}  // namespace flinksim::strategies
