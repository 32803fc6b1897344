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

}  // namespace

rc::Gen<GeneratedConfiguration> generate_configuration(std::vector<CheckpointingMode> modes) {
  return rc::gen::exec([modes] { return generate_configuration_now(modes); });
}

std::string_view to_string(FailoverStrategy strategy) {
  return strategy == FailoverStrategy::full ? "full" : "region";
}

std::string_view to_string(CheckpointingMode mode) {
  return mode == CheckpointingMode::exactly_once ? "EXACTLY_ONCE" : "AT_LEAST_ONCE";
}

}  // namespace flinksim::property_tests
