#include "sim/time.h"

#include <array>
#include <cctype>
#include <charconv>
#include <string>

namespace flinksim::sim {
namespace detail {

int64_t checked_add(int64_t a, int64_t b) {
  int64_t out = 0;
  FLINKSIM_ASSERT_MSG(!__builtin_add_overflow(a, b, &out), "time arithmetic overflow");
  return out;
}

int64_t checked_sub(int64_t a, int64_t b) {
  int64_t out = 0;
  FLINKSIM_ASSERT_MSG(!__builtin_sub_overflow(a, b, &out), "time arithmetic overflow");
  return out;
}

int64_t checked_mul(int64_t a, int64_t b) {
  int64_t out = 0;
  FLINKSIM_ASSERT_MSG(!__builtin_mul_overflow(a, b, &out), "time arithmetic overflow");
  return out;
}

}  // namespace detail

Instant saturating_add(Instant instant, Duration duration) {
  int64_t out = 0;
  if (__builtin_add_overflow(instant.nanoseconds_since_start(), duration.count_nanoseconds(), &out)) {
    return Instant::max();
  }
  return Instant::from_nanoseconds(out);
}

std::string format_seconds(Instant instant) {
  const int64_t ms = instant.milliseconds_since_start();
  std::string out = std::to_string(ms / 1000) + ".";
  const std::string fraction = std::to_string(ms % 1000);
  out += std::string(3 - fraction.size(), '0') + fraction + "s";
  return out;
}

std::string format_duration(Duration duration) {
  const int64_t ns = duration.count_nanoseconds();
  struct Unit {
    int64_t nanoseconds;
    const char* label;
  };
  static constexpr std::array<Unit, 5> units{{{3'600'000'000'000, "h"},
                                              {60'000'000'000, "min"},
                                              {1'000'000'000, "s"},
                                              {1'000'000, "ms"},
                                              {1'000, "us"}}};
  if (ns == 0) return "0 ms";
  for (const Unit& unit : units) {
    if (ns % unit.nanoseconds == 0) return std::to_string(ns / unit.nanoseconds) + " " + unit.label;
  }
  return std::to_string(ns) + " ns";
}

namespace {

struct UnitSpelling {
  std::string_view label;
  int64_t nanoseconds;
};

// Flink's TimeUtils.TimeUnit labels, plus "us" for microseconds.
constexpr std::array<UnitSpelling, 33> kUnitSpellings{{
    {"d", 86'400'000'000'000},  {"day", 86'400'000'000'000},  {"days", 86'400'000'000'000},
    {"h", 3'600'000'000'000},   {"hour", 3'600'000'000'000},  {"hours", 3'600'000'000'000},
    {"min", 60'000'000'000},    {"m", 60'000'000'000},        {"minute", 60'000'000'000},
    {"minutes", 60'000'000'000}, {"s", 1'000'000'000},        {"sec", 1'000'000'000},
    {"secs", 1'000'000'000},    {"second", 1'000'000'000},    {"seconds", 1'000'000'000},
    {"ms", 1'000'000},          {"milli", 1'000'000},         {"millis", 1'000'000},
    {"millisecond", 1'000'000}, {"milliseconds", 1'000'000},  {"us", 1'000},
    {"\xC2\xB5s", 1'000},       {"micro", 1'000},             {"micros", 1'000},
    {"microsecond", 1'000},     {"microseconds", 1'000},      {"ns", 1},
    {"nano", 1},                {"nanos", 1},                 {"nanosecond", 1},
    {"nanoseconds", 1},         {"mins", 60'000'000'000},     {"hrs", 3'600'000'000'000},
}};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  const std::string_view trimmed = trim(text);
  if (trimmed.empty()) return Error{"empty duration"};
  size_t digits = 0;
  while (digits < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[digits]))) {
    ++digits;
  }
  if (digits == 0) {
    return Error{"invalid duration '" + std::string(trimmed) +
                 "': expected a non-negative integer followed by a unit, e.g. '10 s'"};
  }
  int64_t amount = 0;
  const auto [end, errc] = std::from_chars(trimmed.data(), trimmed.data() + digits, amount);
  if (errc != std::errc() || end != trimmed.data() + digits) {
    return Error{"duration '" + std::string(trimmed) + "' is too large"};
  }
  std::string unit(trim(trimmed.substr(digits)));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  int64_t unit_nanoseconds = 1'000'000;  // a bare number means milliseconds, as in Flink
  if (!unit.empty()) {
    bool found = false;
    for (const UnitSpelling& spelling : kUnitSpellings) {
      if (spelling.label == unit) {
        unit_nanoseconds = spelling.nanoseconds;
        found = true;
        break;
      }
    }
    if (!found) {
      return Error{"unknown time unit '" + unit + "' in '" + std::string(trimmed) +
                   "' (use ns, us, ms, s, min, h or d)"};
    }
  }
  int64_t nanoseconds = 0;
  if (__builtin_mul_overflow(amount, unit_nanoseconds, &nanoseconds)) {
    return Error{"duration '" + std::string(trimmed) + "' overflows 64-bit nanoseconds"};
  }
  return Duration::nanoseconds(nanoseconds);
}

}  // namespace flinksim::sim
