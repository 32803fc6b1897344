// Goal: `simulation: {buggify: true}` switches on the code-level fault sites the seed enables
// (sim/buggify.h), each site Flink tolerates, so the output stays exactly once; without it no site
// fires. Method: one source and one exactly-once sink (testing::one_slot_job) under seeds 1-40;
// a lost checkpoint notification shows in the trace as `taskmanager-0 buggify
// checkpoint-notification-lost id=N` (one site in four is enabled per run, and an enabled one
// drops a fifth of the notifications, so several of 40 seeds must show it).
#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

std::string seeded(uint64_t seed, bool buggify) {
  std::string yaml = testing::one_slot_job("buggify", "");
  yaml.erase(yaml.rfind("faults:\n"));  // no faults: the empty list would be an error
  const std::string duration = "duration: 2 min\n";
  yaml.replace(yaml.find(duration), duration.size(),
               duration + "seed: " + std::to_string(seed) + "\n" +
                   (buggify ? "simulation: {buggify: true}\n" : ""));
  return yaml;
}

int lost_notifications(const RunOutcome& run) {
  int lost = 0;
  for (const sim::TraceEvent& event : run.trace) {
    lost += event.kind == "buggify" && event.detail.starts_with("checkpoint-notification-lost") ? 1 : 0;
  }
  return lost;
}

TEST(BuggifyScenario, LostCheckpointNotificationsLeaveTheOutputExactlyOnce) {
  int seeds_with_losses = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const RunResult result =
        run_scenario(testing::load(seeded(seed, true)), {.capture_trace = true});
    testing::expect_finished_exactly_once(result);
    seeds_with_losses += lost_notifications(result.run) > 0 ? 1 : 0;
  }
  EXPECT_GE(seeds_with_losses, 3);
}

TEST(BuggifyScenario, OffUnlessAskedFor) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const RunResult result =
        run_scenario(testing::load(seeded(seed, false)), {.capture_trace = true});
    EXPECT_EQ(lost_notifications(result.run), 0);
  }
}

}  // namespace
}  // namespace flinksim::scenarios
