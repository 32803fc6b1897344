#pragma once

// The charts of a comparison report, drawn by gnuplot from the runs of one scenario:
//   recovery-time  box plot of recovery time across seeds, one box per strategy (and varied value);
//   tasks-restarted  box plot of tasks restarted across seeds per strategy;
//   vary-recovery-time, vary-downtime  median over seeds against the varied value, one curve per
//     strategy (only for sweeps with --vary); durations on a log scale labelled as written;
//   timeline  one seed over virtual time per strategy: committed output rate when the runs carry
//     that series, otherwise tasks restarted so far; failovers marked by dashed lines, fault
//     windows shaded, one line style per strategy so that overlapping lines stay visible.
// A chart that has no data is left out with a note saying why; a box plot whose every group has
// one value in every seed is said to be identical instead of drawn flat.

#include <span>
#include <string>
#include <vector>

#include "reports/gnuplot.h"
#include "reports/run_groups.h"

namespace flinksim::reports {

struct Chart {
  std::string name;   // file stem: "recovery-time"
  std::string title;  // caption
  std::string svg;
};

struct ChartSet {
  std::vector<Chart> charts;
  std::vector<std::string> notes;  // charts left out, and why
  // Box plots left out because every seed gave the same value: a sentence with the values.
  std::vector<std::string> identical;
};

// `groups` are the groups of one scenario.
ChartSet draw_charts(const Gnuplot& gnuplot, std::span<const RunGroup> groups);

}  // namespace flinksim::reports
