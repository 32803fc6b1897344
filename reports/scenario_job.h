#pragma once

// Runs one job of a sweep plan through the scenario runner and turns the result into the row the
// results store keeps. Safe to call from several threads at once: each call builds its own
// simulation from a copy of the variant's spec (see docs/sweeps.md on determinism).

#include <string>

#include "reports/run_record.h"
#include "reports/sweep_plan.h"

namespace flinksim::reports {

// The commit this binary was built from (`git describe`, or "unknown").
std::string build_commit();

RunRecord run_sweep_job(const SweepPlan& plan, const SweepJob& job);

}  // namespace flinksim::reports
