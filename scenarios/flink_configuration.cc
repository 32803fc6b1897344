#include "scenarios/flink_configuration.h"

#include "scenarios/flink_config_registry.h"
#include "scenarios/value_syntax.h"
#include "sim/assert.h"

namespace flinksim::scenarios {

namespace {

std::vector<std::string> all_keys() {
  std::vector<std::string> keys;
  for (const ConfigOptionSpec& option : config_registry()) keys.push_back(option.key);
  return keys;
}

const ConfigOptionSpec& registered(std::string_view key, OptionType type) {
  const ConfigOptionSpec* option = find_config_option(key);
  FLINKSIM_ASSERT_MSG(option != nullptr, "unregistered Flink key '" + std::string(key) + "'");
  FLINKSIM_ASSERT_MSG(option->type == type,
                      "Flink key '" + std::string(key) + "' is a " +
                          std::string(option_type_name(option->type)) + ", not a " +
                          std::string(option_type_name(type)));
  return *option;
}

// The text of `key`: its explicit value, else the first explicitly set fallback key, else
// Flink's default; nullopt when none of these exists.
std::optional<std::string> lookup(const std::map<std::string, std::string>& values,
                                  const ConfigOptionSpec& option) {
  if (const auto found = values.find(option.key); found != values.end()) return found->second;
  for (const std::string& fallback : config_fallback_keys(option.key)) {
    if (const auto found = values.find(fallback); found != values.end()) return found->second;
  }
  if (option.default_value.empty()) return std::nullopt;
  return option.default_value;
}

std::string required(const std::map<std::string, std::string>& values, std::string_view key,
                     OptionType type) {
  const ConfigOptionSpec& option = registered(key, type);
  const std::optional<std::string> text = lookup(values, option);
  FLINKSIM_ASSERT_MSG(text.has_value(),
                      "Flink key '" + option.key + "' has no default and is not set");
  return *text;
}

}  // namespace

bool FlinkConfiguration::set(std::string_view key, std::string_view value,
                             const SourceLocation& location, Diagnostics& diagnostics,
                             std::vector<std::string>* warnings) {
  const ConfigOptionSpec* option = find_config_option(key);
  if (option == nullptr) {
    const std::vector<std::string> keys = all_keys();
    diagnostics.error(location, "",
                      "unknown Flink configuration key '" + std::string(key) + "'" +
                          did_you_mean(key, keys));
    return false;
  }
  if (option->key != key && warnings != nullptr) {
    warnings->push_back("deprecated key '" + std::string(key) + "', use '" + option->key + "'");
  }
  const sim::Result<std::string> normalized = normalize_config_value(*option, value);
  if (!normalized.ok()) {
    diagnostics.error(location, "",
                      "invalid value for '" + option->key + "': " + normalized.error().message);
    return false;
  }
  values_[option->key] = normalized.value();
  return true;
}

bool FlinkConfiguration::is_set(std::string_view key) const {
  const ConfigOptionSpec* option = find_config_option(key);
  return option != nullptr && values_.count(option->key) > 0;
}

bool FlinkConfiguration::get_bool(std::string_view key) const {
  return parse_boolean(required(values_, key, OptionType::boolean)).value();
}

int64_t FlinkConfiguration::get_int(std::string_view key) const {
  return parse_integer(required(values_, key, OptionType::integer), INT64_MIN, INT64_MAX).value();
}

double FlinkConfiguration::get_double(std::string_view key) const {
  return parse_floating(required(values_, key, OptionType::floating), -1e308, 1e308).value();
}

sim::Duration FlinkConfiguration::get_duration(std::string_view key) const {
  return sim::parse_duration(required(values_, key, OptionType::duration)).value();
}

int64_t FlinkConfiguration::get_size_bytes(std::string_view key) const {
  return parse_memory_size(required(values_, key, OptionType::size_bytes)).value();
}

std::string FlinkConfiguration::get_enum(std::string_view key) const {
  return required(values_, key, OptionType::enumeration);
}

std::string FlinkConfiguration::get_string(std::string_view key) const {
  return required(values_, key, OptionType::string);
}

std::optional<std::string> FlinkConfiguration::get_optional_enum(std::string_view key) const {
  return lookup(values_, registered(key, OptionType::enumeration));
}

std::optional<sim::Duration> FlinkConfiguration::get_optional_duration(std::string_view key) const {
  const std::optional<std::string> text = lookup(values_, registered(key, OptionType::duration));
  if (!text) return std::nullopt;
  return sim::parse_duration(*text).value();
}

}  // namespace flinksim::scenarios
