// Goal: exactly-once holds not just for hand-picked faults but for whatever the seed throws at the
// job. Method: a keyed window job with an exactly-once sink and 1 s checkpoints (unaligned for
// every third seed) on Kubernetes
// (lost TaskManagers are replaced), hit by seeded random TaskManager kills and task failures,
// run for 200 seeds under full and region failover; every run must finish with output equal to
// its failure-free reference, nothing lost, nothing duplicated, and restores only from the
// latest completed checkpoint (restored ids never go back).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::scenarios {
namespace {

std::string random_faults_job(uint64_t seed, const std::string& strategy) {
  return "name: sweep\nseed: " + std::to_string(seed) + "\nduration: 3 min\n"
         "cluster: {taskmanagers: 2, deployment: kubernetes, taskmanager-startup: 2 s}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 2\n"
         "  execution.checkpointing.interval: 1 s\n"
         "  execution.checkpointing.unaligned.enabled: " + std::string(seed % 3 == 0 ? "true" : "false") + "\n"
         "  jobmanager.execution.failover-strategy: " + strategy + "\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 1000\n"
         "  restart-strategy.fixed-delay.delay: 500 ms\n"
         "  heartbeat.interval: 1 s\n  heartbeat.timeout: 3 s\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, records: 4000, rate: 400/s, keys: 8}\n"
         "    - {name: window, operator: window, size: 500 ms, function: sum, parallelism: 2}\n"
         "    - {name: sink, operator: sink, parallelism: 2}\n"
         "  edges:\n"
         "    - {from: source, to: window, partitioning: hash}\n"
         "    - {from: window, to: sink, partitioning: forward}\n"
         "faults:\n  - random: {kill-taskmanager: 1/6s, fail-task: 1/3s, until: 9 s}\n";
}

TEST(ExactlyOnceSweep, TwoHundredSeedsOfRandomFaultsStayExactlyOnce) {
  int runs_with_failovers = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const std::string strategy = seed % 2 == 0 ? "full" : "region";
    Diagnostics diagnostics;
    const auto spec = load_scenario_text(random_faults_job(seed, strategy), "sweep.yaml", diagnostics);
    ASSERT_TRUE(spec.has_value()) << diagnostics.format();
    const RunResult result = run_scenario(*spec);
    SCOPED_TRACE("SEED=" + std::to_string(seed) + " strategy " + strategy);
    ASSERT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
    ASSERT_TRUE(result.exactly_once.has_value());
    EXPECT_TRUE(result.exactly_once->output_matches_reference);
    EXPECT_EQ(result.exactly_once->records_lost, 0);
    EXPECT_EQ(result.exactly_once->records_duplicated, 0);
    ASSERT_TRUE(result.run.metrics.checkpoints.has_value());
    const auto& restored = result.run.metrics.checkpoints->restored_from;
    EXPECT_TRUE(std::is_sorted(restored.begin(), restored.end()));
    if (result.run.metrics.failovers > 0) ++runs_with_failovers;
  }
  // The sweep means something only if most seeds really fail over.
  EXPECT_GT(runs_with_failovers, 150);
}

}  // namespace
}  // namespace flinksim::scenarios
