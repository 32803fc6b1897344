// Goal: a barrier of a checkpoint the coordinator aborted never holds a task's channels blocked.
// Flink turns such a barrier into a CancelCheckpointMarker (SubtaskCheckpointCoordinatorImpl:
// a checkpoint aborted before the task performs it broadcasts the marker instead of the
// barrier; CheckpointBarrierHandler: a marker drops the alignment of its checkpoint, and
// barriers of it or older ones are ignored). Method: the approximate-recovery property's shrunk
// counterexample, which stayed RUNNING to the end before the model had the marker, with the
// timeline below read from the trace and checked against the protocol.
//
// source1 (2) →hash→ aggregate1 (2) →rebalance→ map2 (3) →rebalance→ sink (1); one slot per
// TaskManager, map2:2 alone on taskmanager-0, approximate local recovery (every task its own
// region, producers keep their queued buffers for a restarted consumer), 20 ms network jitter.
//  - 1 s: taskmanager-0, with map2:2, is cut off from the JobManager and the other TaskManagers
//    for 2.5 s. A partition sends no RST, so only heartbeats tell (a kill would fail the sink
//    within a round trip, when its connection to taskmanager-0 is reset).
//  - 1.369 s: checkpoint 1 is triggered. map2:0 and map2:1 forward barrier 1 to the sink, which
//    aligns on it; aggregate1:0 and aggregate1:1 queue theirs for map2:2, which they cannot reach.
//  - 3.063 s: heartbeat.timeout (3 s) after the JobMaster last heard taskmanager-0 (0.063 s), it
//    disconnects the TaskManager, which fails map2:2. The failover makes the job RESTARTING,
//    which stops the checkpoint scheduler and aborts checkpoint 1 (CHECKPOINT_COORDINATOR_SUSPEND),
//    and restarts map2:2 and the sink (approximate: the failed task and its downstream) after
//    200 ms, on taskmanager-3 and taskmanager-1: RUNNING at 3.415 s and 3.433 s.
//  - The restarted map2:2 reads aggregate1's queued barrier 1 from both channels. Before the
//    marker it aligned, snapshotted and forwarded barrier 1 to the restarted sink, which
//    blocked that channel waiting for barriers 1 that map2:0 and map2:1 had sent to the
//    cancelled attempt: backpressure up to aggregate1, no later barrier got through, RUNNING
//    at 180 s. Now the restarted attempts know checkpoint 1 was aborted (it was, before they
//    were deployed): map2:2 sends a cancellation marker instead, the sink does not align, and
//    checkpoint 2 and every later one complete.
//  - The job is RUNNING again at the restart, 3.264 s (failover + 200 ms): the scheduler starts
//    anew with a random initial delay, the generator's next draw in [0, 2 s]: 1.004084801 s.
//    Checkpoint 2 is triggered at 4.268 s, when both restarted tasks run.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/runner.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;

const char* const kApproximateJitterKill = R"(name: approximate-jitter-kill-stale-barrier
seed: 566965
duration: 180000 ms
cluster: {deployment: kubernetes, taskmanagers: 3, standby-taskmanagers: 1, taskmanager-startup: 1000 ms}
network: {jitter: 20 ms}
config:
  taskmanager.numberOfTaskSlots: 1
  jobmanager.execution.failover-strategy: region
  execution.checkpointing.interval: 2000 ms
  execution.checkpointing.mode: EXACTLY_ONCE
  execution.checkpointing.unaligned.enabled: false
  execution.checkpointing.num-retained: 1
  execution.state-recovery.approximate-local-recovery: true
  restart-strategy.type: fixed-delay
  restart-strategy.fixed-delay.attempts: 1000
  restart-strategy.fixed-delay.delay: 200 ms
  heartbeat.interval: 1000 ms
  heartbeat.timeout: 3000 ms
job:
  mode: streaming
  vertices:
    - {name: source1, operator: source, parallelism: 2, records: 6000, rate: 200/s, keys: 1, out-of-orderness: 0 ms}
    - {name: aggregate1, operator: aggregate, parallelism: 2, function: count}
    - {name: map2, operator: map, parallelism: 3}
    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}
  edges:
    - {from: source1, to: aggregate1, partitioning: hash}
    - {from: aggregate1, to: map2, partitioning: rebalance}
    - {from: map2, to: sink, partitioning: rebalance}
faults:
  - {at: 1000 ms, partition: [taskmanager-0, jobmanager-0], for: 2500 ms}
  - {at: 1000 ms, partition: [taskmanager-0, taskmanager-1], for: 2500 ms}
  - {at: 1000 ms, partition: [taskmanager-0, taskmanager-2], for: 2500 ms}
  - {at: 1000 ms, partition: [taskmanager-0, taskmanager-3], for: 2500 ms}
)";

struct Event {
  int64_t time_ns;
  std::string detail;
};

std::vector<Event> events_of(const RunOutcome& outcome, const std::string& component,
                             const std::string& kind) {
  std::vector<Event> events;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.component == component && event.kind == kind) {
      events.push_back({event.time.nanoseconds_since_start(), event.detail});
    }
  }
  return events;
}

TEST(CancelCheckpointMarkerScenario, AStaleBarrierOfAnAbortedCheckpointNoLongerBlocksTheRestartedSink) {
  const ScenarioSpec spec = load(kApproximateJitterKill);
  RunSettings settings;
  settings.capture_trace = true;
  const RunResult result = run_scenario(spec, settings);
  const RunResult again = run_scenario(spec, settings);
  EXPECT_EQ(result.run.trace_hash, again.run.trace_hash) << "nondeterminism";
  const RunOutcome& run = result.run;

  EXPECT_EQ(run.metrics.final_status, model::JobStatus::finished);
  ASSERT_EQ(run.metrics.failovers, 1);
  EXPECT_EQ(run.metrics.failover_log[0].failed_task, "map2 (3/3)");
  EXPECT_EQ(run.metrics.failover_log[0].time.nanoseconds_since_start() / 1'000'000, 3063);

  // Checkpoint 1 is aborted by the failover (leaving RUNNING stops the scheduler), the restarted map2:2 and sink each start RUNNING
  // once more, and map2:2 answers the queued barrier 1 with a cancellation marker, never with
  // the barrier itself.
  const auto failed = events_of(run, "checkpoint-coordinator", "checkpoint-failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].detail, "id=1 CHECKPOINT_COORDINATOR_SUSPEND");
  const auto map_running = events_of(run, "map2 (3/3)", "RUNNING");
  ASSERT_EQ(map_running.size(), 2u);
  const auto map_markers = events_of(run, "map2 (3/3)", "cancel-checkpoint-marker");
  ASSERT_EQ(map_markers.size(), 1u);
  EXPECT_EQ(map_markers[0].detail, "id=1");
  EXPECT_GT(map_markers[0].time_ns, map_running[1].time_ns);
  for (const Event& barrier : events_of(run, "map2 (3/3)", "barrier")) {
    EXPECT_NE(barrier.detail, "id=1") << "the restarted map2:2 forwarded the aborted barrier";
  }
  // The sink takes the marker (it has no output to pass it on to) and aligns on nothing stale.
  const auto sink_markers = events_of(run, "Sink: sink (1/1)", "cancel-checkpoint-marker");
  ASSERT_EQ(sink_markers.size(), 1u);
  EXPECT_GT(sink_markers[0].time_ns, map_markers[0].time_ns);

  // Every checkpoint after the failover completes. CheckpointCoordinatorDeActivator: no tick
  // while the job is RESTARTING; back to RUNNING at the restart (failover + 200 ms), the
  // scheduler triggers checkpoint 2 after its fresh initial delay (the draw, 1.004084801 s).
  const auto triggered = events_of(run, "checkpoint-coordinator", "checkpoint-triggered");
  const auto completed = events_of(run, "checkpoint-coordinator", "checkpoint-completed");
  ASSERT_GE(triggered.size(), 2u);
  EXPECT_EQ(triggered[0].time_ns / 1'000'000, 1369);
  EXPECT_EQ(triggered[1].time_ns,
            run.metrics.failover_log[0].time.nanoseconds_since_start() + 200'000'000 + 1'004'084'801);
  ASSERT_FALSE(completed.empty());
  EXPECT_EQ(completed[0].detail, "id=2");
  EXPECT_EQ(completed.size() + failed.size(), triggered.size());

  // Approximate recovery loses what the failed attempts had consumed, and duplicates nothing:
  // no source restarted.
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_GT(result.exactly_once->records_lost, 0);
  EXPECT_EQ(result.exactly_once->records_duplicated, 0);
}

}  // namespace
}  // namespace flinksim::scenarios
