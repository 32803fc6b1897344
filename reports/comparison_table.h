#pragma once

// The side-by-side table `flinksim compare` prints: one column per strategy (group), one row per
// question a user asks — did it finish, did the expectations hold, how many tasks restarted, how
// long recovery and downtime were, what was replayed, lost or duplicated, was it exactly-once.
// With several seeds a cell shows "median (min-max)"; "n/a" where no run has a value (the metric
// is not computed yet, e.g. exactly-once before the data plane exists).

#include <span>
#include <string>
#include <vector>

#include "reports/run_groups.h"

namespace flinksim::reports {

struct TableRow {
  std::string title;
  std::vector<std::string> cells;  // one per group
};

// The rows of the comparison: runs, final status, expectations hold, every report metric as
// "median (min-max)", exactly-once.
std::vector<TableRow> comparison_rows(std::span<const RunGroup> groups);
// Every report metric as "min / median / p90 / max" ("n/a" without values); titles carry units.
std::vector<TableRow> distribution_rows(std::span<const RunGroup> groups);

// "n/a", "1153 ms", or "1153 ms (1100-1300)" for the values of one cell.
std::string format_cell(std::span<const int64_t> values, const std::string& unit);

std::string format_comparison_table(std::span<const RunGroup> groups);

}  // namespace flinksim::reports
