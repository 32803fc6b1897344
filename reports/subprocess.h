#pragma once

// What the chart and graph renderers share: a private temporary directory, and a program run on
// files in it as a subprocess (posix_spawn, no shell, stdin and stdout closed).

#include <optional>
#include <string>
#include <vector>

#include "reports/shard.h"  // EnvironmentLookup

namespace flinksim::reports {

// A directory of our own, removed with everything in it when this goes out of scope; path() is
// empty when it could not be created.
class TemporaryDirectory {
 public:
  TemporaryDirectory();
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string read_whole_file(const std::string& path);
bool is_executable(const std::string& path);

// Exit status of `arguments` (the program first), stderr into `error_file`; -1 if it could not
// be started or did not exit.
int spawn_and_wait(const std::vector<std::string>& arguments, const std::string& error_file);

// The program named by the environment variable `variable` when set (empty: switched off), else
// `name` on PATH. When there is none, `reason` says why in a sentence; `install_hint` ends it.
std::optional<std::string> find_program(const EnvironmentLookup& environment, const std::string& variable,
                                        const std::string& name, const std::string& install_hint,
                                        std::string& reason);

// The first `count` lines of `text` joined by spaces: a subprocess's error, for a report note.
std::string first_lines(const std::string& text, size_t count);

}  // namespace flinksim::reports
