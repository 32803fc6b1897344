#pragma once

// Reads the restart-strategy keys of a Flink configuration (FLINK_FACTS.md §4.1) into the plain
// options of strategies/restart_backoff_time_strategy_factory.h, as Flink's
// RestartBackoffTimeStrategyFactoryLoader does: `restart-strategy.type` if set (with Flink's
// aliases), otherwise exponential-delay when checkpointing is enabled
// (`execution.checkpointing.interval` set) and no restart when it is not. Durations become whole
// milliseconds (Duration#toMillis).

#include "scenarios/flink_configuration.h"
#include "sim/result.h"
#include "strategies/restart_backoff_time_strategy_factory.h"

namespace flinksim::scenarios {

sim::Result<strategies::RestartStrategyOptions> restart_strategy_options(
    const FlinkConfiguration& configuration);

}  // namespace flinksim::scenarios
