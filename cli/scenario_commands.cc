// `validate` and `config`: checking scenario files and listing the Flink configuration registry.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "scenarios/flink_config_registry.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::cli {

namespace {

constexpr int kExitBadInput = 2;

struct ValidateOptions {
  std::vector<std::string> files;
  std::vector<std::string> conf;
  std::string strategy;
};

// Loads one file (and the overrides, if any); prints "FILE: ok" or every diagnostic.
bool validate_file(const std::string& file, const ValidateOptions& options) {
  scenarios::Diagnostics diagnostics;
  std::optional<scenarios::ScenarioSpec> spec = scenarios::load_scenario(file, diagnostics);
  if (spec && (!options.conf.empty() || !options.strategy.empty())) {
    scenarios::ScenarioOverrides overrides;
    overrides.conf = options.conf;
    if (!options.strategy.empty()) overrides.strategy = options.strategy;
    spec = scenarios::apply_overrides(*spec, overrides, diagnostics);
  }
  if (!spec) {
    std::cerr << diagnostics.format();
    return false;
  }
  for (const std::string& warning : spec->warnings) std::cerr << warning << "\n";
  std::cout << file << ": ok\n";
  return true;
}

void register_validate(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* command = app.add_subcommand(
      "validate", "Load and check scenario files; print every error with file:line:col");
  command->add_option("files", options->files, "Scenario files (YAML)")->required();
  command->add_option("--conf", options->conf, "Also apply a Flink configuration override KEY=VALUE");
  command->add_option("--strategy", options->strategy,
                      "Also apply a failover strategy: full, region or approximate");
  command->footer("Example: flinksim validate scenarios/library/*.yaml");
  command->callback([options, &exit_code] {
    bool all_ok = true;
    for (const std::string& file : options->files) all_ok = validate_file(file, *options) && all_ok;
    if (!all_ok) exit_code.value = kExitBadInput;
  });
}

nlohmann::json option_json(const scenarios::ConfigOptionSpec& option) {
  nlohmann::json out;
  out["key"] = option.key;
  out["type"] = std::string(scenarios::option_type_name(option.type));
  out["default"] = option.default_value.empty() ? nlohmann::json(nullptr)
                                                : nlohmann::json(option.default_value);
  out["description"] = option.description;
  out["deprecated_keys"] = option.deprecated_keys;
  if (option.type == scenarios::OptionType::enumeration) {
    out["values"] = option.enum_values;
    out["aliases"] = scenarios::config_enum_aliases(option.key);
  }
  const std::vector<std::string>& fallbacks = scenarios::config_fallback_keys(option.key);
  if (!fallbacks.empty()) out["fallback_keys"] = fallbacks;
  return out;
}

void print_option_text(const scenarios::ConfigOptionSpec& option) {
  std::cout << option.key << "\n";
  std::cout << "    type: " << scenarios::option_type_name(option.type)
            << "    default: " << (option.default_value.empty() ? "(none)" : option.default_value)
            << "\n";
  if (option.type == scenarios::OptionType::enumeration) {
    std::cout << "    values:";
    for (const std::string& value : option.enum_values) std::cout << " " << value;
    for (const std::string& alias : scenarios::config_enum_aliases(option.key)) {
      std::cout << " (" << alias.substr(0, alias.find('=')) << " = "
                << alias.substr(alias.find('=') + 1) << ")";
    }
    std::cout << "\n";
  }
  for (const std::string& old_key : option.deprecated_keys) {
    std::cout << "    deprecated key: " << old_key << "\n";
  }
  for (const std::string& fallback : scenarios::config_fallback_keys(option.key)) {
    std::cout << "    falls back to: " << fallback << "\n";
  }
  std::cout << "    " << option.description << "\n\n";
}

void register_config(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand(
      "config", "List every supported Flink configuration key with type, default and description");
  command->add_flag("--json", *json, "Print JSON: {\"options\": [...]}");
  command->footer("Example: flinksim config --json");
  command->callback([json] {
    const std::vector<scenarios::ConfigOptionSpec>& registry = scenarios::config_registry();
    if (*json) {
      nlohmann::json options = nlohmann::json::array();
      for (const scenarios::ConfigOptionSpec& option : registry) options.push_back(option_json(option));
      std::cout << nlohmann::json{{"options", options}}.dump(2) << "\n";
      return;
    }
    for (const scenarios::ConfigOptionSpec& option : registry) print_option_text(option);
  });
}

}  // namespace

void register_scenario_commands(CLI::App& app, ExitCode& exit_code) {
  register_validate(app, exit_code);
  register_config(app);
}

}  // namespace flinksim::cli
