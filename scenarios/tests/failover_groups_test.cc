// Goal: a summary names each cause once: the failovers one lost TaskManager makes at one instant
// are one line, and failovers that differ in time, cause or delay stay apart. Method: hand-built
// failover logs.
#include "scenarios/failover_groups.h"

#include <gtest/gtest.h>

namespace flinksim::scenarios {
namespace {

model::FailoverRecord failover(int64_t at_ms, const std::string& task, size_t restarted, const std::string& cause,
                               const std::string& origin = "") {
  model::FailoverRecord record;
  record.time = sim::Instant::zero() + sim::Duration::milliseconds(at_ms);
  record.failed_task = task;
  for (size_t i = 0; i < restarted; ++i) record.restarted_tasks.push_back(task + "/" + std::to_string(i));
  record.delay = sim::Duration::seconds(1);
  record.cause = cause;
  record.origin = origin;
  return record;
}

TEST(FailoverGroups, OneLostTaskManagerIsOneLineNamingTheFirstTaskAndCountingTheRest) {
  // 12 regions of 2 tasks each on taskmanager-2: 12 failovers, 24 tasks restarted, one line.
  std::vector<model::FailoverRecord> log;
  for (int i = 0; i < 12; ++i) {
    log.push_back(failover(130'002, "kafka-source:" + std::to_string(i + 2), 2,
                           "Heartbeat of TaskManager with id taskmanager-2 timed out.",
                           "taskmanager-2 lost (heartbeat timeout)"));
  }
  const std::vector<FailoverGroup> groups = group_failovers(log);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].failovers, 12u);
  EXPECT_EQ(failover_line(groups[0]),
            "[  130.002s] taskmanager-2 lost (heartbeat timeout): kafka-source:2 and 11 more failed: "
            "restart 24 tasks after 1000 ms (Heartbeat of TaskManager with id taskmanager-2 timed out.)");
}

TEST(FailoverGroups, ATasksOwnFailureKeepsItsLineAndOtherCausesOrTimesStayApart) {
  const std::vector<model::FailoverRecord> log{
      failover(9'001, "map:0", 3, "injected failure"),
      failover(9'001, "map:1", 3, "other failure"),                    // another cause
      failover(10'001, "map:1", 3, "other failure"),                   // another time
      failover(10'001, "map:2", 2, "other failure")};                  // grouped with the one before
  const std::vector<FailoverGroup> groups = group_failovers(log);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(failover_line(groups[0]), "[    9.001s] map:0 failed: restart 3 tasks after 1000 ms (injected failure)");
  EXPECT_EQ(groups[2].failovers, 2u);
  EXPECT_EQ(groups[2].tasks_restarted, 5u);
}

TEST(FailoverGroups, AGlobalFailoverSaysSoInsteadOfNamingATask) {
  // The groups point into the log, which must outlive them.
  const std::vector<model::FailoverRecord> log{failover(79'233, "global", 6, "a new JobManager leader recovered the job")};
  const std::vector<FailoverGroup> groups = group_failovers(log);
  EXPECT_EQ(failover_line(groups[0]),
            "[   79.233s] global failover: restart 6 tasks after 1000 ms (a new JobManager leader recovered the job)");
}

}  // namespace
}  // namespace flinksim::scenarios
