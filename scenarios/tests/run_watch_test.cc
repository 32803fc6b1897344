// Goal: a run stopped by a budget or an interrupt is partial and says so, a budget it never
// reaches changes nothing, and progress reports the fraction done over both runs. Method: the
// library's tm-kill-standby scenario (481,041 events in its faulty run) under each limit, and
// RunProgress figures worked out by hand.

#include <gtest/gtest.h>

#include <atomic>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::scenarios {
namespace {

ScenarioSpec tm_kill_standby() {
  Diagnostics diagnostics;
  std::optional<ScenarioSpec> spec =
      load_scenario(std::string(FLINKSIM_LIBRARY_DIR) + "/tm-kill-standby.yaml", diagnostics);
  EXPECT_TRUE(spec.has_value()) << diagnostics.format();
  return spec.value_or(ScenarioSpec{});
}

TEST(RunWatch, EventBudgetStopsTheFaultyRunExactlyAndChecksNothing) {
  RunSettings settings;
  settings.limits.max_events = 1000;
  const RunResult result = run_scenario(tm_kill_standby(), settings);
  EXPECT_EQ(result.stopped, StopReason::max_events);
  EXPECT_EQ(result.run.events, 1000u);
  EXPECT_EQ(result.reference.events, 0u);  // the reference never ran
  EXPECT_EQ(result.exit_code(), kExitBudgetExhausted);
  EXPECT_FALSE(result.exactly_once.has_value());
  EXPECT_TRUE(result.failed_expectations.empty());
  EXPECT_EQ(result.partial_reason.rfind("stopped by --max-events 1000 in the faulty run at ", 0), 0u)
      << result.partial_reason;
  EXPECT_EQ(result.to_json()["partial"], true);
}

TEST(RunWatch, BudgetReachedInTheReferenceIsPartialToo) {
  // A budget that the whole faulty run fits in, with 18,959 events to spare: the faulty run
  // completes, and the reference stops after the 18,959 left.
  const ScenarioSpec spec = tm_kill_standby();
  const uint64_t faulty_events = run_scenario(spec).run.events;
  RunSettings settings;
  settings.limits.max_events = faulty_events + 18'959;
  const RunResult result = run_scenario(spec, settings);
  EXPECT_EQ(result.stopped, StopReason::max_events);
  EXPECT_EQ(result.run.events, faulty_events);
  EXPECT_EQ(result.reference.events, 18'959u);
  EXPECT_NE(result.partial_reason.find("in the reference run"), std::string::npos);
}

TEST(RunWatch, InterruptStopsAtTheFirstCheck) {
  // The flag is read every 65,536 events: set before the run, it stops there.
  const std::atomic<bool> interrupted{true};
  RunSettings settings;
  settings.limits.interrupted = &interrupted;
  const RunResult result = run_scenario(tm_kill_standby(), settings);
  EXPECT_EQ(result.stopped, StopReason::interrupted);
  EXPECT_EQ(result.run.events, 65'536u);
  EXPECT_EQ(result.exit_code(), kExitInterrupted);
}

TEST(RunWatch, LimitsThatNeverBiteChangeNothing) {
  const ScenarioSpec spec = tm_kill_standby();
  const RunResult free_run = run_scenario(spec);
  RunSettings settings;
  settings.limits.max_events = 10'000'000;
  settings.limits.max_wall_seconds = 3600;
  const std::atomic<bool> interrupted{false};
  settings.limits.interrupted = &interrupted;
  const RunResult bounded = run_scenario(spec, settings);
  EXPECT_FALSE(bounded.partial());
  EXPECT_EQ(bounded.run.trace_hash, free_run.run.trace_hash);
  EXPECT_EQ(bounded.reference.trace_hash, free_run.reference.trace_hash);
  EXPECT_EQ(bounded.run.events, free_run.run.events);
  EXPECT_EQ(bounded.exit_code(), free_run.exit_code());
}

TEST(RunProgress, FractionAndEtaCoverBothRuns) {
  // Halfway through the reference (the second of two phases): 3/4 done. 30 s of wall clock for
  // 3/4 leaves 10 s.
  RunProgress progress;
  progress.phase_index = 1;
  progress.phases = 2;
  progress.virtual_duration = sim::Duration::minutes(2);
  progress.virtual_time = sim::Instant::zero() + sim::Duration::minutes(1);
  progress.wall_seconds = 30;
  EXPECT_DOUBLE_EQ(progress.fraction_done(), 0.75);
  ASSERT_TRUE(progress.eta_seconds().has_value());
  EXPECT_DOUBLE_EQ(*progress.eta_seconds(), 10.0);
  progress.phase_index = 0;
  progress.virtual_time = sim::Instant::zero();
  EXPECT_FALSE(progress.eta_seconds().has_value());  // nothing done yet: no pace to go by
}

}  // namespace
}  // namespace flinksim::scenarios
