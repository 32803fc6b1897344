#include "scenarios/failover_groups.h"

#include <fmt/format.h>

namespace flinksim::scenarios {
namespace {

bool same_cause(const model::FailoverRecord& a, const model::FailoverRecord& b) {
  return a.time == b.time && a.cause == b.cause && a.origin == b.origin && a.delay == b.delay;
}

}  // namespace

std::vector<FailoverGroup> group_failovers(const std::vector<model::FailoverRecord>& log) {
  std::vector<FailoverGroup> groups;
  for (const model::FailoverRecord& record : log) {
    if (groups.empty() || !same_cause(*groups.back().first, record)) groups.push_back({&record});
    ++groups.back().failovers;
    groups.back().tasks_restarted += record.restarted_tasks.size();
  }
  return groups;
}

// "source:2 and 1 more failed", or "global failover" when no task failed (a checkpoint failure
// beyond the tolerable ones, a new JobManager leader recovering the job).
std::string what_failed(const FailoverGroup& group) {
  const model::FailoverRecord& first = *group.first;
  if (first.failed_task == "global") return "global failover";
  const std::string more =
      group.failovers == 1 ? "" : fmt::format(" and {} more", group.failovers - 1);
  return first.failed_task + more + " failed";
}

std::string failover_line(const FailoverGroup& group) {
  const model::FailoverRecord& first = *group.first;
  const std::string origin = first.origin.empty() ? "" : first.origin + ": ";
  return fmt::format("[{:>10}] {}{}: restart {} tasks after {} ms ({})", sim::format_seconds(first.time),
                     origin, what_failed(group), group.tasks_restarted, first.delay.count_milliseconds(),
                     first.cause);
}

}  // namespace flinksim::scenarios
