// flinksim: the command-line entry point. Each group of subcommands registers itself (see
// commands.h); this file only parses and maps every outcome to the exit codes of SCENARIOS.md:
// 0 ok, 1 an expectation failed, 2 bad input or usage, 3 liveness failure, 4 internal error,
// 5 a run stopped by --max-events or --max-wall, 130 a run interrupted by Ctrl-C.

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "scenarios/diagnostics.h"
#include "scenarios/version.h"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternalError = 4;

int run(int argc, char** argv) {
  CLI::App app{"flinksim: a deterministic simulator of Apache Flink's fault tolerance"};
  app.require_subcommand(1);
  // "flinksim 9da101e (models Apache Flink 1.20 / 2.0)": the commit, so any output can be traced
  // to the code that made it, and the Flink behaviour that code follows.
  app.set_version_flag("--version", std::string("flinksim ") +
                                        std::string(flinksim::scenarios::flinksim_version()) +
                                        " (models Apache Flink " +
                                        std::string(flinksim::scenarios::kModelledFlinkVersion) + ")");
  flinksim::cli::ExitCode exit_code;
  flinksim::cli::register_graph_commands(app, exit_code);
  flinksim::cli::register_scenario_commands(app, exit_code);
  flinksim::cli::register_run_commands(app, exit_code);
  flinksim::cli::register_report_commands(app, exit_code);
  flinksim::cli::register_help_commands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0; everything else is a usage error.
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }
  return exit_code.value;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const flinksim::scenarios::InputError& e) {
    std::cerr << e.diagnostics().format();
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kExitInternalError;
  } catch (...) {
    std::cerr << "internal error: unknown exception\n";
    return kExitInternalError;
  }
}
