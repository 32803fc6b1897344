#pragma once

// The verdict a report puts first, per strategy: did exactly-once hold, how many records were
// lost, duplicated or missing, how long the job was down and how many tasks restarted; and one
// sentence naming the strategy to choose and why. Runs without an exactly-once verdict (nothing
// committed in either run) count as "not checked", never as a pass.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "reports/run_groups.h"

namespace flinksim::reports {

enum class ExactlyOnce { held, violated, not_checked };

struct StrategyVerdict {
  std::string label;  // the group's label: "region"
  ExactlyOnce exactly_once = ExactlyOnce::not_checked;
  size_t runs = 0;
  size_t runs_checked = 0;   // runs with an exactly-once verdict
  size_t runs_violated = 0;  // of those, runs where it did not hold
  // Medians over the runs that have the value.
  std::optional<int64_t> records_lost;
  std::optional<int64_t> records_duplicated;
  std::optional<int64_t> records_missing;
  std::optional<int64_t> downtime_ms;
  std::optional<int64_t> tasks_restarted;
  std::optional<int64_t> tasks;  // tasks of the job, when the runs recorded it
};

StrategyVerdict verdict_of(const RunGroup& group);

// "held", "NO in 3 of 20 runs", "not checked", "held (2 not checked)".
std::string exactly_once_text(const StrategyVerdict& verdict);

// "1,204": counts are read at a glance.
std::string with_thousands(int64_t value);

// One sentence: the best verdict (exactly-once held before not checked before violated, then
// less downtime, then fewer tasks restarted) and how each other strategy compares, e.g.
// "region restarts 3 of 12 tasks and keeps exactly-once; approximate restarts 2 but loses 1,204
// records." Empty for no verdicts.
std::string winner_sentence(std::span<const StrategyVerdict> verdicts);

}  // namespace flinksim::reports
