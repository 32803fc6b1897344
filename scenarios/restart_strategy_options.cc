#include "scenarios/restart_strategy_options.h"

namespace flinksim::scenarios {
namespace {

int64_t milliseconds(const FlinkConfiguration& configuration, std::string_view key) {
  return configuration.get_duration(key).count_milliseconds();
}

}  // namespace

sim::Result<strategies::RestartStrategyOptions> restart_strategy_options(
    const FlinkConfiguration& configuration) {
  strategies::RestartStrategyOptions options;
  if (auto type = configuration.get_optional_enum("restart-strategy.type")) {
    options.type = strategies::parse_restart_strategy_type(*type);
    if (!options.type) {
      return sim::Error{"unknown restart strategy '" + *type +
                        "' in 'restart-strategy.type' (expected none, fixed-delay, failure-rate "
                        "or exponential-delay)"};
    }
  }
  // Flink treats checkpointing as enabled when an interval is configured.
  if (auto interval = configuration.get_optional_duration("execution.checkpointing.interval")) {
    options.checkpointing_enabled = *interval > sim::Duration::zero();
  }

  options.fixed_delay_attempts = configuration.get_int("restart-strategy.fixed-delay.attempts");
  options.fixed_delay_delay_ms = milliseconds(configuration, "restart-strategy.fixed-delay.delay");

  options.failure_rate_max_failures_per_interval =
      configuration.get_int("restart-strategy.failure-rate.max-failures-per-interval");
  options.failure_rate_interval_ms =
      milliseconds(configuration, "restart-strategy.failure-rate.failure-rate-interval");
  options.failure_rate_delay_ms = milliseconds(configuration, "restart-strategy.failure-rate.delay");

  auto& exponential = options.exponential_delay;
  exponential.initial_backoff_ms =
      milliseconds(configuration, "restart-strategy.exponential-delay.initial-backoff");
  exponential.max_backoff_ms =
      milliseconds(configuration, "restart-strategy.exponential-delay.max-backoff");
  exponential.backoff_multiplier =
      configuration.get_double("restart-strategy.exponential-delay.backoff-multiplier");
  exponential.reset_backoff_threshold_ms =
      milliseconds(configuration, "restart-strategy.exponential-delay.reset-backoff-threshold");
  exponential.jitter_factor =
      configuration.get_double("restart-strategy.exponential-delay.jitter-factor");
  exponential.attempts_before_reset_backoff =
      configuration.get_int("restart-strategy.exponential-delay.attempts-before-reset-backoff");
  return options;
}

}  // namespace flinksim::scenarios
