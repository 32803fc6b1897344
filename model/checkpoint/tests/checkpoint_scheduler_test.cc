// Goal: the periodic checkpoint scheduler runs only while the job is RUNNING, as Flink's
// CheckpointCoordinatorDeActivator has it: stopping it (any status but RUNNING) cancels the
// ticks, drops queued requests and aborts the pending checkpoints with
// CHECKPOINT_COORDINATOR_SUSPEND, which the CheckpointFailureManager does not count; starting it
// (each return to RUNNING) draws a fresh random initial delay in [min-pause, interval] from the
// coordinator's generator (CheckpointCoordinator.startCheckpointScheduler, getRandomInitDelay),
// so the schedule's phase does not survive a restart. Method: a JobMaster double that records
// when the triggers go out; the expected instants come from the same generator stream, drawn
// by the test (the delays are inputs), and the rest is arithmetic.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "model/checkpoint/checkpoint_coordinator.h"
#include "sim/context.h"

namespace flinksim::model::checkpoint {
namespace {

const ExecutionAttemptId kSource{graph::ExecutionVertexId{graph::JobVertexId{0}, 0}, 0};

class JobMasterDouble final : public sim::Process, public CheckpointCoordinatorHost {
 public:
  explicit JobMasterDouble(sim::Context& context)
      : sim::Process(context, context.network().add_host("jobmanager"), "jobmanager") {}

  std::vector<sim::Instant> triggered;
  std::vector<CheckpointId> aborted;

  std::optional<std::vector<RunningTask>> tasks_to_checkpoint() const override {
    return std::vector<RunningTask>{{kSource, {}, true, false}};
  }
  void send_to_task(sim::EndpointId, sim::MessagePtr message, sim::FailureCallback) override {
    if (message->as<TriggerCheckpoint>() != nullptr) triggered.push_back(now());
    if (const auto* abort = message->as<NotifyCheckpointAborted>()) aborted.push_back(abort->checkpoint);
  }
  void on_tolerable_failures_exceeded(const std::string&) override {
    ADD_FAILURE() << "CHECKPOINT_COORDINATOR_SUSPEND must not count";
  }
  void persist_completed(const CompletedCheckpoint&, std::function<void(bool)> done) override { done(true); }

 protected:
  void on_start() override {}
};

TEST(CheckpointScheduler, StoppingAbortsThePendingCheckpointAndRestartingDrawsAFreshDelay) {
  sim::Context context{7};
  JobMasterDouble job_master{context};
  CheckpointOptions options;
  options.interval = sim::Duration::seconds(10);
  options.tolerable_failures = 0;
  job_master.start();
  CheckpointCoordinator coordinator(job_master, options, job_master, LeaderSessionId{1},
                                    context.fork_rng("coordinator"));
  // The coordinator's stream, drawn the same way: one delay per start, in [0, 10 s].
  sim::Rng draws = context.fork_rng("coordinator");
  const sim::Duration first = sim::Duration::nanoseconds(draws.uniform_int(0, 10'000'000'000));
  const sim::Duration second = sim::Duration::nanoseconds(draws.uniform_int(0, 10'000'000'000));
  ASSERT_NE(first, second);

  coordinator.start_scheduler();  // RUNNING at 0
  context.simulation().run_until(sim::Instant::zero() + first);
  ASSERT_EQ(job_master.triggered.size(), 1u);
  EXPECT_EQ(job_master.triggered[0], sim::Instant::zero() + first);

  // RESTARTING 1 s later: checkpoint 1 never got its acknowledgement and is aborted, uncounted.
  context.simulation().run_until(context.now() + sim::Duration::seconds(1));
  coordinator.stop_scheduler();
  EXPECT_EQ(job_master.aborted, std::vector<CheckpointId>{1});
  EXPECT_EQ(coordinator.stats().failed, 1);
  // No tick while the job is not RUNNING, for longer than two intervals.
  context.simulation().run_until(context.now() + sim::Duration::seconds(25));
  EXPECT_EQ(job_master.triggered.size(), 1u);

  // RUNNING again at first + 26 s: the next trigger comes after the second draw, then (once it
  // completed: one checkpoint at a time) every 10 s.
  const sim::Instant running = context.now();
  coordinator.start_scheduler();
  context.simulation().run_until(running + second);
  ASSERT_EQ(job_master.triggered.size(), 2u);
  EXPECT_EQ(job_master.triggered[1], running + second);
  AcknowledgeCheckpoint ack;
  ack.attempt = kSource;
  ack.checkpoint = 2;
  coordinator.on_acknowledge(ack);
  ASSERT_NE(coordinator.latest_completed(), nullptr);
  context.simulation().run_until(running + second + sim::Duration::seconds(10));
  ASSERT_EQ(job_master.triggered.size(), 3u);
  EXPECT_EQ(job_master.triggered[2], running + second + sim::Duration::seconds(10));
}

}  // namespace
}  // namespace flinksim::model::checkpoint
