#pragma once

// Virtual time. Both types are 64-bit integer nanoseconds; arithmetic is checked, so an overflow
// is an assertion failure rather than a silent wrap.

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "sim/result.h"

namespace flinksim::sim {

namespace detail {
int64_t checked_add(int64_t a, int64_t b);
int64_t checked_sub(int64_t a, int64_t b);
int64_t checked_mul(int64_t a, int64_t b);
}  // namespace detail

class Duration {
 public:
  constexpr Duration() = default;

  static constexpr Duration nanoseconds(int64_t n) { return Duration(n); }
  static Duration microseconds(int64_t n) { return Duration(detail::checked_mul(n, 1'000)); }
  static Duration milliseconds(int64_t n) { return Duration(detail::checked_mul(n, 1'000'000)); }
  static Duration seconds(int64_t n) { return Duration(detail::checked_mul(n, 1'000'000'000)); }
  static Duration minutes(int64_t n) { return seconds(detail::checked_mul(n, 60)); }
  static Duration hours(int64_t n) { return seconds(detail::checked_mul(n, 3600)); }
  static constexpr Duration zero() { return Duration(0); }
  static constexpr Duration max() { return Duration(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t count_nanoseconds() const { return nanoseconds_; }
  // Truncating conversions for reporting; Flink's own values are whole milliseconds.
  constexpr int64_t count_milliseconds() const { return nanoseconds_ / 1'000'000; }
  constexpr double count_seconds() const { return static_cast<double>(nanoseconds_) / 1e9; }

  Duration operator+(Duration other) const {
    return Duration(detail::checked_add(nanoseconds_, other.nanoseconds_));
  }
  Duration operator-(Duration other) const {
    return Duration(detail::checked_sub(nanoseconds_, other.nanoseconds_));
  }
  Duration operator*(int64_t factor) const {
    return Duration(detail::checked_mul(nanoseconds_, factor));
  }
  int64_t operator/(Duration other) const { return nanoseconds_ / other.nanoseconds_; }
  Duration operator/(int64_t divisor) const { return Duration(nanoseconds_ / divisor); }
  Duration& operator+=(Duration other) { return *this = *this + other; }
  Duration& operator-=(Duration other) { return *this = *this - other; }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t nanoseconds) : nanoseconds_(nanoseconds) {}
  int64_t nanoseconds_ = 0;
};

// A point on the simulation clock, measured from the start of the run.
class Instant {
 public:
  constexpr Instant() = default;
  static constexpr Instant from_nanoseconds(int64_t n) { return Instant(n); }
  static constexpr Instant zero() { return Instant(0); }
  static constexpr Instant max() { return Instant(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t nanoseconds_since_start() const { return nanoseconds_; }
  constexpr int64_t milliseconds_since_start() const { return nanoseconds_ / 1'000'000; }
  Duration since_start() const { return Duration::nanoseconds(nanoseconds_); }

  Instant operator+(Duration d) const {
    return Instant(detail::checked_add(nanoseconds_, d.count_nanoseconds()));
  }
  Instant operator-(Duration d) const {
    return Instant(detail::checked_sub(nanoseconds_, d.count_nanoseconds()));
  }
  Duration operator-(Instant other) const {
    return Duration::nanoseconds(detail::checked_sub(nanoseconds_, other.nanoseconds_));
  }
  Instant& operator+=(Duration d) { return *this = *this + d; }
  constexpr auto operator<=>(const Instant&) const = default;

 private:
  constexpr explicit Instant(int64_t nanoseconds) : nanoseconds_(nanoseconds) {}
  int64_t nanoseconds_ = 0;
};

// Adds without overflow: a sum past the end of time saturates at Instant::max().
Instant saturating_add(Instant instant, Duration duration);

// "30.000s" — the golden-trace stamp format (milliseconds precision, seconds unit).
std::string format_seconds(Instant instant);
// Human-friendly: "0 ms", "1500 ms", "10 s", "2 min", "1 h" whichever is exact, else ms/ns.
std::string format_duration(Duration duration);

// Parses Flink's duration syntax (org.apache.flink.util.TimeUtils#parseDuration): a non-negative
// integer, optional spaces, an optional case-insensitive unit. A bare number means milliseconds.
Result<Duration> parse_duration(std::string_view text);

}  // namespace flinksim::sim
