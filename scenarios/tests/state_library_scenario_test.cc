// Goal: the library scenarios of issue 18 show what their comments derive by hand: incremental
// vs full checkpoints of a large RocksDB state (the uploads differ, the restore does not), a
// checkpoint-storage outage that uses up fixed-delay's attempts with failed restores, and the
// catch-up after a 5 min outage (backlog / (capacity - rate)).
// Method: each file of scenarios/library is run as `flinksim run` runs it (with its reference
// and the oracle, twice: same trace hash); the figures below are the files' timelines.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;

constexpr int64_t kMiB = 1024 * 1024;
constexpr int64_t kGiB = 1024 * kMiB;
// A 1 KiB header per task: source -> map -> sink is one chained task (3 KiB unchained).
constexpr int64_t kHeaders = 1024;

std::string library_text(const std::string& name) {
  std::ifstream file(std::string(FLINKSIM_LIBRARY_DIR) + "/" + name + ".yaml");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::vector<int64_t> json_list(const RunResult& result, const char* key) {
  return result.to_json()["checkpoints"][key].get<std::vector<int64_t>>();
}

void expect_exactly_once(const RunResult& result) {
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once())
      << result.exactly_once->records_lost << " lost, " << result.exactly_once->records_duplicated << " duplicated";
}

void expect_restore_of_one_gibibyte(const RunResult& result) {
  // 1,073,742,848 B at 100 MB/s (10.737 s) + the 2 ms round trip; RUNNING 100 ms later, after
  // the 1 ms to hear the failure, fixed-delay's 1 s and 50 ms of deployment: 11.892 s.
  EXPECT_EQ(result.to_json()["recovery"]["restore_ms"], 10'739);
  ASSERT_TRUE(result.run.metrics.recovery_time_max.has_value());
  EXPECT_NEAR(static_cast<double>(result.run.metrics.recovery_time_max->count_milliseconds()), 11'892, 1);
  ASSERT_EQ(result.run.metrics.checkpoints->restored_from, std::vector<int64_t>{3});
}

TEST(StateLibraryScenario, IncrementalCheckpointsUploadTheChangesButTheRestoreReadsEverything) {
  const RunResult result = run_scenario_twice(load(library_text("incremental-vs-full-checkpoints-large-state")));
  const std::vector<int64_t> sizes = json_list(result, "sizes_bytes");
  ASSERT_EQ(sizes.size(), 5u);
  // 1: the whole GiB; 2, 3, 5: 30 s x 60 MiB/min = 30 MiB; 4: the 18.83 s since map:0 ran again
  // after the restore (111.892 s to its snapshot at 130.725 s), 1 MiB/s.
  EXPECT_EQ(sizes[0], kGiB + kHeaders);
  EXPECT_EQ(sizes[1], 30 * kMiB + kHeaders);
  EXPECT_EQ(sizes[2], 30 * kMiB + kHeaders);
  EXPECT_NEAR(static_cast<double>(sizes[3] - kHeaders) / kMiB, 130.725 - 111.892, 0.002);
  EXPECT_EQ(sizes[4], 30 * kMiB + kHeaders);
  // Link (10 gbps) + storage (100 MB/s) + 4 ms: 0.859 + 10.737 s; 0.025 + 0.315 s; 0.016 + 0.198 s.
  EXPECT_EQ(json_list(result, "durations_ms"), (std::vector<int64_t>{11'600, 343, 343, 217, 343}));
  expect_restore_of_one_gibibyte(result);
  expect_exactly_once(result);
}

TEST(StateLibraryScenario, FullCheckpointsUploadTheWholeStateEveryTimeAndRestoreAsFast) {
  const RunResult result = run_scenario_twice(load(replaced(library_text("incremental-vs-full-checkpoints-large-state"),
                                                            "execution.checkpointing.incremental: true",
                                                            "execution.checkpointing.incremental: false")));
  EXPECT_EQ(json_list(result, "sizes_bytes"), std::vector<int64_t>(5, kGiB + kHeaders));
  EXPECT_EQ(json_list(result, "durations_ms"), std::vector<int64_t>(5, 11'600));
  expect_restore_of_one_gibibyte(result);
}

TEST(StateLibraryScenario, RestoresDuringAStorageOutageUseUpFixedDelaysAttempts) {
  const RunResult result = run_scenario_twice(load(library_text("restore-during-storage-outage-attempts-exhausted")));
  const model::RunMetrics& m = result.run.metrics;
  EXPECT_EQ(m.final_status, model::JobStatus::failed);
  EXPECT_EQ(m.failure_reason, "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy("
                              "maxNumberRestartAttempts=10, backoffTimeMS=1000)");
  // The global failover at 5.954 s, then a failed restore heard every 1.054 s from 7.008 s.
  ASSERT_EQ(m.failovers, 10);
  EXPECT_EQ(m.tasks_restarted, 60);
  EXPECT_EQ(m.failover_log[0].failed_task, "global");
  EXPECT_EQ(m.failover_log[0].time.milliseconds_since_start(), 5'954);
  for (int k = 1; k < 10; ++k) {
    EXPECT_EQ(m.failover_log[k].time.milliseconds_since_start(), 7'008 + (k - 1) * 1'054) << k;
    EXPECT_NE(m.failover_log[k].cause.find("IOException"), std::string::npos) << m.failover_log[k].cause;
  }
  ASSERT_TRUE(m.ended_at.has_value());
  EXPECT_EQ(m.ended_at->milliseconds_since_start(), 16'494);
  // Nothing duplicated or lost; what the reference committed after checkpoint 2 is missing.
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_FALSE(result.exactly_once->exactly_once());
  EXPECT_EQ(result.exactly_once->records_lost, 0);
  EXPECT_EQ(result.exactly_once->records_duplicated, 0);
  EXPECT_GT(result.exactly_once->records_missing, 0);
}

TEST(StateLibraryScenario, AFiveMinuteOutageIsCaughtUpAtTheSpareCapacity) {
  const RunResult result = run_scenario_twice(load(library_text("catch-up-after-five-minute-outage")));
  ASSERT_TRUE(result.run.metrics.recovery_time_max.has_value());
  // Restart after 5 min at 360.001 s, RUNNING at 360.155 s.
  EXPECT_NEAR(static_cast<double>(result.run.metrics.recovery_time_max->count_milliseconds()), 300'155, 1);
  // source:1 restored at 55,812 with its head at 359,997; the last ms's record not yet due.
  EXPECT_NEAR(static_cast<double>(result.to_json()["recovery"]["lag_max_records"].get<int64_t>()), 304'185, 2);
  // map:1's spare capacity 3,000 - 1,000 records/s: 304,184 / 2,000 = 152.09 s after 360.155 s,
  // 452.25 s after the fault (unchained, less up to 4 buffers of 512 records in the channel).
  ASSERT_TRUE(result.caught_up_ms().has_value());
  // Chained: no channel between source and map, less one source step of 512 records (0.26 s).
  EXPECT_GE(*result.caught_up_ms(), 451'990);
  EXPECT_LE(*result.caught_up_ms(), 452'250);
  expect_exactly_once(result);
  // The lag series (records-lag-max per second, over the running readers): region 0 never stops
  // and keeps up (lag <= 1 record before and during the outage); from second 360 source:1's
  // backlog dominates: at most 304,184 - 2,000 x (s - 360.155) at second s (the first read of
  // the second sees the most), and no more than 2,000 + 2 buffers of 512 below it.
  const nlohmann::ordered_json json = result.to_json();
  const nlohmann::ordered_json& lag = json["lag"];
  EXPECT_EQ(lag["interval_ms"], 1000);
  const auto& max_records = lag["max_records"];
  ASSERT_GE(max_records.size(), 540u);
  for (size_t s = 1; s < 360; ++s) EXPECT_LE(max_records[s].get<int64_t>(), 1) << "second " << s;
  EXPECT_EQ(max_records[360].get<int64_t>(), 304'184);
  for (size_t s = 361; s < 510; ++s) {
    const double bound = 304'184 - 2'000 * (static_cast<double>(s) - 360.155);
    EXPECT_LE(max_records[s].get<double>(), bound) << "second " << s;
    EXPECT_GE(max_records[s].get<double>(), bound - 3'024) << "second " << s;
  }
  EXPECT_LE(max_records[515].get<int64_t>(), 1);
}

}  // namespace
}  // namespace flinksim::scenarios
