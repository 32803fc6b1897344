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

std::string failover_line(const FailoverGroup& group) {
  const model::FailoverRecord& first = *group.first;
  const std::string origin = first.origin.empty() ? "" : first.origin + ": ";
  const std::string more =
      group.failovers == 1 ? "" : fmt::format(" and {} more", group.failovers - 1);
  return fmt::format("[{:>10}] {}{}{} failed: restart {} tasks after {} ms ({})",
                     sim::format_seconds(first.time), origin, first.failed_task, more,
                     group.tasks_restarted, first.delay.count_milliseconds(), first.cause);
}

}  // namespace flinksim::scenarios
