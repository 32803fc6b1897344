#pragma once

// Draws charts with gnuplot, run as a subprocess (posix_spawn, no shell) on a script file in a
// private temporary directory. The scripts come from charts.cc; any text taken from a database
// (strategy names, keys) is sanitized before it enters a script (see gnuplot_text).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/shard.h"  // EnvironmentLookup

namespace flinksim::reports {

struct SvgResult {
  std::string svg;    // the chart, starting at "<svg"; empty on failure
  std::string error;  // why it failed; empty on success
};

// A named data file handed to a script: the script reads it by this relative name.
struct DataFile {
  std::string name;
  std::string text;
};

class Gnuplot {
 public:
  // FLINKSIM_GNUPLOT when set (a path; empty disables charts), else `gnuplot` on PATH. When
  // there is none, `reason` says so in a sentence the report prints.
  static std::optional<Gnuplot> find(const EnvironmentLookup& environment, std::string& reason);

  explicit Gnuplot(std::string program) : program_(std::move(program)) {}
  const std::string& program() const { return program_; }

  // Runs `script` (everything after the terminal and output settings) with `data` beside it and
  // returns the SVG it drew.
  SvgResult render(std::string_view script, const std::vector<DataFile>& data) const;

 private:
  std::string program_;
};

// Text safe inside a single-quoted gnuplot string: letters, digits and " _.,:=/+()-" are kept,
// anything else becomes '_'.
std::string gnuplot_text(std::string_view text);

}  // namespace flinksim::reports
