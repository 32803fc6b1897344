#include "reports/subprocess.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/gnuplot.h"

extern char** environ;

namespace flinksim::reports {

namespace fs = std::filesystem;

TemporaryDirectory::TemporaryDirectory() {
  std::string base = fs::temp_directory_path().string();
  if (gnuplot_text(base) != base) base = "/tmp";  // it will be quoted in a gnuplot script
  std::string pattern = base + "/flinksim-chart-XXXXXX";
  if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  if (!path_.empty()) fs::remove_all(path_, ignored);
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool is_executable(const std::string& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

int spawn_and_wait(const std::vector<std::string>& arguments, const std::string& error_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, error_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> copies = arguments;
  std::vector<char*> argv;
  for (std::string& argument : copies) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, copies.front().c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::optional<std::string> find_program(const EnvironmentLookup& environment, const std::string& variable,
                                        const std::string& name, const std::string& install_hint,
                                        std::string& reason) {
  if (const std::optional<std::string> configured = environment(variable)) {
    if (configured->empty()) {
      reason = "switched off (" + variable + " is set and empty)";
      return std::nullopt;
    }
    if (is_executable(*configured)) return *configured;
    reason = variable + "=" + *configured + " is not an executable file";
    return std::nullopt;
  }
  std::istringstream directories(environment("PATH").value_or(""));
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    if (directory.empty()) continue;
    const std::string candidate = (fs::path(directory) / name).string();
    if (is_executable(candidate)) return candidate;
  }
  reason = name + " was not found on PATH (" + install_hint + ", or set " + variable + " to its path)";
  return std::nullopt;
}

std::string first_lines(const std::string& text, size_t count) {
  std::string out;
  std::istringstream lines(text);
  std::string line;
  while (count-- > 0 && std::getline(lines, line)) out += (out.empty() ? "" : " ") + line;
  return out;
}

}  // namespace flinksim::reports
