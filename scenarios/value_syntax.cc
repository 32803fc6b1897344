#include "scenarios/value_syntax.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace flinksim::scenarios {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

sim::Result<int64_t> parse_integer(std::string_view text, int64_t minimum, int64_t maximum) {
  std::string_view digits = trim_spaces(text);
  const std::string shown(digits);
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  int64_t value = 0;
  const auto [end, errc] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || errc == std::errc::invalid_argument || end != digits.data() + digits.size()) {
    return sim::Error{"expected an integer, got '" + shown + "'"};
  }
  if (errc == std::errc::result_out_of_range || value < minimum || value > maximum) {
    return sim::Error{"integer " + shown + " is out of range [" + std::to_string(minimum) + ", " +
                      std::to_string(maximum) + "]"};
  }
  return value;
}

sim::Result<bool> parse_boolean(std::string_view text) {
  const std::string lower = to_lower(trim_spaces(text));
  if (lower == "true") return true;
  if (lower == "false") return false;
  return sim::Error{"expected true or false, got '" + std::string(trim_spaces(text)) + "'"};
}

namespace {

std::string format_double(double value) {
  std::array<char, 64> buffer{};
  const auto [end, errc] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return errc == std::errc() ? std::string(buffer.data(), end) : std::to_string(value);
}

// Reads a leading non-negative decimal number (digits with an optional fraction) and returns
// how many characters it used, 0 if there is none.
size_t leading_number(std::string_view text, double& value) {
  size_t length = 0;
  while (length < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[length])) || text[length] == '.')) {
    ++length;
  }
  if (length == 0) return 0;
  const auto [end, errc] = std::from_chars(text.data(), text.data() + length, value);
  if (errc != std::errc() || end != text.data() + length || !std::isfinite(value)) return 0;
  return length;
}

}  // namespace

sim::Result<double> parse_floating(std::string_view text, double minimum, double maximum) {
  std::string_view number = trim_spaces(text);
  const std::string shown(number);
  if (!number.empty() && number.front() == '+') number.remove_prefix(1);
  double value = 0;
  const auto [end, errc] = std::from_chars(number.data(), number.data() + number.size(), value,
                                           std::chars_format::general);
  if (number.empty() || errc != std::errc() || end != number.data() + number.size() ||
      !std::isfinite(value)) {
    return sim::Error{"expected a finite number, got '" + shown + "'"};
  }
  if (value < minimum || value > maximum) {
    return sim::Error{"number " + shown + " is out of range [" + format_double(minimum) + ", " +
                      format_double(maximum) + "]"};
  }
  return value;
}

namespace {

struct SizeUnit {
  std::string_view label;
  int64_t bytes;
};

// MemorySize.MemoryUnit labels from Flink, all powers of 1024.
constexpr std::array<SizeUnit, 14> kSizeUnits{{
    {"b", 1},
    {"bytes", 1},
    {"k", int64_t{1} << 10},
    {"kb", int64_t{1} << 10},
    {"kibibytes", int64_t{1} << 10},
    {"m", int64_t{1} << 20},
    {"mb", int64_t{1} << 20},
    {"mebibytes", int64_t{1} << 20},
    {"g", int64_t{1} << 30},
    {"gb", int64_t{1} << 30},
    {"gibibytes", int64_t{1} << 30},
    {"t", int64_t{1} << 40},
    {"tb", int64_t{1} << 40},
    {"tebibytes", int64_t{1} << 40},
}};

}  // namespace

sim::Result<int64_t> parse_memory_size(std::string_view text) {
  const std::string_view trimmed = trim_spaces(text);
  const std::string shown(trimmed);
  if (!trimmed.empty() && trimmed.front() == '-') {
    return sim::Error{"negative size '" + shown + "'"};
  }
  size_t digits = 0;
  while (digits < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[digits]))) {
    ++digits;
  }
  if (digits == 0) {
    return sim::Error{"invalid size '" + shown + "': expected an integer and a unit, e.g. '32 kb'"};
  }
  int64_t amount = 0;
  const auto [end, errc] = std::from_chars(trimmed.data(), trimmed.data() + digits, amount);
  if (errc != std::errc() || end != trimmed.data() + digits) {
    return sim::Error{"size '" + shown + "' is too large"};
  }
  const std::string unit = to_lower(trim_spaces(trimmed.substr(digits)));
  int64_t unit_bytes = 1;
  if (!unit.empty()) {
    bool found = false;
    for (const SizeUnit& candidate : kSizeUnits) {
      if (candidate.label == unit) {
        unit_bytes = candidate.bytes;
        found = true;
        break;
      }
    }
    if (!found) {
      return sim::Error{"unknown size unit '" + unit + "' in '" + shown +
                        "' (use b, kb, mb, gb or tb)"};
    }
  }
  int64_t bytes = 0;
  if (__builtin_mul_overflow(amount, unit_bytes, &bytes)) {
    return sim::Error{"size '" + shown + "' overflows 64-bit bytes"};
  }
  return bytes;
}

std::string format_memory_size(int64_t bytes) {
  static constexpr std::array<SizeUnit, 4> units{{{"tb", int64_t{1} << 40},
                                                  {"gb", int64_t{1} << 30},
                                                  {"mb", int64_t{1} << 20},
                                                  {"kb", int64_t{1} << 10}}};
  if (bytes != 0) {
    for (const SizeUnit& unit : units) {
      if (bytes % unit.bytes == 0) {
        return std::to_string(bytes / unit.bytes) + " " + std::string(unit.label);
      }
    }
  }
  return std::to_string(bytes) + " b";
}

sim::Result<int64_t> parse_bandwidth_bits_per_second(std::string_view text) {
  const std::string_view trimmed = trim_spaces(text);
  const std::string shown(trimmed);
  double amount = 0;
  const size_t length = leading_number(trimmed, amount);
  if (length == 0) {
    return sim::Error{"invalid bandwidth '" + shown + "': expected a number and a unit, e.g. '10 gbps'"};
  }
  const std::string unit = to_lower(trim_spaces(trimmed.substr(length)));
  double scale = 0;
  if (unit == "bps") scale = 1;
  if (unit == "kbps") scale = 1e3;
  if (unit == "mbps") scale = 1e6;
  if (unit == "gbps") scale = 1e9;
  if (unit == "tbps") scale = 1e12;
  if (scale == 0) {
    return sim::Error{"unknown bandwidth unit '" + unit + "' in '" + shown +
                      "' (use bps, kbps, mbps, gbps or tbps)"};
  }
  const double bits = amount * scale;
  // 2^62 bits per second is far beyond any link and keeps later arithmetic clear of overflow.
  if (bits >= 4.6e18) return sim::Error{"bandwidth '" + shown + "' is too large"};
  if (bits < 1) return sim::Error{"bandwidth '" + shown + "' must be at least 1 bps"};
  return static_cast<int64_t>(bits);
}

sim::Result<double> parse_rate_per_second(std::string_view text) {
  const std::string_view trimmed = trim_spaces(text);
  const std::string shown(trimmed);
  const size_t slash = trimmed.find('/');
  const std::string usage = "invalid rate '" + shown + "': expected COUNT/PERIOD, e.g. '10000/s' or '1/10min'";
  if (slash == std::string_view::npos) return sim::Error{usage};
  double count = 0;
  const std::string_view count_text = trim_spaces(trimmed.substr(0, slash));
  if (leading_number(count_text, count) != count_text.size() || count_text.empty()) {
    return sim::Error{usage};
  }
  std::string period(trim_spaces(trimmed.substr(slash + 1)));
  // "10000/s" means per one second; a period without a number counts one unit.
  if (!period.empty() && !std::isdigit(static_cast<unsigned char>(period.front()))) {
    period = "1 " + period;
  }
  const sim::Result<sim::Duration> duration = sim::parse_duration(period);
  if (!duration.ok()) return sim::Error{usage + ": " + duration.error().message};
  if (duration->count_nanoseconds() == 0) {
    return sim::Error{"invalid rate '" + shown + "': the period must be longer than zero"};
  }
  return count / duration->count_seconds();
}

sim::Result<double> parse_size_rate_bytes_per_second(std::string_view text) {
  const std::string_view trimmed = trim_spaces(text);
  const std::string shown(trimmed);
  const std::string usage = "invalid size rate '" + shown + "': expected SIZE/PERIOD, e.g. '50 mb/min' or '1 gb/h'";
  const size_t slash = trimmed.find('/');
  if (slash == std::string_view::npos) return sim::Error{usage};
  const sim::Result<int64_t> bytes = parse_memory_size(trimmed.substr(0, slash));
  if (!bytes.ok()) return sim::Error{usage + ": " + bytes.error().message};
  // The period as in a rate: "50 mb/min" is 50 mb per one minute.
  const sim::Result<double> per_second = parse_rate_per_second("1/" + std::string(trimmed.substr(slash + 1)));
  if (!per_second.ok()) return sim::Error{usage};
  return static_cast<double>(*bytes) * *per_second;
}

sim::Result<sim::Duration> parse_bounded_duration(std::string_view text) {
  const sim::Result<sim::Duration> value = sim::parse_duration(text);
  if (!value.ok()) return value;
  if (value.value() > sim::Duration::hours(24 * kMaxDurationDays)) {
    return sim::Error{"duration '" + std::string(trim_spaces(text)) + "' is longer than " +
                      std::to_string(kMaxDurationDays) + " days, the longest supported"};
  }
  return value;
}

std::string enum_spelling_key(std::string_view text) {
  std::string out = to_lower(trim_spaces(text));
  for (char& c : out) {
    if (c == '_') c = '-';
  }
  return out;
}

size_t find_enum_value(std::string_view text, std::span<const std::string> values) {
  const std::string key = enum_spelling_key(text);
  for (size_t i = 0; i < values.size(); ++i) {
    if (enum_spelling_key(values[i]) == key) return i;
  }
  return values.size();
}

std::string fnv1a_64_hex(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  std::array<char, 17> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%016llx", static_cast<unsigned long long>(hash));
  return std::string(buffer.data(), 16);
}

}  // namespace flinksim::scenarios
