#include "reports/graphviz_svg.h"

#include <filesystem>
#include <fstream>

#include "reports/subprocess.h"

namespace flinksim::reports {
namespace {

// A DOT identifier in double quotes, as graph::to_dot writes task names.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

std::optional<Graphviz> Graphviz::find(const EnvironmentLookup& environment, std::string& reason) {
  const std::optional<std::string> program =
      find_program(environment, "FLINKSIM_DOT", "dot", "install graphviz", reason);
  if (!program) return std::nullopt;
  return Graphviz(*program);
}

SvgResult Graphviz::render(const std::string& dot) const {
  const TemporaryDirectory directory;
  if (directory.path().empty()) return {"", "cannot create a temporary directory"};
  const std::filesystem::path base(directory.path());
  std::ofstream(base / "graph.dot", std::ios::binary) << dot;
  const int status = spawn_and_wait({program_, "-Tsvg", (base / "graph.dot").string(), "-o",
                                     (base / "graph.svg").string()},
                                    (base / "stderr.txt").string());
  const std::string svg = read_whole_file((base / "graph.svg").string());
  const size_t start = svg.find("<svg");
  if (status != 0 || start == std::string::npos) {
    const std::string errors = first_lines(read_whole_file((base / "stderr.txt").string()), 3);
    return {"", "dot failed (exit status " + std::to_string(status) + ")" + (errors.empty() ? "" : ": " + errors)};
  }
  return {svg.substr(start), ""};
}

std::string mark_tasks(const std::string& dot, const std::set<std::string>& failed,
                       const std::set<std::string>& restarted) {
  const size_t end = dot.rfind('}');
  if (end == std::string::npos) return dot;
  // A node statement naming an existing node changes its attributes and leaves it in its cluster.
  std::string marks;
  for (const std::string& task : restarted) {
    if (!failed.contains(task)) marks += "  " + quoted(task) + " [color=\"#e66101\", penwidth=3];\n";
  }
  for (const std::string& task : failed) {
    marks += "  " + quoted(task) + " [color=\"#b2182b\", penwidth=3, peripheries=2];\n";
  }
  return dot.substr(0, end) + marks + dot.substr(end);
}

}  // namespace flinksim::reports
