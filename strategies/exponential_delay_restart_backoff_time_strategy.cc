#include "strategies/exponential_delay_restart_backoff_time_strategy.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace flinksim::strategies {
namespace {

// Java's (long) cast of a double: NaN is 0, out-of-range values saturate.
int64_t java_double_to_long(double value) {
  if (std::isnan(value)) return 0;
  if (value >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (value <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}

// Java's long addition, which wraps around on overflow.
int64_t java_add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

// Java's Double.toString is close enough for describe(): shortest round-trip text.
std::string double_text(double value) {
  std::ostringstream out;
  out << value;
  std::string text = out.str();
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

sim::Result<std::unique_ptr<ExponentialDelayRestartBackoffTimeStrategy>>
ExponentialDelayRestartBackoffTimeStrategy::create(const ExponentialDelayParameters& p,
                                                   sim::Rng& rng) {
  if (p.initial_backoff_ms < 1) return sim::Error{"Initial backoff must be at least 1."};
  if (p.max_backoff_ms < 1) return sim::Error{"Maximum backoff must be at least 1."};
  if (p.initial_backoff_ms > p.max_backoff_ms) {
    return sim::Error{"Initial backoff cannot be higher than maximum backoff."};
  }
  if (!(p.backoff_multiplier > 1)) {
    return sim::Error{"Backoff multiplier must be greater than 1."};
  }
  if (p.reset_backoff_threshold_ms < 1) {
    return sim::Error{"Threshold duration for exponential backoff reset must be at least 1."};
  }
  if (!(0 <= p.jitter_factor && p.jitter_factor <= 1)) {
    return sim::Error{"Jitter factor must be >= 0 and <= 1."};
  }
  if (p.attempts_before_reset_backoff < 1) {
    return sim::Error{"The attemptsBeforeResetBackoff must be at least 1."};
  }
  return std::unique_ptr<ExponentialDelayRestartBackoffTimeStrategy>(
      new ExponentialDelayRestartBackoffTimeStrategy(p, rng));
}

bool ExponentialDelayRestartBackoffTimeStrategy::notify_failure(sim::Instant now) {
  const int64_t now_ms = now.milliseconds_since_start();
  // Tasks are about to be restarted anyway: this failure joins the scheduled attempt.
  if (now_ms <= next_restart_timestamp_ms_) return false;
  if (now_ms - next_restart_timestamp_ms_ >= parameters_.reset_backoff_threshold_ms) {
    current_restart_attempt_ = 0;
  }
  next_restart_timestamp_ms_ = java_add(now_ms, actual_backoff_ms());
  ++current_restart_attempt_;
  return true;
}

int64_t ExponentialDelayRestartBackoffTimeStrategy::actual_backoff_ms() {
  const int64_t backoff = java_double_to_long(
      static_cast<double>(parameters_.initial_backoff_ms) *
      std::pow(parameters_.backoff_multiplier, static_cast<double>(current_restart_attempt_)));
  int64_t jitter = 0;
  if (parameters_.jitter_factor != 0) {
    const int64_t offset =
        java_double_to_long(static_cast<double>(backoff) * parameters_.jitter_factor);
    jitter = rng_.uniform_int(-offset, offset);
  }
  return std::max(parameters_.initial_backoff_ms,
                  std::min(java_add(backoff, jitter), parameters_.max_backoff_ms));
}

bool ExponentialDelayRestartBackoffTimeStrategy::can_restart(sim::Instant) const {
  return current_restart_attempt_ <= parameters_.attempts_before_reset_backoff;
}

sim::Result<sim::Duration> ExponentialDelayRestartBackoffTimeStrategy::backoff_time(
    sim::Instant now) const {
  if (next_restart_timestamp_ms_ == no_restart_scheduled_) {
    return sim::Error{"Please call notifyFailure first."};
  }
  const int64_t remaining = next_restart_timestamp_ms_ - now.milliseconds_since_start();
  return sim::Duration::milliseconds(std::max<int64_t>(0, remaining));
}

std::string ExponentialDelayRestartBackoffTimeStrategy::describe() const {
  return "ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMS=" +
         std::to_string(parameters_.initial_backoff_ms) +
         ", maxBackoffMS=" + std::to_string(parameters_.max_backoff_ms) +
         ", backoffMultiplier=" + double_text(parameters_.backoff_multiplier) +
         ", resetBackoffThresholdMS=" + std::to_string(parameters_.reset_backoff_threshold_ms) +
         ", jitterFactor=" + double_text(parameters_.jitter_factor) +
         ", attemptsBeforeResetBackoff=" +
         std::to_string(parameters_.attempts_before_reset_backoff) +
         ", currentRestartAttempt=" + std::to_string(current_restart_attempt_) +
         ", nextRestartTimestamp=" + std::to_string(next_restart_timestamp_ms_) + ")";
}

}  // namespace flinksim::strategies
