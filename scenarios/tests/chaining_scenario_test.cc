// Goal: a chained pipeline runs as Flink runs it: one task per subtask, no channel between its
// operators, restarts counted in tasks. Method: the same job with chaining on (Flink's default)
// and off (`pipeline.operator-chaining.enabled: false`), timelines derived by hand below.
#include <gtest/gtest.h>

#include <string>

#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;
using testing::run_twice;

int64_t ms(sim::Instant at) { return at.nanoseconds_since_start() / 1'000'000; }

// source (20 records at 10/s) -> sink (at-least-once), forward, parallelism 1, one slot.
std::string source_sink(const std::string& chaining) {
  return "name: chain\nduration: 10 s\ncluster: {taskmanagers: 1}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 1\n  pipeline.operator-chaining.enabled: " +
         chaining +
         "\njob:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, records: 20, rate: 10/s}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: at-least-once}\n"
         "  edges:\n    - {from: source, to: sink}\n";
}

// Timeline, chained: the one task is deployed at 0.008 s and RUNNING at 0.158 s (50 ms
// deploying + 100 ms initializing). Record k is due at 0.158 + (k + 1) / 10 s: record 0 at
// 0.258 s goes straight into the chained sink, whose write leaves at the end of that step and
// is committed by the sink store one link latency later, 0.259 s.
// Unchained, the same record waits in the source's output buffer until something finishes it:
// the periodic watermark at 0.358 s (every 200 ms from 0.158 s; its timer fires before the
// buffer-timeout flusher re-armed at 0.258 s). Both tasks share the one TaskManager, so the
// buffer reaches the sink task at once (sim::Network adds no latency within a host, as Flink's
// LocalInputChannel has no network), and the store commits one latency later: 0.359 s. The
// channel costs 100 ms here, the wait for something to finish the buffer; the unchained job has
// two tasks and sends data buffers where the chained one sends none.
TEST(ChainingScenario, ForwardSourceSink_OneTaskAndNoChannelHop) {
  const RunOutcome chained = run_twice(load(source_sink("true")));
  const RunOutcome unchained = run_twice(load(source_sink("false")));
  ASSERT_EQ(chained.metrics.committed_output.size(), 20u);
  ASSERT_EQ(unchained.metrics.committed_output.size(), 20u);
  EXPECT_EQ(ms(chained.metrics.committed_output.front().committed_at), 259);
  EXPECT_EQ(ms(unchained.metrics.committed_output.front().committed_at), 359);
  EXPECT_EQ(chained.metrics.data_plane.data_buffers_sent, 0);
  EXPECT_GT(unchained.metrics.data_plane.data_buffers_sent, 0);
}

// Four forward pipelines source -> map -> sink; map:2 (the third subtask of the chained
// operator `map`) throws at 20 s. Chained, the failed task is the chain's third subtask and its
// region is that one task: one task restarts, named as Flink names it. Unchained the region is
// {source:2, map:2, sink:2}: three tasks.
std::string forward_job(const std::string& chaining) {
  return "name: chain-failover\nduration: 30 s\ncluster: {taskmanagers: 2}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 2\n"
         "  jobmanager.execution.failover-strategy: region\n"
         "  restart-strategy.type: fixed-delay\n  restart-strategy.fixed-delay.delay: 1 s\n"
         "  pipeline.operator-chaining.enabled: " +
         chaining +
         "\njob:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 4}\n"
         "    - {name: map, operator: map, parallelism: 4}\n"
         "    - {name: sink, operator: sink, parallelism: 4}\n"
         "  edges:\n    - {from: source, to: map}\n    - {from: map, to: sink}\n"
         "faults:\n  - {at: 20 s, fail-task: map:2}\n";
}

TEST(ChainingScenario, FailedChainedOperator_RestartsItsTaskOnly) {
  const RunOutcome chained = run_twice(load(forward_job("true")));
  ASSERT_EQ(chained.metrics.failover_log.size(), 1u);
  EXPECT_EQ(chained.metrics.failover_log[0].failed_task, "Source: source -> map -> Sink: sink (3/4)");
  EXPECT_EQ(chained.metrics.failover_log[0].restarted_tasks,
            std::vector<std::string>{"Source: source -> map -> Sink: sink (3/4)"});
  const RunOutcome unchained = run_twice(load(forward_job("false")));
  ASSERT_EQ(unchained.metrics.failover_log.size(), 1u);
  EXPECT_EQ(unchained.metrics.failover_log[0].failed_task, "map (3/4)");
  EXPECT_EQ(unchained.metrics.failover_log[0].restarted_tasks.size(), 3u);
}

// `chaining: false` (disableChaining) and `start-new-chain: true` cut the chain where Flink
// cuts it: a disabled map stands alone; a map that starts a new chain takes the sink along.
TEST(ChainingScenario, VertexKeys_CutChains) {
  const std::string base =
      "name: keys\nduration: 1 s\ncluster: {taskmanagers: 1}\n"
      "job:\n  vertices:\n    - {name: source, operator: source, parallelism: 1}\n";
  const std::string rest =
      "    - {name: sink, operator: sink, parallelism: 1}\n"
      "  edges:\n    - {from: source, to: map}\n    - {from: map, to: sink}\n";
  const ScenarioSpec disabled =
      load(base + "    - {name: map, operator: map, parallelism: 1, chaining: false}\n" + rest);
  ASSERT_EQ(disabled.job->vertices().size(), 3u);
  const ScenarioSpec new_chain =
      load(base + "    - {name: map, operator: map, parallelism: 1, start-new-chain: true}\n" + rest);
  ASSERT_EQ(new_chain.job->vertices().size(), 2u);
  EXPECT_EQ(graph::display_name(new_chain.job->vertices()[1]), "map -> Sink: sink");
}

// A chain of source -> window -> sink on a bounded input with exactly-once checkpoints, killed
// mid-way: every chained operator's state travels in the task's one snapshot, and the chained
// two-phase-commit sink commits exactly once.
TEST(ChainingScenario, ChainedWindowAndSink_ExactlyOnceAcrossAFailure) {
  const ScenarioSpec spec = load(
      "name: chained-window\nduration: 1 min\ncluster: {taskmanagers: 1}\n"
      "config:\n  taskmanager.numberOfTaskSlots: 2\n  execution.checkpointing.interval: 1 s\n"
      "  restart-strategy.type: fixed-delay\n  restart-strategy.fixed-delay.delay: 1 s\n"
      "job:\n  vertices:\n"
      "    - {name: source, operator: source, parallelism: 2, records: 8000, rate: 400/s, keys: 10}\n"
      "    - {name: window, operator: window, size: 1 s, function: sum, parallelism: 2}\n"
      "    - {name: sink, operator: sink, parallelism: 2}\n"
      "  edges:\n    - {from: source, to: window, partitioning: forward}\n"
      "    - {from: window, to: sink}\n"
      "faults:\n  - {at: 5500 ms, fail-task: window:1}\n");
  ASSERT_EQ(spec.job->vertices().size(), 1u);
  const RunResult result = run_scenario_twice(spec);
  testing::expect_finished_exactly_once(result);
  ASSERT_EQ(result.run.metrics.failover_log.size(), 1u);
  EXPECT_EQ(result.run.metrics.failover_log[0].restarted_tasks.size(), 1u);
}

}  // namespace
}  // namespace flinksim::scenarios
