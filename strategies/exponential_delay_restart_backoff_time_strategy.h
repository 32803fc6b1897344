#pragma once

// Flink's ExponentialDelayRestartBackoffTimeStrategy, 1.19+ semantics (FLIP-364):
// - A failure at or before the scheduled restart time is merged into the current attempt
//   (notify_failure returns false and nothing changes).
// - Otherwise, if the time since the scheduled restart is at least the reset threshold, the
//   attempt counter resets; the next restart is scheduled at now + backoff, where backoff =
//   (long)(initial * multiplier^attempt) plus a jitter drawn uniformly from [-offset, +offset]
//   with offset = (long)(backoff * jitter), clamped to [initial, max]; the counter increments.
// - can_restart: attempt counter <= attempts-before-reset-backoff.
// - backoff_time: remaining time to the scheduled restart, never negative; an error before the
//   first failure.
// Arithmetic is Java's: 64-bit, double-to-long casts saturate, additions wrap.

#include <cstdint>
#include <memory>

#include "sim/rng.h"
#include "strategies/restart_backoff_time_strategy.h"

namespace flinksim::strategies {

struct ExponentialDelayParameters {
  int64_t initial_backoff_ms = 1000;
  int64_t max_backoff_ms = 60000;
  double backoff_multiplier = 1.5;
  int64_t reset_backoff_threshold_ms = 3'600'000;
  double jitter_factor = 0.1;
  int64_t attempts_before_reset_backoff = 2147483647;  // Integer.MAX_VALUE
};

class ExponentialDelayRestartBackoffTimeStrategy final : public RestartBackoffTimeStrategy {
 public:
  // Validation as Flink (messages verbatim). `rng` supplies the jitter and must outlive the
  // strategy; it is only drawn from when the jitter factor is not zero.
  static sim::Result<std::unique_ptr<ExponentialDelayRestartBackoffTimeStrategy>> create(
      const ExponentialDelayParameters& parameters, sim::Rng& rng);

  bool notify_failure(sim::Instant now) override;
  bool can_restart(sim::Instant now) const override;
  sim::Result<sim::Duration> backoff_time(sim::Instant now) const override;
  std::string describe() const override;

  int64_t current_restart_attempt() const { return current_restart_attempt_; }

 private:
  // Flink starts the schedule at Integer.MIN_VALUE, so the first failure always resets.
  static constexpr int64_t no_restart_scheduled_ = -2147483648LL;

  ExponentialDelayRestartBackoffTimeStrategy(const ExponentialDelayParameters& parameters,
                                             sim::Rng& rng)
      : parameters_(parameters), rng_(rng) {}
  int64_t actual_backoff_ms();

  ExponentialDelayParameters parameters_;
  sim::Rng& rng_;
  int64_t current_restart_attempt_ = 0;
  int64_t next_restart_timestamp_ms_ = no_restart_scheduled_;
};

}  // namespace flinksim::strategies
