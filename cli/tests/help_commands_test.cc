// Goal: every metric a run reports is defined once, and the same definitions are in the docs;
// the shell completion knows every command. Method: the built binary's `help metrics`, the
// keys of a real `run --json`, docs/metrics.md, and the completion script run in bash.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/tests/cli_test_support.h"

namespace {

using flinksim::cli::testing::read_all;
using flinksim::cli::testing::run_flinksim;

TEST(HelpMetrics, EveryRecoveryAndVerdictKeyOfRunJsonIsDefined) {
  const std::string scenario = std::string(FLINKSIM_SOURCE_DIR) + "/scenarios/library/keyed-window-at-least-once-tm-kill.yaml";
  const auto run = nlohmann::json::parse(run_flinksim("run '" + scenario + "' --json").out);
  const std::string help = run_flinksim("help metrics").out;
  for (const std::string object : {"recovery", "exactly_once"}) {
    ASSERT_TRUE(run[object].is_object()) << object;
    for (const auto& [key, value] : run[object].items()) {
      EXPECT_NE(help.find(object + "." + key), std::string::npos) << object << "." << key << " is not defined";
    }
  }
  for (const std::string key : {"final_status", "finished_at_ms", "checkpoints.restored_from",
                                "series.committed_output_rate", "failovers[].restore_ms"}) {
    EXPECT_NE(help.find(key), std::string::npos) << key;
  }
}

TEST(HelpMetrics, TheDocsHoldTheDefinitionsTheCommandPrints) {
  const std::string markdown = run_flinksim("help metrics --markdown").out;
  ASSERT_NE(markdown.find("- **downtime** (`recovery.downtime_ms`):"), std::string::npos) << markdown;
  const std::string docs = read_all(std::string(FLINKSIM_SOURCE_DIR) + "/docs/metrics.md");
  EXPECT_NE(docs.find(markdown), std::string::npos)
      << "docs/metrics.md is stale: regenerate it with flinksim help metrics --markdown";
}

// The subcommands `flinksim --help` lists, from its "Subcommands:" section.
std::vector<std::string> listed_subcommands() {
  std::istringstream lines(run_flinksim("--help").out);
  std::vector<std::string> names;
  bool in_section = false;
  for (std::string line; std::getline(lines, line);) {
    if (line == "Subcommands:") in_section = true;
    std::istringstream words(line);
    std::string name;
    if (in_section && line.rfind("  ", 0) == 0 && words >> name) names.push_back(name);
  }
  return names;
}

// What bash completes for the words typed so far (the last one being completed), with the
// script `flinksim completion bash` printed.
std::string completed(const std::string& words) {
  const std::string script = flinksim::cli::testing::temp_path("completion.bash");
  std::ofstream(script) << run_flinksim("completion bash").out;
  const std::string command = "bash -c 'source \"" + script + "\"; COMP_WORDS=(" + words +
                              "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _flinksim; echo \"${COMPREPLY[*]}\"'";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer{};
  for (size_t n = 0; (n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) out.append(buffer.data(), n);
  pclose(pipe);
  return out;
}

TEST(Completion, TheBashScriptNamesEverySubcommandAndCompletesOptions) {
  const std::vector<std::string> subcommands = listed_subcommands();
  ASSERT_GE(subcommands.size(), 13u);
  const std::string script = run_flinksim("completion bash").out;
  for (const std::string& name : subcommands) {
    EXPECT_NE(script.find("    " + name + ") options="), std::string::npos) << name;
  }
  EXPECT_EQ(completed("flinksim ru"), "run\n");
  EXPECT_EQ(completed("flinksim compare x.yaml --strat"), "--strategies --strategy\n");
  EXPECT_EQ(completed("flinksim help m"), "metrics\n");
}

}  // namespace
