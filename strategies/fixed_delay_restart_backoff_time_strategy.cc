#include "strategies/fixed_delay_restart_backoff_time_strategy.h"

namespace flinksim::strategies {

sim::Result<std::unique_ptr<FixedDelayRestartBackoffTimeStrategy>>
FixedDelayRestartBackoffTimeStrategy::create(int64_t max_restart_attempts, int64_t backoff_ms) {
  if (max_restart_attempts < 0) {
    return sim::Error{"Maximum number of restart attempts must be at least 0."};
  }
  if (backoff_ms < 0) {
    return sim::Error{"Backoff time between restart attempts must be at least 0 ms."};
  }
  return std::unique_ptr<FixedDelayRestartBackoffTimeStrategy>(
      new FixedDelayRestartBackoffTimeStrategy(max_restart_attempts, backoff_ms));
}

bool FixedDelayRestartBackoffTimeStrategy::notify_failure(sim::Instant) {
  ++current_restart_attempt_;
  return true;
}

bool FixedDelayRestartBackoffTimeStrategy::can_restart(sim::Instant) const {
  // Planted bug restart-budget-off-by-one (cmake/planted_bugs.cmake): one restart more than
  // restart-strategy.fixed-delay.attempts allows.
#ifdef FLINKSIM_PLANTED_BUG_RESTART_BUDGET_OFF_BY_ONE
  return current_restart_attempt_ <= max_restart_attempts_ + 1;
#else
  return current_restart_attempt_ <= max_restart_attempts_;
#endif
}

sim::Result<sim::Duration> FixedDelayRestartBackoffTimeStrategy::backoff_time(sim::Instant) const {
  return sim::Duration::milliseconds(backoff_ms_);
}

std::string FixedDelayRestartBackoffTimeStrategy::describe() const {
  return "FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=" +
         std::to_string(max_restart_attempts_) + ", backoffTimeMS=" + std::to_string(backoff_ms_) +
         ")";
}

}  // namespace flinksim::strategies
