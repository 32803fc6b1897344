// `validate` and `config`: checking scenario files and listing the Flink configuration registry.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/output_options.h"
#include "scenarios/cluster_builder.h"
#include "scenarios/flink_config_registry.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::cli {

namespace {

constexpr int kExitBadInput = 2;

struct ValidateOptions {
  std::vector<std::string> files;
  std::vector<std::string> conf;
  std::string strategy;
  OutputOptions output;
};

nlohmann::json diagnostic_json(const scenarios::Diagnostic& diagnostic) {
  return {{"file", diagnostic.location.file},
          {"line", diagnostic.location.line},
          {"column", diagnostic.location.column},
          {"path", diagnostic.path},
          {"message", diagnostic.message}};
}

// {"file", "ok", "errors": [{file, line, column, path, message}], "warnings": ["FILE:L:C: ..."]}.
nlohmann::json validation_json(const std::string& file, const scenarios::Diagnostics& diagnostics,
                               const std::vector<std::string>& warnings) {
  nlohmann::json errors = nlohmann::json::array();
  for (const scenarios::Diagnostic& diagnostic : diagnostics.errors()) {
    errors.push_back(diagnostic_json(diagnostic));
  }
  return {{"file", file}, {"ok", diagnostics.empty()}, {"errors", errors}, {"warnings", warnings}};
}

// Loads one file (and the overrides, if any). Prints "FILE: ok" or every diagnostic, or with
// --json appends the file's entry to `json` (errors are then in the JSON, not on stderr).
bool validate_file(const std::string& file, const ValidateOptions& options, nlohmann::json& json) {
  scenarios::Diagnostics diagnostics;
  std::optional<scenarios::ScenarioSpec> spec = scenarios::load_scenario(file, diagnostics);
  if (spec && (!options.conf.empty() || !options.strategy.empty())) {
    scenarios::ScenarioOverrides overrides;
    overrides.conf = options.conf;
    if (!options.strategy.empty()) overrides.strategy = options.strategy;
    spec = scenarios::apply_overrides(*spec, overrides, diagnostics);
  }
  const std::vector<std::string> warnings = spec ? spec->warnings : std::vector<std::string>{};
  if (options.output.json) {
    json.push_back(validation_json(file, diagnostics, warnings));
    return spec.has_value();
  }
  if (!spec) {
    std::cerr << diagnostics.format();
    return false;
  }
  for (const std::string& warning : warnings) std::cerr << warning << "\n";
  std::cout << file << ": ok\n";
  return true;
}

void register_validate(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* command = app.add_subcommand(
      "validate", "Load and check scenario files; print every error with file:line:col");
  command->add_option("files", options->files, "Scenario files (YAML)")->required();
  command->add_option("--conf", options->conf, "Also apply a Flink configuration override KEY=VALUE");
  command->add_option("--strategies,--strategy", options->strategy,
                      "Also apply a failover strategy: full, region or approximate");
  add_output_flags(*command, options->output,
                   "Print {\"files\": [{\"file\", \"ok\", \"errors\": [{file, line, column, path, "
                   "message}], \"warnings\"}]}");
  command->footer(
      "Examples:\n"
      "  flinksim validate scenarios/library/*.yaml\n"
      "  flinksim validate my.yaml --conf heartbeat.timeout=10s --strategy approximate\n"
      "Errors are printed as FILE:LINE:COL: error: MESSAGE in 'PATH'; exit code 2 if any file has "
      "one. Warnings (deprecated Flink keys) go to stderr and do not fail.");
  command->callback([options, &exit_code] {
    const QuietScope quiet(options->output.quiet);
    bool all_ok = true;
    nlohmann::json files = nlohmann::json::array();
    for (const std::string& file : options->files) {
      all_ok = validate_file(file, *options, files) && all_ok;
    }
    if (options->output.json) std::cout << nlohmann::json{{"files", files}}.dump(2) << "\n";
    if (!all_ok) exit_code.value = kExitBadInput;
  });
}

// Whether the model acts on the key or only checks and records it.
std::string status_text(const scenarios::ConfigOptionSpec& option) {
  return scenarios::is_simulated_config_key(option.key) ? "simulated" : "accepted, not simulated";
}

nlohmann::json option_json(const scenarios::ConfigOptionSpec& option) {
  nlohmann::json out;
  out["key"] = option.key;
  out["type"] = std::string(scenarios::option_type_name(option.type));
  out["default"] = option.default_value.empty() ? nlohmann::json(nullptr)
                                                : nlohmann::json(option.default_value);
  out["description"] = option.description;
  out["deprecated_keys"] = option.deprecated_keys;
  out["simulated"] = scenarios::is_simulated_config_key(option.key);
  out["status"] = status_text(option);
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
            << "    " << status_text(option) << "\n";
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

// docs/configuration.md is this output, so the documentation cannot drift from the registry.
void print_markdown(const std::vector<scenarios::ConfigOptionSpec>& registry) {
  std::cout << "# Flink configuration keys\n\n"
               "Generated by `flinksim config --markdown`; do not edit by hand. Keys, types and "
               "defaults are Flink's (from its ConfigOptions classes, such as "
               "HeartbeatManagerOptions and RestartStrategyOptions); set them under `config:` in a scenario or with `--conf KEY=VALUE`. "
               "Enum values are case-insensitive, `-` and `_` are interchangeable, and the "
               "canonical spelling is listed first. Durations use Flink's syntax (`10 s`, "
               "`500ms`, a bare number is milliseconds); memory sizes use Flink's MemorySize "
               "syntax (`32 kb`, a bare number is bytes). Deprecated keys are accepted with a "
               "warning. The status column says whether the simulation acts on a key "
               "(simulated) or only checks and records it (accepted, not simulated).\n\n"
               "| key | type | default | status | description |\n|---|---|---|---|---|\n";
  for (const scenarios::ConfigOptionSpec& option : registry) {
    std::string type(scenarios::option_type_name(option.type));
    if (option.type == scenarios::OptionType::enumeration) {
      type += ": ";
      for (size_t i = 0; i < option.enum_values.size(); ++i) {
        type += (i == 0 ? "`" : ", `") + option.enum_values[i] + "`";
      }
      for (const std::string& alias : scenarios::config_enum_aliases(option.key)) {
        type += " (`" + alias.substr(0, alias.find('=')) + "` = `" +
                alias.substr(alias.find('=') + 1) + "`)";
      }
    }
    std::string description = option.description;
    for (const std::string& old_key : option.deprecated_keys) {
      description += " Deprecated key: `" + old_key + "`.";
    }
    for (const std::string& fallback : scenarios::config_fallback_keys(option.key)) {
      description += " Falls back to `" + fallback + "`.";
    }
    std::cout << "| `" << option.key << "` | " << type << " | "
              << (option.default_value.empty() ? "(none)" : "`" + option.default_value + "`")
              << " | " << status_text(option) << " | " << description << " |\n";
  }
}

void register_config(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  auto quiet = std::make_shared<bool>(false);
  auto markdown = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand(
      "config", "List every supported Flink configuration key with type, default and description");
  command->add_flag("--json", *json, "Print JSON: {\"options\": [...]}");
  command->add_flag("--markdown", *markdown, "Print the Markdown table of docs/configuration.md");
  add_quiet_flag(*command, *quiet);
  command->footer(
      "Examples:\n"
      "  flinksim config                 every key with type, default, status, deprecated keys\n"
      "  flinksim config --json | jq '.options[] | select(.simulated)'\n"
      "  flinksim config --markdown > docs/configuration.md");
  command->callback([json, markdown, quiet] {
    const QuietScope quiet_scope(*quiet);
    const std::vector<scenarios::ConfigOptionSpec>& registry = scenarios::config_registry();
    if (*markdown) {
      print_markdown(registry);
      return;
    }
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
