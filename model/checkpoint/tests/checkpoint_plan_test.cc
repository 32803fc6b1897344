// Goal: the coordinator follows the checkpoint plan with finished tasks as Flink's
// DefaultCheckpointPlanCalculator and CheckpointCoordinator do (FLIP-147, FLINK_FACTS §6.2): only
// the tasks the plan names are triggered, finished tasks are neither triggered nor awaited and
// the checkpoint records them finished with the state of their final checkpoint, a task that
// finishes while awaited counts as finished, and nothing is triggered once every task finished.
// Also the coordinator's lock around finalization: while a completed checkpoint waits for the HA
// store, no restore may read the latest checkpoint and a periodic request waits in the queue.
// Method: a JobMaster double that hands the coordinator a plan and records what it sends; the
// acknowledgements, and the HA store's answers where held, are fed in by hand.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <vector>

#include "model/checkpoint/checkpoint_coordinator.h"
#include "sim/context.h"

namespace flinksim::model::checkpoint {
namespace {

const ExecutionAttemptId kSource{graph::ExecutionVertexId{graph::JobVertexId{0}, 0}, 0};
const ExecutionAttemptId kSink{graph::ExecutionVertexId{graph::JobVertexId{1}, 0}, 0};

class JobMasterDouble final : public sim::Process, public CheckpointCoordinatorHost {
 public:
  explicit JobMasterDouble(sim::Context& context)
      : sim::Process(context, context.network().add_host("jobmanager"), "jobmanager") {}

  std::optional<std::vector<RunningTask>> plan;
  std::vector<std::pair<ExecutionAttemptId, CheckpointId>> triggers;
  std::vector<std::pair<ExecutionAttemptId, CheckpointId>> notifications;

  std::optional<std::vector<RunningTask>> tasks_to_checkpoint() const override { return plan; }
  void send_to_task(sim::EndpointId, sim::MessagePtr message, sim::FailureCallback) override {
    if (const auto* trigger = message->as<TriggerCheckpoint>()) {
      triggers.emplace_back(trigger->attempt, trigger->checkpoint);
    } else if (const auto* notify = message->as<NotifyCheckpointComplete>()) {
      notifications.emplace_back(notify->attempt, notify->checkpoint);
    }
  }
  void on_tolerable_failures_exceeded(const std::string&) override { ADD_FAILURE() << "no failover expected"; }
  // With `hold_persist`, the HA store answers only when the test calls `persisted`.
  bool hold_persist = false;
  std::vector<std::function<void(bool)>> persisting;
  void persist_completed(const CompletedCheckpoint&, std::function<void(bool)> done) override {
    if (!hold_persist) return done(true);
    persisting.push_back(std::move(done));
  }

 protected:
  void on_start() override {}
};

struct Fixture {
  sim::Context context{1};
  JobMasterDouble job_master{context};
  CheckpointOptions options;
  std::optional<CheckpointCoordinator> coordinator;

  Fixture() {
    options.interval = sim::Duration::seconds(1);
    job_master.start();
    coordinator.emplace(job_master, options, job_master, LeaderSessionId{1}, context.fork_rng("coordinator"));
    coordinator->start_scheduler();
  }
  // Runs until the next trigger tick has passed (ticks are 1 s apart after a first in [0, 1 s]).
  void next_tick() { context.simulation().run_until(context.now() + sim::Duration::seconds(1)); }
  void acknowledge(const ExecutionAttemptId& attempt, CheckpointId id, int64_t offset) {
    AcknowledgeCheckpoint ack;
    ack.attempt = attempt;
    ack.checkpoint = id;
    ack.state.source_offset = offset;
    coordinator->on_acknowledge(ack);
  }
};

using RunningTask = CheckpointCoordinatorHost::RunningTask;

TEST(CheckpointPlan, FinishedTasksAreRecordedWithTheirFinalStateNeitherTriggeredNorAwaited) {
  Fixture f;
  // Both running: the source is triggered, both must acknowledge.
  f.job_master.plan = std::vector<RunningTask>{{kSource, {}, true, false}, {kSink, {}, false, false}};
  f.next_tick();
  ASSERT_EQ(f.job_master.triggers.size(), 1u);
  EXPECT_EQ(f.job_master.triggers[0], std::pair(kSource, CheckpointId{1}));
  f.acknowledge(kSource, 1, 100);
  EXPECT_EQ(f.coordinator->latest_completed(), nullptr) << "the sink has not acknowledged";
  f.acknowledge(kSink, 1, 7);
  ASSERT_NE(f.coordinator->latest_completed(), nullptr);

  // The source finished: its consumer, whose producers all finished, is triggered instead.
  f.job_master.plan = std::vector<RunningTask>{{kSource, {}, false, true}, {kSink, {}, true, false}};
  f.next_tick();
  ASSERT_EQ(f.job_master.triggers.size(), 2u);
  EXPECT_EQ(f.job_master.triggers[1], std::pair(kSink, CheckpointId{2}));
  f.acknowledge(kSink, 2, 8);
  const CompletedCheckpoint* completed = f.coordinator->latest_completed();
  ASSERT_NE(completed, nullptr);
  ASSERT_EQ(completed->id, 2);
  const TaskStateSnapshot& source = completed->states.at(kSource.vertex);
  EXPECT_TRUE(source.finished);
  EXPECT_EQ(source.source_offset, 100) << "the state the source acknowledged last";
  EXPECT_FALSE(completed->states.at(kSink.vertex).finished);
  // Only the task that acknowledged is notified.
  EXPECT_EQ(f.job_master.notifications.back(), std::pair(kSink, CheckpointId{2}));

  // Everything finished: nothing to checkpoint, no id used.
  f.job_master.plan = std::vector<RunningTask>{{kSource, {}, false, true}, {kSink, {}, false, true}};
  f.next_tick();
  EXPECT_EQ(f.job_master.triggers.size(), 2u);
  EXPECT_EQ(f.coordinator->stats().failed, 0);
}

TEST(CheckpointPlan, ATaskThatFinishesWhileAwaitedCountsAsFinished) {
  Fixture f;
  f.job_master.plan = std::vector<RunningTask>{{kSource, {}, true, false}, {kSink, {}, false, false}};
  f.next_tick();
  f.acknowledge(kSource, 1, 100);
  f.acknowledge(kSink, 1, 7);
  f.next_tick();
  ASSERT_EQ(f.job_master.triggers.size(), 2u);
  // Checkpoint 2 awaits both; the source, whose final checkpoint was 1, finishes before
  // checkpoint 2's trigger reaches it and never acknowledges.
  f.acknowledge(kSink, 2, 9);
  f.coordinator->on_task_finished(kSource);
  const CompletedCheckpoint* completed = f.coordinator->latest_completed();
  ASSERT_NE(completed, nullptr);
  EXPECT_EQ(completed->id, 2);
  EXPECT_TRUE(completed->states.at(kSource.vertex).finished);
  EXPECT_EQ(completed->states.at(kSink.vertex).source_offset, 9);
}

TEST(CheckpointCoordinatorFinalization, ARestoreAndTheNextTriggerWaitForTheHaStoresAnswer) {
  Fixture f;
  f.job_master.hold_persist = true;
  f.job_master.plan = std::vector<RunningTask>{{kSource, {}, true, false}};
  f.next_tick();
  f.acknowledge(kSource, 1, 100);
  ASSERT_EQ(f.job_master.persisting.size(), 1u);
  EXPECT_TRUE(f.coordinator->finalizing());
  EXPECT_EQ(f.coordinator->latest_completed(), nullptr) << "not complete before the store took it";
  bool restored = false;
  f.coordinator->when_finalized([&] {
    restored = true;
    // The restore then sees the checkpoint the store has just taken.
    ASSERT_NE(f.coordinator->latest_completed(), nullptr);
    EXPECT_EQ(f.coordinator->latest_completed()->id, 1);
  });
  // Two ticks pass: checkpoint 1 still counts as pending (max-concurrent-checkpoints 1), so both
  // requests wait in the queue and nothing is triggered.
  f.next_tick();
  f.next_tick();
  EXPECT_FALSE(restored);
  EXPECT_EQ(f.job_master.triggers.size(), 1u);
  f.job_master.persisting[0](true);
  EXPECT_TRUE(restored);
  EXPECT_FALSE(f.coordinator->finalizing());
  // The first queued request runs at once (a zero-delay timer), not at the next tick.
  f.context.simulation().run_until(f.context.now());
  ASSERT_EQ(f.job_master.triggers.size(), 2u);
  EXPECT_EQ(f.job_master.triggers[1], std::pair(kSource, CheckpointId{2}));
  // With nothing finalizing, a restore goes ahead at once.
  bool at_once = false;
  f.coordinator->when_finalized([&] { at_once = true; });
  EXPECT_TRUE(at_once);
}

TEST(CheckpointPlan, NotAllRequiredTasksRunningTriggersNothing) {
  Fixture f;
  f.job_master.plan = std::nullopt;  // a task neither RUNNING nor FINISHED
  f.next_tick();
  f.next_tick();
  EXPECT_TRUE(f.job_master.triggers.empty());
  EXPECT_EQ(f.coordinator->stats().failed, 0) << "a pre-flight refusal is not a failure";
}

}  // namespace
}  // namespace flinksim::model::checkpoint
