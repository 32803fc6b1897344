#include "reports/gnuplot.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace flinksim::reports {
namespace {

namespace fs = std::filesystem;

// A directory of our own, removed with everything in it when this goes out of scope.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string base = fs::temp_directory_path().string();
    if (gnuplot_text(base) != base) base = "/tmp";  // it will be quoted in a script
    std::string pattern = base + "/flinksim-chart-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool is_executable(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

// Exit status of `program script`, stdout discarded, stderr into `error_file`; -1 if it could not
// be started.
int spawn_and_wait(const std::string& program, const std::string& script, const std::string& error_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, error_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string argument0 = program;
  std::string argument1 = script;
  char* argv[] = {argument0.data(), argument1.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string first_lines(const std::string& text, size_t count) {
  std::string out;
  std::istringstream lines(text);
  std::string line;
  while (count-- > 0 && std::getline(lines, line)) out += (out.empty() ? "" : " ") + line;
  return out;
}

}  // namespace

std::optional<Gnuplot> Gnuplot::find(const EnvironmentLookup& environment, std::string& reason) {
  if (const std::optional<std::string> configured = environment("FLINKSIM_GNUPLOT")) {
    if (configured->empty()) {
      reason = "charts are switched off (FLINKSIM_GNUPLOT is set and empty)";
      return std::nullopt;
    }
    if (!is_executable(*configured)) {
      reason = "FLINKSIM_GNUPLOT=" + *configured + " is not an executable file";
      return std::nullopt;
    }
    return Gnuplot(*configured);
  }
  const std::string path = environment("PATH").value_or("");
  std::istringstream directories(path);
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    if (directory.empty()) continue;
    const fs::path candidate = fs::path(directory) / "gnuplot";
    if (is_executable(candidate)) return Gnuplot(candidate.string());
  }
  reason = "gnuplot was not found on PATH (install gnuplot-nox, or set FLINKSIM_GNUPLOT to its path)";
  return std::nullopt;
}

SvgResult Gnuplot::render(std::string_view script, const std::vector<DataFile>& data) const {
  const TemporaryDirectory directory;
  if (directory.path().empty()) return {"", "cannot create a temporary directory"};
  const fs::path base(directory.path());
  for (const DataFile& file : data) std::ofstream(base / file.name, std::ios::binary) << file.text;
  std::ofstream(base / "chart.gp", std::ios::binary)
      << "cd '" << directory.path() << "'\n"
      << "set terminal svg size 720,400 dynamic noenhanced font 'sans,12' background rgb 'white'\n"
      << "set output 'chart.svg'\n"
      << script << "\nset output\n";
  const int status = spawn_and_wait(program_, (base / "chart.gp").string(), (base / "stderr.txt").string());
  const std::string svg = read_file(base / "chart.svg");
  const size_t start = svg.find("<svg");
  if (status != 0 || start == std::string::npos) {
    const std::string errors = first_lines(read_file(base / "stderr.txt"), 3);
    return {"", "gnuplot failed (exit status " + std::to_string(status) + ")" +
                    (errors.empty() ? "" : ": " + errors)};
  }
  return {svg.substr(start), ""};
}

std::string gnuplot_text(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view(" _.,:=/+()-").find(c) != std::string_view::npos;
    out += plain ? c : '_';
  }
  return out;
}

}  // namespace flinksim::reports
