// Goal: the coordinator's policies behave as Flink's CheckpointFailureManager,
// CompletedCheckpointStore and CheckpointRequestDecider do (FLINK_FACTS.md §6). Method: small
// sequences of events with the outcome worked out from the rules.
#include <gtest/gtest.h>

#include "model/checkpoint/checkpoint_failure_manager.h"
#include "model/checkpoint/checkpoint_request_decider.h"
#include "model/checkpoint/completed_checkpoint_store.h"

namespace flinksim::model::checkpoint {
namespace {

TEST(CheckpointFailureManager, ZeroToleranceFailsOverAtTheFirstCountedFailure) {
  CheckpointFailureManager manager(0);
  EXPECT_FALSE(manager.on_failure(1, false)) << "a subsumed or pre-flight failure never counts";
  EXPECT_TRUE(manager.on_failure(2, true));
  EXPECT_EQ(manager.continuous_failures(), 0) << "the count starts again after a failover";
}

TEST(CheckpointFailureManager, CountsEachIdOnceAndOnlyAfterTheLastSuccess) {
  CheckpointFailureManager manager(2);
  EXPECT_FALSE(manager.on_failure(3, true));
  EXPECT_FALSE(manager.on_failure(3, true));  // the same id again
  EXPECT_EQ(manager.continuous_failures(), 1);
  manager.on_success(5);
  EXPECT_EQ(manager.continuous_failures(), 0);
  EXPECT_FALSE(manager.on_failure(4, true)) << "older than the last success";
  EXPECT_EQ(manager.continuous_failures(), 0);
  EXPECT_FALSE(manager.on_failure(6, true));
  EXPECT_FALSE(manager.on_failure(7, true));
  EXPECT_TRUE(manager.on_failure(8, true)) << "the third consecutive failure exceeds 2";
}

TEST(CompletedCheckpointStore, KeepsTheNewestRetainedCheckpoints) {
  CompletedCheckpointStore store(2);
  EXPECT_EQ(store.latest(), nullptr);
  store.add({1, {}});
  store.add({2, {}});
  store.add({4, {}});
  EXPECT_EQ(store.size(), 2u);
  ASSERT_NE(store.latest(), nullptr);
  EXPECT_EQ(store.latest()->id, 4);
}

TEST(CheckpointRequestDecider, RequestsWaitWhileMaxConcurrentArePendingOrATriggerIsUnderWay) {
  CheckpointOptions options;
  options.max_concurrent = 1;
  CheckpointRequestDecider decider(options);
  const sim::Instant t0 = sim::Instant::zero() + sim::Duration::seconds(10);
  EXPECT_FALSE(decider.choose(t0, 0, false).execute) << "nothing queued";
  decider.enqueue();
  EXPECT_TRUE(decider.choose(t0, 0, false).execute);
  EXPECT_EQ(decider.queued(), 0);
  // Two ticks while one checkpoint is pending: both wait, and run one after the other.
  decider.enqueue();
  decider.enqueue();
  EXPECT_FALSE(decider.choose(t0, 1, false).execute) << "one checkpoint already pending";
  EXPECT_FALSE(decider.choose(t0, 0, true).execute) << "a trigger under way";
  EXPECT_EQ(decider.queued(), 2);
  EXPECT_TRUE(decider.choose(t0, 0, false).execute);
  EXPECT_TRUE(decider.choose(t0, 0, false).execute);
  EXPECT_EQ(decider.queued(), 0);
  for (int i = 0; i < 1500; ++i) decider.enqueue();
  EXPECT_EQ(decider.queued(), CheckpointRequestDecider::kMaxQueuedRequests);
  decider.abort_all();
  EXPECT_EQ(decider.queued(), 0);
}

TEST(CheckpointRequestDecider, ARequestBeforeTheMinPauseIsDroppedAndTheTriggerRescheduled) {
  CheckpointOptions options;
  options.max_concurrent = 1;
  options.min_pause = sim::Duration::seconds(3);
  CheckpointRequestDecider decider(options);
  const sim::Instant t0 = sim::Instant::zero() + sim::Duration::seconds(10);
  decider.on_completion(t0);
  decider.enqueue();
  const auto early = decider.choose(t0 + sim::Duration::seconds(2), 0, false);
  EXPECT_FALSE(early.execute);
  ASSERT_TRUE(early.reschedule_after.has_value());
  EXPECT_EQ(*early.reschedule_after, sim::Duration::seconds(1));
  EXPECT_EQ(decider.queued(), 0) << "dropped, not kept";
  decider.enqueue();
  const auto due = decider.choose(t0 + sim::Duration::seconds(3), 0, false);
  EXPECT_TRUE(due.execute);
  EXPECT_FALSE(due.reschedule_after.has_value());
}

}  // namespace
}  // namespace flinksim::model::checkpoint
