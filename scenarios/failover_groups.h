#pragma once

// The failovers of a run as a summary lists them: one line per cause, not per task. A lost
// TaskManager fails every task it ran at one instant, and Flink's scheduler handles each as a
// failure of its own (DefaultScheduler#handleTaskFailure: one failover per pipelined region),
// so a region job that loses a TaskManager of 12 tasks makes 12 failovers with one cause.

#include <string>
#include <vector>

#include "model/cluster.h"

namespace flinksim::scenarios {

// Consecutive failovers at one instant with one cause and one restart delay; points into the
// log it was grouped from, which must outlive it.
struct FailoverGroup {
  const model::FailoverRecord* first = nullptr;
  size_t failovers = 0;
  size_t tasks_restarted = 0;  // summed over the group, as the run's tasks_restarted
};

std::vector<FailoverGroup> group_failovers(const std::vector<model::FailoverRecord>& log);

// "[    40.002s] taskmanager-1 lost (unreachable): source:2 and 1 more failed: restart 4 tasks
// after 10000 ms (TaskManager with id taskmanager-1 is no longer reachable.)" — Flink's message
// last, as its exception history shows it.
std::string failover_line(const FailoverGroup& group);

}  // namespace flinksim::scenarios
