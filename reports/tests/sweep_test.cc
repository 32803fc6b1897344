// Goal: a sweep plan holds exactly the (variant, seed) runs asked for, with keys that tell them
// apart; shards and --resume are exact filters over it; a scenario rejecting a strategy is listed,
// not thrown; the worker pool delivers every result exactly once whatever the number of workers
// and stops on the first error. Method: a small scenario in memory; fake jobs for the pool.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>

#include "reports/scenario_job.h"
#include "reports/sweep_plan.h"
#include "reports/sweep_runner.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::reports {
namespace {

const char* const kScenario = R"(name: plan-test
duration: 1 min
cluster: {taskmanagers: 2}
config:
  taskmanager.numberOfTaskSlots: 2
  jobmanager.execution.failover-strategy: region
  restart-strategy.type: fixed-delay
  restart-strategy.fixed-delay.delay: 1 s
job:
  vertices:
    - {name: source, operator: source, parallelism: 2}
    - {name: sink, operator: sink, parallelism: 2}
  edges:
    - {from: source, to: sink, partitioning: forward}
faults:
  - {at: 20 s, fail-task: sink:1}
)";

scenarios::ScenarioSpec scenario(const std::string& text = kScenario) {
  scenarios::Diagnostics diagnostics;
  std::optional<scenarios::ScenarioSpec> spec = scenarios::load_scenario_text(text, "plan-test.yaml", diagnostics);
  EXPECT_TRUE(spec) << diagnostics.format();
  return *spec;
}

TEST(SweepPlan, EverySeedUnderEveryStrategyWithNormalisedLabels) {
  SweepRequest request;
  request.seeds = {3, 5};
  request.strategies = {"restart-all", "region"};
  const SweepPlan plan = plan_sweep(scenario(), request);
  ASSERT_EQ(plan.variants.size(), 2u);
  EXPECT_EQ(plan.variants[0].strategy, "full");
  EXPECT_EQ(plan.variants[1].strategy, "region");
  ASSERT_EQ(plan.jobs.size(), 6u);
  std::set<RunKey> keys;
  for (const SweepJob& job : plan.jobs) keys.insert(job.key);
  EXPECT_EQ(keys.size(), 6u);
  EXPECT_EQ(plan.jobs[0].seed, 3u);
  EXPECT_EQ(plan.jobs[1].seed, 3u);
  EXPECT_EQ(plan.jobs[1].key.strategy, "region");
  EXPECT_EQ(plan.jobs[5].seed, 5u);
  EXPECT_EQ(plan.jobs[0].key.overrides, "[]");
  EXPECT_EQ(plan.jobs[0].key.scenario_hash, scenario().content_hash);
}

TEST(SweepPlan, VariedKeyIsAnOverrideAndPartOfTheKey) {
  SweepRequest request;
  request.seeds = {1, 1};
  request.conf = {"restart-strategy.fixed-delay.attempts=5"};
  std::string error;
  request.vary = parse_vary("restart-strategy.fixed-delay.delay=1 s,10 s", error);
  ASSERT_TRUE(request.vary) << error;
  const SweepPlan plan = plan_sweep(scenario(), request);
  ASSERT_EQ(plan.jobs.size(), 2u);
  EXPECT_EQ(plan.jobs[1].key.overrides,
            R"(["restart-strategy.fixed-delay.attempts=5","restart-strategy.fixed-delay.delay=10 s"])");
  EXPECT_EQ(plan.variants[1].vary_value, "10 s");
  EXPECT_EQ(plan.variants[1].spec.config.get_duration("restart-strategy.fixed-delay.delay"),
            sim::Duration::seconds(10));
  EXPECT_FALSE(parse_vary("no-equals", error));
  EXPECT_FALSE(parse_vary("key=a,,b", error));
  request.vary = parse_vary("restart-strategy.fixed-delay.delay=soon", error);
  EXPECT_EQ(plan_sweep(scenario(), request).variants.size(), 0u);
}

TEST(SweepPlan, StrategyTheScenarioRejectsIsListedNotThrown) {
  std::string text = kScenario;
  text.replace(text.find("config:\n"), 8, "config:\n  execution.checkpointing.unaligned.enabled: true\n");
  SweepRequest request;
  request.strategies = {"full", "approximate"};
  const SweepPlan plan = plan_sweep(scenario(text), request);
  ASSERT_EQ(plan.variants.size(), 1u);
  EXPECT_EQ(plan.variants[0].strategy, "full");
  ASSERT_EQ(plan.rejected.size(), 1u);
  EXPECT_EQ(plan.rejected[0].strategy, "approximate");
  EXPECT_NE(plan.rejected[0].diagnostics.find("unaligned"), std::string::npos) << plan.rejected[0].diagnostics;
}

TEST(SweepPlan, ShardAndResumeAreExactFilters) {
  SweepRequest request;
  request.seeds = {1, 10};
  SweepPlan plan = plan_sweep(scenario(), request);
  keep_shard(plan, request.seeds, Shard{2, 4});
  std::vector<uint64_t> seeds;
  for (const SweepJob& job : plan.jobs) seeds.push_back(job.seed);
  EXPECT_EQ(seeds, (std::vector<uint64_t>{3, 7}));
  drop_stored(plan, {plan.jobs[0].key});
  ASSERT_EQ(plan.jobs.size(), 1u);
  EXPECT_EQ(plan.jobs[0].seed, 7u);
}

TEST(SweepJob, RunsTheScenarioLikeRunWithThatSeed) {
  SweepRequest request;
  request.seeds = {4, 4};
  request.strategies = {"full"};
  const SweepPlan plan = plan_sweep(scenario(), request);
  const RunRecord record = run_sweep_job(plan, plan.jobs[0]);
  const nlohmann::json run = nlohmann::json::parse(record.run_json);
  EXPECT_EQ(run["seed"], 4);
  EXPECT_EQ(run["strategy"], "full");
  // Full failover restarts every task once: source -> sink (forward, parallelism 2) runs as two
  // chained tasks "Source: source -> Sink: sink (i/2)" (four unchained).
  EXPECT_EQ(record.metric_integer("tasks_restarted"), 2);
  EXPECT_EQ(record.metric_integer("failovers"), 1);
  EXPECT_EQ(record.key, plan.jobs[0].key);
  EXPECT_EQ(record.commit, build_commit());
}

std::vector<SweepJob> fake_jobs(size_t count) {
  std::vector<SweepJob> jobs;
  for (uint64_t seed = 1; seed <= count; ++seed) jobs.push_back({0, seed, RunKey{"h", seed, "full", "[]"}});
  return jobs;
}

TEST(SweepRunner, EveryJobDeliveredOnceWhateverTheWorkerCount) {
  for (const size_t workers : {1u, 2u, 7u, 200u}) {
    std::multiset<uint64_t> delivered;
    run_jobs(fake_jobs(50), WorkerCount{workers},
             [](const SweepJob& job) {
               RunRecord record;
               record.key = job.key;
               return record;
             },
             [&](RunRecord&& record) { delivered.insert(record.key.seed); });
    ASSERT_EQ(delivered.size(), 50u) << workers;
    EXPECT_EQ(std::set<uint64_t>(delivered.begin(), delivered.end()).size(), 50u);
  }
  run_jobs({}, WorkerCount{3}, [](const SweepJob&) { return RunRecord{}; }, [](RunRecord&&) { FAIL(); });
}

TEST(SweepRunner, FirstJobErrorStopsNewJobsAndIsRethrown) {
  std::atomic<size_t> started{0};
  size_t delivered = 0;
  EXPECT_THROW(run_jobs(fake_jobs(300), WorkerCount{2},
                        [&](const SweepJob& job) {
                          ++started;
                          std::this_thread::sleep_for(std::chrono::milliseconds(1));
                          if (job.seed == 5) throw std::runtime_error("boom");
                          return RunRecord{};
                        },
                        [&](RunRecord&&) { ++delivered; }),
               std::runtime_error);
  EXPECT_LT(started.load(), 300u);
  EXPECT_LT(delivered, 300u);
}

TEST(SweepRunner, WriterErrorStopsTheSweep) {
  std::atomic<size_t> started{0};
  EXPECT_THROW(run_jobs(fake_jobs(300), WorkerCount{2},
                        [&](const SweepJob&) {
                          ++started;
                          std::this_thread::sleep_for(std::chrono::milliseconds(1));
                          return RunRecord{};
                        },
                        [&](RunRecord&&) { throw std::runtime_error("disk full"); }),
               std::runtime_error);
  EXPECT_LT(started.load(), 300u);
}

}  // namespace
}  // namespace flinksim::reports
