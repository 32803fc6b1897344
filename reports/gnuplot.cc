#include "reports/gnuplot.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/subprocess.h"

namespace flinksim::reports {

namespace fs = std::filesystem;

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
    if (is_executable(candidate.string())) return Gnuplot(candidate.string());
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
  const int status = spawn_and_wait({program_, (base / "chart.gp").string()}, (base / "stderr.txt").string());
  const std::string svg = read_whole_file((base / "chart.svg").string());
  const size_t start = svg.find("<svg");
  if (status != 0 || start == std::string::npos) {
    const std::string errors = first_lines(read_whole_file((base / "stderr.txt").string()), 3);
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
