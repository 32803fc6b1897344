// Goal: a slow link (`slow: [A, B]`, SCENARIOS.md §2) is latency, not loss. Slower than the
// heartbeat timeout it costs the TaskManager exactly as a partition does, noticed by the missed
// heartbeat; slower than the heartbeat interval but within the timeout it costs nothing but time:
// checkpoints take the extra round trip, and the output stays exactly-once.
//
// Timeline arithmetic (1 ms network latency between hosts, heartbeat.interval 1 s, so the
// JobMaster asks its TaskManagers for heartbeats at 1 s, 2 s, 3 s, ... and the answer to the
// request of 1 s arrives at 1.002 s; heartbeat.timeout 3 s). The JobManager process hosts the
// ResourceManager and the JobMaster, so the link slows both.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "scenarios/runner.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::expect_finished_exactly_once;
using testing::load;
using testing::one_slot_job;
using testing::run_scenario_twice;

TEST(SlowLinkScenario, LatencyBeyondTheHeartbeatTimeoutLosesTheTaskManager) {
  // From 1.5 s the link takes 5.001 s each way: the request of 2 s reaches the TaskManager at
  // 7.001 s, far too late. The last answer the JobMaster had arrived at 1.002 s, so its
  // heartbeat monitor times out at 1.002 s + 3 s = 4.002 s and the tasks fail over then.
  const RunResult result = run_scenario_twice(load(one_slot_job(
      "slow-link",
      "  - {at: 1500 ms, slow: [jobmanager-0, taskmanager-0], latency: 5 s, for: 10 s}\n")));
  ASSERT_GE(result.run.metrics.failovers, 1);
  // Microseconds: the heartbeat messages' serialization adds nanoseconds.
  EXPECT_EQ(result.run.metrics.failover_log[0].time.nanoseconds_since_start() / 1000, 4'002'000);
  expect_finished_exactly_once(result);
  EXPECT_EQ(result.reference.metrics.failovers, 0);
}

TEST(SlowLinkScenario, LatencyWithinTheHeartbeatTimeoutOnlySlowsCheckpoints) {
  // From 1.5 s to 11.5 s the link takes 501 ms each way. Every heartbeat answer arrives 1.002 s
  // after its request, one interval after the previous answer, so the 3 s timeout is never
  // reached. A checkpoint triggered in that window needs the trigger (501 ms) and the
  // acknowledgement (501 ms) to cross the slow link, plus the upload to checkpoint storage over
  // a normal link (a few ms): each takes at least 1.002 s and well under 1.1 s, against a few
  // milliseconds in the reference.
  const RunResult result = run_scenario_twice(
      load(one_slot_job(
          "slow-link",
          "  - {at: 1500 ms, slow: [jobmanager-0, taskmanager-0], latency: 500 ms, for: 10 s}\n")),
      {.capture_trace = true});
  EXPECT_EQ(result.run.metrics.failovers, 0);
  expect_finished_exactly_once(result);
  ASSERT_TRUE(result.run.metrics.checkpoints.has_value());
  ASSERT_TRUE(result.reference.metrics.checkpoints.has_value());
  const std::vector<sim::Duration>& slowed = result.run.metrics.checkpoints->durations;
  const std::vector<sim::Duration>& normal = result.reference.metrics.checkpoints->durations;
  ASSERT_FALSE(slowed.empty());
  ASSERT_FALSE(normal.empty());
  const sim::Duration slowest = *std::max_element(slowed.begin(), slowed.end());
  EXPECT_GE(slowest, sim::Duration::milliseconds(1002));
  EXPECT_LT(slowest, sim::Duration::milliseconds(1100));
  EXPECT_LT(*std::max_element(normal.begin(), normal.end()), sim::Duration::milliseconds(50));
  // A checkpoint takes longer than the 1 s interval, so the periodic request that comes while it
  // is pending waits in the CheckpointRequestDecider's queue and is triggered the instant it
  // completes: back to back from the first slow one (triggered at 1.596 s) until the link is fast
  // again at 11.5 s, (11.5 s - 1.596 s) / 1.004 s, so at least 9 slow checkpoints.
  EXPECT_GE(std::count_if(slowed.begin(), slowed.end(),
                          [](sim::Duration d) { return d >= sim::Duration::milliseconds(1002); }),
            9);
  int64_t last_completed = -1;
  int back_to_back = 0;
  for (const sim::TraceEvent& event : result.run.trace) {
    if (event.component != "checkpoint-coordinator") continue;
    const int64_t at = event.time.nanoseconds_since_start();
    if (event.kind == "checkpoint-completed") last_completed = at;
    if (event.kind == "checkpoint-triggered" && at > 2'000'000'000 && at < 11'000'000'000) {
      EXPECT_EQ(at, last_completed) << "triggered at " << sim::format_seconds(event.time);
      ++back_to_back;
    }
  }
  EXPECT_GE(back_to_back, 8);
}

}  // namespace
}  // namespace flinksim::scenarios
