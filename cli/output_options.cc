#include "cli/output_options.h"

#include <CLI/CLI.hpp>

namespace flinksim::cli {

void add_output_flags(CLI::App& command, OutputOptions& options, const char* json_description) {
  command.add_flag("--json", options.json, json_description);
  add_quiet_flag(command, options.quiet);
}

void add_quiet_flag(CLI::App& command, bool& quiet) {
  command.add_flag("--quiet", quiet,
                   "print nothing on stdout: the exit code tells the outcome, errors still go to "
                   "stderr");
}

QuietScope::QuietScope(bool quiet) {
  if (quiet) saved_ = std::cout.rdbuf(&null_);
}

QuietScope::~QuietScope() {
  if (saved_ != nullptr) std::cout.rdbuf(saved_);
}

}  // namespace flinksim::cli
