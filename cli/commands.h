#pragma once

// Each group of subcommands registers itself on the CLI11 application. A command's callback
// stores its exit code in `exit_code` (0 ok, 1 expectation failed, 2 bad input, 3 liveness).

namespace CLI {
class App;
}

namespace flinksim::cli {

struct ExitCode {
  int value = 0;
};

// regions, failover, backoff, graph
void register_graph_commands(CLI::App& app, ExitCode& exit_code);
// validate, config
void register_scenario_commands(CLI::App& app, ExitCode& exit_code);
// run, compare (and later sweep, merge, report)
void register_run_commands(CLI::App& app, ExitCode& exit_code);
// compare, sweep, merge, report
void register_report_commands(CLI::App& app, ExitCode& exit_code);
// help metrics, completion bash
void register_help_commands(CLI::App& app, ExitCode& exit_code);

}  // namespace flinksim::cli
