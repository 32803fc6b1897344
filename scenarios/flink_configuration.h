#pragma once

// Flink configuration keys, verbatim, with Flink's types and defaults. One registry declares
// every supported key (see flink_config_registry.h); a FlinkConfiguration holds the values a
// scenario or the command line set, and answers every other key with Flink's default.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostics.h"
#include "sim/result.h"
#include "sim/time.h"

namespace flinksim::scenarios {

enum class OptionType { boolean, integer, floating, duration, size_bytes, enumeration, string };

struct ConfigOptionSpec {
  std::string key;
  OptionType type;
  std::string default_value;                // as Flink documents it; "" means "no default"
  std::string description;
  std::vector<std::string> enum_values;     // canonical lower-case spellings, for enumerations
  std::vector<std::string> deprecated_keys; // older Flink spellings, accepted with a warning
};

// Every key flinksim understands, in a stable order (sorted by key).
const std::vector<ConfigOptionSpec>& config_registry();
const ConfigOptionSpec* find_config_option(std::string_view key);  // also by deprecated key

class FlinkConfiguration {
 public:
  // Sets `key` from its textual value (a YAML scalar or --conf KEY=VALUE). Unknown keys, bad
  // values and deprecated keys are reported; deprecated keys are accepted and also add a warning
  // to `warnings`. Returns false on error.
  bool set(std::string_view key, std::string_view value, const SourceLocation& location,
           Diagnostics& diagnostics, std::vector<std::string>* warnings = nullptr);

  bool is_set(std::string_view key) const;
  // Typed getters; the key must be registered with that type (assertion otherwise). Unset keys
  // return Flink's default; a key without default asserts unless is_set — use the optional form.
  bool get_bool(std::string_view key) const;
  int64_t get_int(std::string_view key) const;
  double get_double(std::string_view key) const;
  sim::Duration get_duration(std::string_view key) const;
  int64_t get_size_bytes(std::string_view key) const;
  // Enumerations come back as the canonical lower-case spelling from the registry.
  std::string get_enum(std::string_view key) const;
  std::string get_string(std::string_view key) const;
  std::optional<std::string> get_optional_enum(std::string_view key) const;
  std::optional<sim::Duration> get_optional_duration(std::string_view key) const;

  // The explicitly set values, by canonical key, as normalized text.
  const std::map<std::string, std::string>& explicit_values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace flinksim::scenarios
