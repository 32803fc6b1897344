#pragma once

// The job graph of a report as an SVG drawn by Graphviz's `dot` (a subprocess, no shell): the
// DOT text of model/graph/graphviz.h, with the tasks that failed and those restarted marked.

#include <optional>
#include <set>
#include <string>

#include "reports/gnuplot.h"  // SvgResult
#include "reports/shard.h"    // EnvironmentLookup

namespace flinksim::reports {

class Graphviz {
 public:
  // FLINKSIM_DOT when set (a path; empty switches graphs off), else `dot` on PATH. When there is
  // none, `reason` says so in a sentence the report prints instead of the graph.
  static std::optional<Graphviz> find(const EnvironmentLookup& environment, std::string& reason);

  explicit Graphviz(std::string program) : program_(std::move(program)) {}
  SvgResult render(const std::string& dot) const;

 private:
  std::string program_;
};

// `dot` with every failed task drawn with a double red border and every restarted one with a
// thick orange border; the fill colour (the pipelined region) is kept.
std::string mark_tasks(const std::string& dot, const std::set<std::string>& failed,
                       const std::set<std::string>& restarted);

}  // namespace flinksim::reports
