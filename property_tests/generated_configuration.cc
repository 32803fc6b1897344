#include "property_tests/generated_configuration.h"

namespace flinksim::property_tests {
namespace {

GeneratedConfiguration generate_configuration_now(const std::vector<CheckpointingMode>& modes) {
  GeneratedConfiguration configuration;
  configuration.failover = *rc::gen::element(FailoverStrategy::region, FailoverStrategy::full);
  configuration.checkpoint_interval = sim::Duration::seconds(*rc::gen::inRange<int64_t>(1, 6));
  configuration.checkpointing_mode = *rc::gen::elementOf(modes);
  if (configuration.checkpointing_mode == CheckpointingMode::exactly_once) {
    configuration.unaligned = *rc::gen::arbitrary<bool>();
  }
  configuration.restart_delay =
      sim::Duration::milliseconds(*rc::gen::element<int64_t>(500, 200, 1000));
  configuration.num_retained = *rc::gen::inRange(1, 4);
  return configuration;
}

// exponential-delay: 100-500 ms initial backoff growing by 1.5 or 2.0 to at most 1-2 s, with
// or without 10 % jitter; its attempts are unbounded by default. failure-rate: up to 100
// failures a minute, more than a healing schedule of four commands can cause. fixed-delay: as
// generate_configuration.
void generate_restart_strategy(GeneratedConfiguration& configuration) {
  configuration.restart_strategy = *rc::gen::element(
      RestartStrategy::fixed_delay, RestartStrategy::exponential_delay, RestartStrategy::failure_rate);
  switch (configuration.restart_strategy) {
    case RestartStrategy::fixed_delay:
      break;
    case RestartStrategy::exponential_delay:
      configuration.restart_delay =
          sim::Duration::milliseconds(*rc::gen::element<int64_t>(100, 200, 500));
      configuration.restart_delay_max =
          sim::Duration::milliseconds(*rc::gen::element<int64_t>(1000, 2000));
      configuration.backoff_multiplier_tenths = *rc::gen::element<int64_t>(20, 15);
      configuration.jitter_factor_tenths = *rc::gen::element<int64_t>(0, 1);
      break;
    case RestartStrategy::failure_rate:
      configuration.restart_attempts = 100;
      configuration.failure_rate_interval = sim::Duration::minutes(1);
      break;
  }
}

// Heartbeats: Flink requires timeout >= interval; a timeout of 2-4 s keeps detection well inside
// the fault window's margin before the end of input (fault_schedule.h).
void generate_heartbeats(GeneratedConfiguration& configuration) {
  configuration.heartbeat_interval =
      sim::Duration::milliseconds(*rc::gen::element<int64_t>(1000, 500));
  configuration.heartbeat_timeout =
      sim::Duration::milliseconds(*rc::gen::element<int64_t>(3000, 2000, 4000));
}

GeneratedConfiguration generate_varied_configuration_now(
    const std::vector<CheckpointingMode>& modes) {
  GeneratedConfiguration configuration = generate_configuration_now(modes);
  generate_restart_strategy(configuration);
  configuration.tolerable_failed_checkpoints =
      *rc::gen::element<std::optional<int64_t>>(std::nullopt, 0, 1, 3, 10);
  generate_heartbeats(configuration);
  return configuration;
}

// Small budgets (issue 22), so that a schedule may exhaust them: fixed-delay with 1-5 attempts,
// or failure-rate with 1-5 failures per 5-60 s; 200 ms-1 s between failure and restart.
GeneratedConfiguration generate_small_budget_configuration_now(
    const std::vector<CheckpointingMode>& modes) {
  GeneratedConfiguration configuration = generate_configuration_now(modes);
  generate_heartbeats(configuration);
  configuration.restart_strategy =
      *rc::gen::element(RestartStrategy::fixed_delay, RestartStrategy::failure_rate);
  configuration.restart_attempts = *rc::gen::inRange<int64_t>(1, 6);
  configuration.failure_rate_interval =
      sim::Duration::seconds(5 * *rc::gen::inRange<int64_t>(1, 13));
  return configuration;
}

}  // namespace

rc::Gen<GeneratedConfiguration> generate_small_budget_configuration(
    std::vector<CheckpointingMode> modes) {
  return rc::gen::exec([modes] { return generate_small_budget_configuration_now(modes); });
}

sim::Duration GeneratedConfiguration::restart_delay_longest() const {
  if (restart_strategy != RestartStrategy::exponential_delay) return restart_delay;
  // Flink's ExponentialDelayRestartBackoffTimeStrategy: the backoff with jitter stays within
  // max-backoff.
  return restart_delay_max;
}

rc::Gen<GeneratedConfiguration> generate_configuration(std::vector<CheckpointingMode> modes) {
  return rc::gen::exec([modes] { return generate_configuration_now(modes); });
}

rc::Gen<GeneratedConfiguration> generate_varied_configuration(std::vector<CheckpointingMode> modes) {
  return rc::gen::exec([modes] { return generate_varied_configuration_now(modes); });
}

std::string_view to_string(FailoverStrategy strategy) {
  return strategy == FailoverStrategy::full ? "full" : "region";
}

std::string_view to_string(CheckpointingMode mode) {
  return mode == CheckpointingMode::exactly_once ? "EXACTLY_ONCE" : "AT_LEAST_ONCE";
}

std::string_view to_string(RestartStrategy strategy) {
  switch (strategy) {
    case RestartStrategy::fixed_delay:
      return "fixed-delay";
    case RestartStrategy::exponential_delay:
      return "exponential-delay";
    case RestartStrategy::failure_rate:
      return "failure-rate";
  }
  return "fixed-delay";
}

}  // namespace flinksim::property_tests
