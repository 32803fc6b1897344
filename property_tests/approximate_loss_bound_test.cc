// Goal: the approximate-recovery loss bound is the arithmetic its header promises: per failover,
// the sources upstream of the restarted tasks, at their rate, from the trigger of the latest
// checkpoint completed before the failover until every restarted task runs again. Method: a
// hand-built run (failover log and trace) of source (2 subtasks, 100/s, 10000 records) -> map ->
// sink plus a second source feeding only the sink; every expected figure is computed in the
// comment next to it. Also the broadcast copies the bound multiplies by
// (GeneratedJob::broadcast_copies_after).
#include "property_tests/approximate_loss_bound.h"

#include <gtest/gtest.h>

namespace flinksim::property_tests {
namespace {

sim::Instant at_ms(int64_t ms) { return sim::Instant::zero() + sim::Duration::milliseconds(ms); }

GeneratedJob job() {
  GeneratedJob job;
  GeneratedVertex source{.name = "source", .kind = graph::OperatorKind::source, .parallelism = 2};
  source.records = 10000;
  source.rate_per_second = 100;
  GeneratedVertex other = source;
  other.name = "other";
  other.parallelism = 1;
  other.records = 150;
  job.vertices = {source, other,
                  GeneratedVertex{.name = "map", .kind = graph::OperatorKind::map, .parallelism = 2},
                  GeneratedVertex{.name = "sink", .kind = graph::OperatorKind::sink, .parallelism = 2}};
  job.edges = {{"source", "map"}, {"map", "sink"}, {"other", "sink"}};
  return job;
}

sim::TraceEvent event(int64_t ms, std::string component, std::string kind, std::string detail = "") {
  return sim::TraceEvent{at_ms(ms), std::move(component), std::move(kind), std::move(detail)};
}

TEST(ApproximateLossBound, SourcesUpstreamAtTheirRateFromTheRestoredTriggerUntilAllRunAgain) {
  scenarios::RunOutcome run;
  run.trace = {
      event(1000, "checkpoint-coordinator", "checkpoint-triggered", "id=1"),
      event(1100, "checkpoint-coordinator", "checkpoint-completed", "id=1"),
      // Triggered but not completed before the failover: not what is restored.
      event(3000, "checkpoint-coordinator", "checkpoint-triggered", "id=2"),
      event(5000, "map:0", "RUNNING"),
      event(5500, "map:1", "RUNNING"),
  };
  run.metrics.failover_log.push_back({at_ms(4000), "map:0", {"map:0"}, {}});
  // map:0 is fed by source only: 1 s to 5 s is 4 s at 100/s, 400 records, plus one at the
  // edge, per subtask: 2 x 401 = 802.
  EXPECT_EQ(approximate_loss_bound(run, job()).records, 802);
}

TEST(ApproximateLossBound, AddsUpFailoversAndCapsEachSourceAtItsInput) {
  scenarios::RunOutcome run;
  run.trace = {
      event(2000, "checkpoint-coordinator", "checkpoint-triggered", "id=1"),
      event(2050, "checkpoint-coordinator", "checkpoint-completed", "id=1"),
      event(2500, "sink:1", "RUNNING"),
      event(9000, "map:1", "RUNNING"),
      event(9000, "sink:1", "RUNNING"),
  };
  // Before any checkpoint completed: the window starts at zero. sink:1 is fed by source and
  // by other: 0 s to 2.5 s is 250 + 1 = 251 per source subtask (2 x 251) and other's 150 at
  // most: 652.
  run.metrics.failover_log.push_back({at_ms(1500), "sink:1", {"sink:1"}, {}});
  // Then map:1 and sink:1 from the trigger at 2 s until both run at 9 s: 7 s at 100/s is
  // 701 per source subtask (1402), other capped at 150: 1552.
  run.metrics.failover_log.push_back({at_ms(3000), "map:1", {"map:1", "sink:1"}, {}});
  EXPECT_EQ(approximate_loss_bound(run, job()).records, 652 + 1552);
}

TEST(ApproximateLossBound, AWindowUpstreamReachesBackAWindowSizeAndAWatermarkInterval) {
  // source (200/s) -> window (2 s) -> sink; sink:0 fails at 4.4 s. The window result that fired
  // at 4 s reflects records from 2 s on, before the trigger at 3.6 s: the look-back is the
  // window's 2 s plus a 200 ms watermark interval (no out-of-orderness), so from 1.4 s until
  // sink:0 runs at 4.75 s: 3.35 s at 200/s, 670 records, plus one at the edge.
  GeneratedJob windowed;
  GeneratedVertex source{.name = "source", .kind = graph::OperatorKind::source, .parallelism = 1};
  source.records = 2400;
  source.rate_per_second = 200;
  GeneratedVertex window{.name = "window", .kind = graph::OperatorKind::window, .parallelism = 1};
  window.window_size = sim::Duration::seconds(2);
  windowed.vertices = {source, window,
                       GeneratedVertex{.name = "sink", .kind = graph::OperatorKind::sink}};
  windowed.edges = {{"source", "window"}, {"window", "sink"}};
  scenarios::RunOutcome run;
  run.trace = {
      event(3600, "checkpoint-coordinator", "checkpoint-triggered", "id=3"),
      event(3610, "checkpoint-coordinator", "checkpoint-completed", "id=3"),
      event(4750, "sink:0", "RUNNING"),
  };
  run.metrics.failover_log.push_back({at_ms(4400), "sink:0", {"sink:0"}, {}});
  EXPECT_EQ(approximate_loss_bound(run, windowed).records, 671);
}

TEST(ApproximateLossBound, ATaskThatNeverRunsAgainOpensTheWindowToTheEndOfTheTrace) {
  scenarios::RunOutcome run;
  run.trace = {event(6000, "map:0", "CANCELED")};
  run.metrics.failover_log.push_back({at_ms(1000), "map:0", {"map:0"}, {}});
  // 0 s to 6 s: 601 per source subtask.
  EXPECT_EQ(approximate_loss_bound(run, job()).records, 1202);
}

TEST(ApproximateLossBound, AChainedTaskStandsForEachOfItsOperators) {
  // map -> sink chained into "map -> Sink: sink (i/2)" (the job as it ran): the restarted task
  // holds sink too, which other feeds. From the trigger at 1 s until it runs at 5 s: source's
  // 2 x 401 = 802 and other's 150 (its whole input): 952. Read as "vertex:subtask", the name
  // would reach no vertex at all.
  graph::JobGraph chained("job");
  const graph::JobVertexId map = chained.add_vertex("map", 2);
  graph::OperatorSpec sink_spec;
  sink_spec.kind = graph::OperatorKind::sink;
  chained.mutable_vertex(map).operators.push_back(graph::ChainedOperator{"sink", sink_spec, 0});
  ASSERT_EQ(graph::task_name(chained, {map, 0}), "map -> Sink: sink (1/2)");
  scenarios::RunOutcome run;
  run.trace = {
      event(1000, "checkpoint-coordinator", "checkpoint-triggered", "id=1"),
      event(1100, "checkpoint-coordinator", "checkpoint-completed", "id=1"),
      event(5000, "map -> Sink: sink (1/2)", "RUNNING"),
  };
  run.metrics.failover_log.push_back({at_ms(4000), "map -> Sink: sink (1/2)", {"map -> Sink: sink (1/2)"}, {}});
  EXPECT_EQ(approximate_loss_bound(run, job(), &chained).records, 952);
}

TEST(ApproximateLossBound, ABroadcastEdgeCountsEachRecordOncePerCopy) {
  // The first test's run, with source -> map a broadcast edge: each of source's records reaches
  // both map subtasks and so the sink twice, 2 x 802 = 1604.
  GeneratedJob broadcast = job();
  broadcast.edges[0].partitioning = Partitioning::broadcast;
  scenarios::RunOutcome run;
  run.trace = {
      event(1000, "checkpoint-coordinator", "checkpoint-triggered", "id=1"),
      event(1100, "checkpoint-coordinator", "checkpoint-completed", "id=1"),
      event(5000, "map:0", "RUNNING"),
  };
  run.metrics.failover_log.push_back({at_ms(4000), "map:0", {"map:0"}, {}});
  EXPECT_EQ(approximate_loss_bound(run, broadcast).records, 1604);
}

TEST(GeneratedJob, BroadcastCopiesMultiplyTheTargetsParallelismsDownstream) {
  GeneratedJob broadcast = job();
  EXPECT_EQ(broadcast.broadcast_copies_after("source"), 1);
  broadcast.edges[0].partitioning = Partitioning::broadcast;  // source -> map (2 subtasks)
  broadcast.edges[1].partitioning = Partitioning::broadcast;  // map -> sink (2 subtasks)
  EXPECT_EQ(broadcast.broadcast_copies_after("source"), 4);
  EXPECT_EQ(broadcast.broadcast_copies_after("map"), 2);
  EXPECT_EQ(broadcast.broadcast_copies_after("other"), 1);  // other -> sink is a hash edge
  EXPECT_EQ(broadcast.broadcast_copies_after("sink"), 1);
}

}  // namespace
}  // namespace flinksim::property_tests
