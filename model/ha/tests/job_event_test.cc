// Goal: a new leader keeps exactly the finished subtasks Flink's DefaultBatchJobRecoveryHandler
// keeps: replayed in first-finish order (LinkedHashMap), resets taking finishes back, and the
// trailing finishes without a coordinator/shuffle-master snapshot dropped. Method: event lists
// written by hand, and one round trip through the text form the store keeps.
#include "model/ha/job_event.h"

#include <gtest/gtest.h>

namespace flinksim::model::ha {
namespace {

graph::ExecutionVertexId task(uint32_t vertex, uint32_t subtask) {
  return {{vertex}, subtask};
}

JobEvent finished(graph::ExecutionVertexId vertex, bool snapshot) {
  JobEvent event;
  event.kind = JobEvent::Kind::vertex_finished;
  event.vertices = {vertex};
  event.location = "taskmanager-" + std::to_string(vertex.subtask);
  event.snapshot = snapshot;
  return event;
}

JobEvent reset(std::vector<graph::ExecutionVertexId> vertices) {
  JobEvent event;
  event.kind = JobEvent::Kind::vertices_reset;
  event.vertices = std::move(vertices);
  return event;
}

std::vector<graph::ExecutionVertexId> kept(const std::vector<JobEvent>& events) {
  std::vector<graph::ExecutionVertexId> vertices;
  for (const ReplayedFinish& finish : replay_finished(events)) vertices.push_back(finish.vertex);
  return vertices;
}

TEST(JobEventReplay, TrailingFinishesWithoutASnapshotAreDropped) {
  // Sources 0:0..0:1 (the last one finished the job vertex: snapshot), then two counts without.
  const std::vector<JobEvent> events{finished(task(0, 0), true), finished(task(0, 1), true),
                                     finished(task(1, 0), false), finished(task(1, 1), false)};
  EXPECT_EQ(kept(events), (std::vector<graph::ExecutionVertexId>{task(0, 0), task(0, 1)}));
}

TEST(JobEventReplay, AFinishWithoutASnapshotBeforeOneWithIsKept) {
  const std::vector<JobEvent> events{finished(task(0, 0), true), finished(task(1, 0), false),
                                     finished(task(1, 1), true)};
  EXPECT_EQ(kept(events),
            (std::vector<graph::ExecutionVertexId>{task(0, 0), task(1, 0), task(1, 1)}));
}

TEST(JobEventReplay, AResetTakesAFinishBackAndARefinishGoesToTheEnd) {
  // 1:0 finished, was reset, finished again without a snapshot: it is now last, and dropped.
  const std::vector<JobEvent> events{finished(task(1, 0), true), finished(task(0, 0), true),
                                     reset({task(1, 0)}), finished(task(1, 0), false)};
  EXPECT_EQ(kept(events), (std::vector<graph::ExecutionVertexId>{task(0, 0)}));
}

TEST(JobEventReplay, AFinishAgainWithoutAResetKeepsItsPlace) {
  // LinkedHashMap.put of a present key keeps its position and takes the new value.
  const std::vector<JobEvent> events{finished(task(1, 0), false), finished(task(0, 0), true),
                                     finished(task(1, 0), false)};
  EXPECT_EQ(kept(events), (std::vector<graph::ExecutionVertexId>{task(1, 0), task(0, 0)}));
}

TEST(JobEventReplay, TheSnapshotFlagSurvivesTheStoredText) {
  const JobEvent event = finished(task(2, 3), true);
  const std::optional<JobEvent> parsed = JobEvent::parse(event.format());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->snapshot);
  EXPECT_EQ(parsed->location, "taskmanager-3");
  EXPECT_EQ(parsed->vertices, std::vector<graph::ExecutionVertexId>{task(2, 3)});
  EXPECT_FALSE(JobEvent::parse(finished(task(2, 3), false).format())->snapshot);
}

}  // namespace
}  // namespace flinksim::model::ha
