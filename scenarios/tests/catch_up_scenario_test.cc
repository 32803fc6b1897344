// Goal: after a restore, a source reading a log (Kafka-like, `backlog: log`, the default for
// unbounded sources) reads its backlog as fast as the pipeline takes it and then returns to its
// rate; a generator (`backlog: none`, as DataGen) resumes at its rate and never catches up.
// Method: a 2,000/s source into a map that takes at most 4,000 records/s; the map fails at 30 s
// and restarts after 5 s. The catch-up time is computed by hand from the backlog and the spare
// capacity: backlog / (capacity - rate).

#include <gtest/gtest.h>

#include <string>

#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;

std::string job(const std::string& backlog) {
  return "name: catch-up\n"
         "duration: 60 s\n"
         "cluster: {taskmanagers: 1}\n"
         "config:\n"
         "  taskmanager.numberOfTaskSlots: 1\n"
         "  execution.checkpointing.interval: 10 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.delay: 5 s\n"
         "  taskmanager.network.memory.buffers-per-channel: 1\n"
         "  taskmanager.network.memory.floating-buffers-per-gate: 1\n"
         "job:\n"
         "  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, rate: 2000/s" + backlog + "}\n"
         "    - {name: map, operator: map, parallelism: 1, max-rate: 4000/s}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: at-least-once}\n"
         "  edges:\n"
         "    - {from: source, to: map, partitioning: forward}\n"
         "    - {from: map, to: sink, partitioning: forward}\n"
         "faults:\n"
         "  - {at: 30 s, fail-task: map:0}\n";
}

TEST(CatchUpScenario, ALogSourceReadsItsBacklogAtTheSpareCapacityOfItsPipeline) {
  const RunResult result = run_scenario_twice(load(job("")), {.capture_trace = true});
  ASSERT_EQ(result.run.metrics.failovers, 1);
  ASSERT_TRUE(result.run.metrics.recovery_time_max.has_value());
  ASSERT_EQ(result.run.metrics.checkpoints->restored_from.size(), 1u);
  // The restored offset is the source's at the restored checkpoint's trigger T (the barrier
  // leaves the source then); the tasks run again at R = 30 s + recovery time. The log grew at
  // 2,000/s meanwhile: a backlog of 2,000 x (R - T) records, which shrinks at the map's spare
  // 4,000 - 2,000 = 2,000 records/s: the source is at the head after (R - T) s more, less what
  // the channel holds when it gets there (one buffer per channel and one floating buffer on
  // each side: 4 buffers of 512 records, 1.02 s at 2,000/s).
  const double restored_trigger =
      testing::checkpoint_trigger_seconds(result.run, result.run.metrics.checkpoints->restored_from[0]);
  const double running_again = 30.0 + result.run.metrics.recovery_time_max->count_nanoseconds() / 1e9;
  const double backlog_seconds = running_again - restored_trigger;
  ASSERT_TRUE(result.caught_up_ms().has_value());
  const double caught_up = static_cast<double>(*result.caught_up_ms()) / 1000;
  EXPECT_LE(caught_up, running_again - 30.0 + backlog_seconds + 0.01);
  EXPECT_GE(caught_up, running_again - 30.0 + backlog_seconds - 1.03);
  // The largest backlog is the one at the restart: 2,000 x (R - T) records, within 3 ms (6
  // records): the trigger takes 1 ms to reach the source, and the source may run up to 2 ms
  // before the last restarted task, whose RUNNING ends the recovery.
  EXPECT_NEAR(static_cast<double>(result.run.metrics.data_plane.max_lag_records), 2'000 * backlog_seconds, 6);
  EXPECT_GE(*result.caught_up_ms(), result.run.metrics.recovery_time_max->count_milliseconds());
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_EQ(result.exactly_once->records_lost, 0);
}

TEST(CatchUpScenario, AGeneratorResumesAtItsRateAndNeverCatchesUp) {
  const RunResult result = run_scenario_twice(load(job(", backlog: none")), {.capture_trace = true});
  ASSERT_EQ(result.run.metrics.failovers, 1);
  EXPECT_FALSE(result.caught_up_ms().has_value());
  EXPECT_EQ(result.run.metrics.data_plane.max_lag_records, 0);
}

}  // namespace
}  // namespace flinksim::scenarios
