#pragma once

// What the CLI tests share: run the built flinksim through the shell and read what it printed,
// with files in a temporary directory no other test uses (ctest runs tests in parallel).

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace flinksim::cli::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_all(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

// A path in the temporary directory that no other test uses.
inline std::string temp_path(const std::string& name) {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + test->test_suite_name() + "." + test->name() + "." + name;
}

// Runs `PREFIX 'flinksim' ARGUMENTS 2>ERR_PATH` through the shell (PREFIX: environment
// assignments or a `timeout` command; ARGUMENTS already shell-quoted where needed).
inline CommandResult run_command(const std::string& prefix, const std::string& arguments,
                                 const std::string& err_path) {
  const std::string command = prefix + " '" + FLINKSIM_BINARY + "' " + arguments + " 2>'" + err_path + "'";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t count = 0;
  while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), count);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = read_all(err_path);
  return result;
}

inline CommandResult run_flinksim(const std::string& arguments) {
  return run_command("", arguments, temp_path("stderr.txt"));
}

}  // namespace flinksim::cli::testing
