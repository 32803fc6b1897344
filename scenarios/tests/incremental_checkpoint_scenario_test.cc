// Goal: state backends as they matter for time (state.backend.type, execution.checkpointing.
// incremental): a full snapshot uploads the whole state, an incremental one (rocksdb only) what
// changed since the last completed checkpoint (`state-change-rate`) plus what grew
// (`state-growth`), the first one whole; a restore reads the whole state either way. Method: a
// source -> map -> sink job on one TaskManager whose map declares 256 MiB of state, checkpoints
// every 10 s; the figures follow from the sizes, the rates and the storage's default 100 MB/s.
// Each snapshot holds 1,024 B of header per task (3 tasks) besides the map's declared state.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/runner.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;

constexpr int64_t kMiB = 1024 * 1024;
// source -> map -> sink is one chained task (forward edges, equal parallelism): one snapshot,
// one 1024-byte header (three before chaining).
constexpr int64_t kHeaders = 1024;

std::string job(const std::string& config, const std::string& map_extra, const std::string& faults = "") {
  return "name: incremental\nseed: 1\nduration: 45 s\ncluster: {taskmanagers: 1}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 3\n  execution.checkpointing.interval: 10 s\n"
         "  restart-strategy.type: fixed-delay\n  restart-strategy.fixed-delay.delay: 1 s\n" +
         config +
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, rate: 100/s}\n"
         "    - {name: map, operator: map, parallelism: 1, state-size: 256 mb" + map_extra + "}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: at-least-once}\n"
         "  edges:\n    - {from: source, to: map, partitioning: forward}\n"
         "    - {from: map, to: sink, partitioning: forward}\n" +
         (faults.empty() ? "" : "faults:\n" + faults);
}

const std::string kRocksDbIncremental =
    "  state.backend.type: rocksdb\n  execution.checkpointing.incremental: true\n";

std::vector<int64_t> sizes(const RunResult& result) { return result.run.metrics.checkpoints->sizes_bytes; }

// When the chained task holding map:0 took the snapshot of checkpoint `id` (its barrier), or RUNNING, in ns.
std::vector<int64_t> map_events(const RunOutcome& run, const std::string& kind, const std::string& detail = "") {
  std::vector<int64_t> times;
  for (const sim::TraceEvent& event : run.trace) {
    if (event.component == "Source: source -> map -> Sink: sink (1/1)" && event.kind == kind && (detail.empty() || event.detail == detail)) {
      times.push_back(event.time.nanoseconds_since_start());
    }
  }
  return times;
}

TEST(IncrementalCheckpointScenario, RocksDbUploadsTheWholeStateOnceThenWhatChanged) {
  // Checkpoint 1 is the map's first: 256 MiB whole. Checkpoints 2 to 4 come 10 s after the
  // previous one, which completed in between (2.9 s): 60 MiB/min x 10 s = 10 MiB each.
  // Durations: 268,436,480 B through the TaskManager's 10 gbps link (0.215 s) and written at
  // 100 MB/s (2.684 s), plus the trigger and acknowledgement (4 ms): 2,903 ms; 10,486,784 B
  // take 8.4 + 104.9 + 4 ms = 117 ms.
  const RunResult result = run_scenario_twice(load(job(kRocksDbIncremental, ", state-change-rate: 60 mb/min")));
  EXPECT_EQ(sizes(result), (std::vector<int64_t>{256 * kMiB + kHeaders, 10 * kMiB + kHeaders,
                                                 10 * kMiB + kHeaders, 10 * kMiB + kHeaders}));
  const auto& durations = result.run.metrics.checkpoints->durations;
  ASSERT_EQ(durations.size(), 4u);
  EXPECT_EQ(durations[0].count_milliseconds(), 2'903);
  EXPECT_EQ(durations[1].count_milliseconds(), 117);
}

TEST(IncrementalCheckpointScenario, HashMapAndRocksDbWithoutIncrementalUploadEverythingEachTime) {
  for (const std::string config : {"", "  state.backend.type: rocksdb\n",
                                   "  execution.checkpointing.incremental: true\n"}) {
    SCOPED_TRACE(config);
    const ScenarioSpec spec = load(job(config, ", state-change-rate: 60 mb/min"));
    // hashmap with incremental: accepted, as Flink does, and warned about: it changes nothing.
    EXPECT_EQ(spec.warnings.size(), config.find("incremental") != std::string::npos ? 1u : 0u);
    const RunResult result = run_scenario_twice(spec);
    EXPECT_EQ(sizes(result), std::vector<int64_t>(4, 256 * kMiB + kHeaders));
  }
}

TEST(IncrementalCheckpointScenario, GrowingStateIsUploadedWholeOrAsItsGrowth) {
  // state-growth 3600 mb/h = 1 MiB/s from the map's RUNNING: a full snapshot holds 256 MiB plus
  // 1 MiB/s since then, so consecutive ones differ by 10 MiB (their barriers 10 s apart); an
  // incremental one uploads the growth since the previous one, 10 MiB (no change rate).
  const RunResult full = run_scenario_twice(load(job("", ", state-growth: 3600 mb/h")), {.capture_trace = true});
  const std::vector<int64_t> running = map_events(full.run, "RUNNING");
  const std::vector<int64_t> barrier = map_events(full.run, "barrier", "id=1");
  ASSERT_EQ(running.size(), 1u);
  ASSERT_EQ(barrier.size(), 1u);
  const double grown = static_cast<double>(kMiB) * static_cast<double>(barrier[0] - running[0]) / 1e9;
  ASSERT_EQ(sizes(full).size(), 4u);
  EXPECT_EQ(sizes(full)[0], 256 * kMiB + kHeaders + static_cast<int64_t>(grown));
  EXPECT_NEAR(static_cast<double>(sizes(full)[1] - sizes(full)[0]), 10.0 * kMiB, 1.0);

  const RunResult incremental = run_scenario_twice(load(job(kRocksDbIncremental, ", state-growth: 3600 mb/h")));
  ASSERT_EQ(sizes(incremental).size(), 4u);
  EXPECT_EQ(sizes(incremental)[0], sizes(full)[0]);
  EXPECT_NEAR(static_cast<double>(sizes(incremental)[1]), 10.0 * kMiB + kHeaders, 1.0);
}

TEST(IncrementalCheckpointScenario, ARestoreReadsTheWholeStateAndTheNextCheckpointBuildsOnIt) {
  // map:0 fails at 20 s; the restart (21.001 s) restores checkpoint 2 (taken at 15.970 s). The
  // restore reads all 268,436,480 B at 100 MB/s (2.684 s) whatever the incremental uploads were.
  // The restored files count as uploaded: the first checkpoint after the restore uploads the
  // changes since the map runs again, 1 MiB/s x (its barrier - its RUNNING).
  const RunResult result = run_scenario_twice(
      load(job(kRocksDbIncremental, ", state-change-rate: 60 mb/min", "  - {at: 20 s, fail-task: map:0}\n")),
      {.capture_trace = true});
  ASSERT_EQ(result.run.metrics.failovers, 1);
  const nlohmann::ordered_json json = result.to_json();
  EXPECT_GE(json["recovery"]["restore_ms"].get<int64_t>(), 2'684);
  const std::vector<int64_t> running = map_events(result.run, "RUNNING");
  ASSERT_EQ(running.size(), 2u);
  std::vector<int64_t> after;
  for (int64_t id = 1; id < 10; ++id) {
    const auto barrier = map_events(result.run, "barrier", "id=" + std::to_string(id));
    if (!barrier.empty() && barrier[0] > running[1]) after.push_back(barrier[0]);
  }
  ASSERT_FALSE(after.empty());
  const int64_t changed = static_cast<int64_t>(static_cast<double>(kMiB) * static_cast<double>(after[0] - running[1]) / 1e9);
  const std::vector<int64_t> uploaded = sizes(result);
  ASSERT_GE(uploaded.size(), 3u);
  EXPECT_EQ(uploaded[2], changed + kHeaders);
}

TEST(IncrementalCheckpointScenario, ASavepointIsWholeAndOnlyAClaimedNativeOneIsTheNextBase) {
  // Stop-with-savepoint at 20 s: savepoint 3 uploads the whole 256 MiB + headers (savepoints
  // are self-contained, FLIP-203), so it takes the first checkpoint's 2,903 ms (20.000 s to
  // 22.903 s), not an increment's. The job restarted from it (restore_mode, FLIP-193): after
  // NO_CLAIM (the default) or from a canonical savepoint its first checkpoint (id 4) is full
  // again; only a claimed native savepoint is the base of an increment, 1 MiB/s x (barrier 4 -
  // RUNNING), as after a failover.
  const std::string config = kRocksDbIncremental + "  execution.checkpointing.savepoint-dir: /sp\n";
  const auto run = [&](const std::string& stop, const std::string& start) {
    return run_scenario_twice(
        load(job(config, ", state-change-rate: 60 mb/min",
                 "  - {at: 20 s, stop-with-savepoint: job" + stop + "}\n"
                 "  - {after: \"job FINISHED + 1 s\", start-from-savepoint: latest" + start + "}\n")),
        {.capture_trace = true});
  };
  const RunResult no_claim = run(", format: native", "");
  ASSERT_EQ(no_claim.run.metrics.savepoints.size(), 1u);
  EXPECT_EQ(no_claim.run.metrics.savepoints[0].size_bytes, 256 * kMiB + kHeaders);
  EXPECT_EQ(no_claim.run.metrics.savepoints[0].duration->count_milliseconds(), 2'903);
  ASSERT_GE(sizes(no_claim).size(), 3u);
  EXPECT_EQ(sizes(no_claim)[2], 256 * kMiB + kHeaders);
  const RunResult canonical_claimed = run("", ", claim-mode: claim");
  ASSERT_GE(sizes(canonical_claimed).size(), 3u);
  EXPECT_EQ(sizes(canonical_claimed)[2], 256 * kMiB + kHeaders);
  const RunResult native_claimed = run(", format: native", ", claim-mode: claim");
  const std::vector<int64_t> running = map_events(native_claimed.run, "RUNNING");
  const std::vector<int64_t> barrier = map_events(native_claimed.run, "barrier", "id=4");
  ASSERT_EQ(running.size(), 2u);
  ASSERT_EQ(barrier.size(), 1u);
  const double changed = static_cast<double>(kMiB) * static_cast<double>(barrier[0] - running[1]) / 1e9;
  ASSERT_GE(sizes(native_claimed).size(), 3u);
  EXPECT_EQ(sizes(native_claimed)[2], static_cast<int64_t>(changed) + kHeaders);
}

}  // namespace
}  // namespace flinksim::scenarios
