#pragma once

// The textual value syntaxes shared by scenario files, Flink configuration values and command-line
// flags: integers, booleans, floating point, Flink's MemorySize, bandwidths, rates and enum
// spellings. One parser per syntax, so a value means the same wherever it is written.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim/result.h"
#include "sim/time.h"

namespace flinksim::scenarios {

std::string_view trim_spaces(std::string_view text);
std::string to_lower(std::string_view text);

// A decimal integer with an optional sign, in [minimum, maximum].
sim::Result<int64_t> parse_integer(std::string_view text, int64_t minimum, int64_t maximum);
// "true" or "false", case-insensitive, as Flink's configuration accepts them.
sim::Result<bool> parse_boolean(std::string_view text);
// A finite decimal number (no NaN or infinity), in [minimum, maximum].
sim::Result<double> parse_floating(std::string_view text, double minimum, double maximum);

// Flink's MemorySize syntax (org.apache.flink.configuration.MemorySize): a non-negative integer
// and an optional case-insensitive unit b/bytes, k/kb/kibibytes, m/mb/mebibytes, g/gb/gibibytes,
// t/tb/tebibytes; units are powers of 1024 and a bare number means bytes.
sim::Result<int64_t> parse_memory_size(std::string_view text);
// The largest unit that represents `bytes` exactly: 32768 -> "32 kb"; parse_memory_size reads it.
std::string format_memory_size(int64_t bytes);

// A link bandwidth: a non-negative number and one of bps, kbps, mbps, gbps (decimal, as network
// links are quoted); returns bits per second.
sim::Result<int64_t> parse_bandwidth_bits_per_second(std::string_view text);

// "10000/s", "5/min", "1/10min" (one event per ten minutes), "0.5/s"; returns events per second.
sim::Result<double> parse_rate_per_second(std::string_view text);
// A size per period, "50 mb/min", "1 gb/h": the size in Flink's MemorySize syntax; returns bytes
// per second.
sim::Result<double> parse_size_rate_bytes_per_second(std::string_view text);

// Flink's duration syntax (sim::parse_duration) with an upper bound of 3650 days. Every duration a
// scenario or the Flink configuration can hold stays below 2^58 ns, so the model may add a few of
// them to a virtual instant without overflowing 64 bits.
sim::Result<sim::Duration> parse_bounded_duration(std::string_view text);
inline constexpr int64_t kMaxDurationDays = 3650;

// An enum spelling compared case-insensitively with '-' and '_' treated as the same character.
std::string enum_spelling_key(std::string_view text);
// Index of `text` in `values` under enum_spelling_key equality, or values.size() if absent.
size_t find_enum_value(std::string_view text, std::span<const std::string> values);

// FNV-1a, 64 bit, as 16 lower-case hex digits: the content hash of scenario files.
std::string fnv1a_64_hex(std::string_view bytes);

}  // namespace flinksim::scenarios
