// Goal: the always-on invariant monitor flags a reused or decreasing checkpoint id and a commit
// of an older leadership after a newer one, and nothing else. Method: hand-made trace events.
#include "model/invariant_monitor.h"

#include <gtest/gtest.h>

namespace flinksim::model {
namespace {

sim::TraceEvent event(int64_t ms, std::string component, std::string kind, std::string detail) {
  return {sim::Instant::zero() + sim::Duration::milliseconds(ms), std::move(component),
          std::move(kind), std::move(detail)};
}

TEST(InvariantMonitor, CompletedCheckpointIdsMustStrictlyIncrease) {
  InvariantMonitor monitor;
  EXPECT_FALSE(monitor.on_event(event(600, "checkpoint-coordinator", "checkpoint-completed", "id=1")));
  EXPECT_FALSE(monitor.on_event(event(900, "checkpoint-coordinator", "checkpoint-failed", "id=2 X")));
  EXPECT_FALSE(monitor.on_event(event(1600, "checkpoint-coordinator", "checkpoint-completed", "id=3")));
  const std::optional<std::string> reused =
      monitor.on_event(event(2600, "checkpoint-coordinator", "checkpoint-completed", "id=3"));
  ASSERT_TRUE(reused.has_value());
  EXPECT_EQ(*reused,
            "checkpoint 3 completed after checkpoint 3 at 2.600s (checkpoint-coordinator "
            "checkpoint-completed id=3)");
  // Only the first violation is reported; it stays.
  EXPECT_FALSE(monitor.on_event(event(2700, "checkpoint-coordinator", "checkpoint-completed", "id=2")));
  EXPECT_EQ(monitor.violation(), reused);
}

TEST(InvariantMonitor, CommitsMayMoveOnlyToANewerLeadership) {
  InvariantMonitor monitor;
  EXPECT_FALSE(monitor.on_event(event(5000, "sink-store", "commit leader changed", "leader session 1 -> 2")));
  const std::optional<std::string> back =
      monitor.on_event(event(6000, "sink-store", "commit leader changed", "leader session 2 -> 1"));
  ASSERT_TRUE(back.has_value());
  EXPECT_NE(back->find("a commit of leader session 1 after one of session 2"), std::string::npos) << *back;
}

}  // namespace
}  // namespace flinksim::model
