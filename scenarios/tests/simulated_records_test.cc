// Goal: a simulated record that stands for n real records (docs/data-plane.md, "Simulated
// records") gives the verdict record granularity gives, with counts in real records.
// Method: the loader's `simulation:` section and the automatic choice, computed by hand; then the
// same faulty scenarios at n = 1 and n > 1, whose lost and duplicated counts are derived from
// the scenario (not from the program) and must agree within what n can shift.

#include <gtest/gtest.h>

#include <string>

#include "scenarios/record_grouping.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_scenario_twice;

std::string header(const std::string& simulation) {
  return "name: grouping\nduration: 1 min\ncluster: {taskmanagers: 4}\n" + simulation +
         "job:\n"
         "  vertices:\n"
         "    - {name: fast, operator: source, parallelism: 4, rate: 50000/s}\n"
         "    - {name: default, operator: source, parallelism: 2}\n"
         "    - {name: bounded, operator: source, parallelism: 3, records: 1000}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: at-least-once}\n"
         "  edges:\n"
         "    - {from: fast, to: sink}\n"
         "    - {from: default, to: sink}\n"
         "    - {from: bounded, to: sink}\n";
}

TEST(SimulatedRecords, TheSourcesRateIsSummedOverSubtasks) {
  // 4 x 50,000 + 2 x 1,000 (the unbounded default) + 0 (bounded, as fast as downstream takes).
  EXPECT_DOUBLE_EQ(source_records_per_second(*load(header("")).job, 1000), 202'000);
}

TEST(SimulatedRecords, AutomaticGroupingKeepsTheSourcesWithinTheBudget) {
  // ceil(202,000 / 100,000) = 3 with the default budget, ceil(202,000 / 20,000) = 11.
  EXPECT_EQ(records_per_simulated_record(load(header("")), 1000), 3);
  EXPECT_EQ(records_per_simulated_record(load(header("simulation: {simulated-records-per-second: 20000}\n")), 1000), 11);
  EXPECT_EQ(records_per_simulated_record(load(header("simulation: {records-per-simulated-record: auto}\n")), 1000), 3);
  EXPECT_EQ(records_per_simulated_record(load(header("simulation: {records-per-simulated-record: 7}\n")), 1000), 7);
  EXPECT_EQ(records_per_simulated_record(load(header("simulation: {simulated-records-per-second: 1000000}\n")), 1000), 1);
}

TEST(SimulatedRecords, TheLoaderRejectsNonsenseWithItsPosition) {
  Diagnostics diagnostics;
  EXPECT_FALSE(load_scenario_text(header("simulation: {records-per-simulated-record: 0}\n"), "t.yaml", diagnostics));
  EXPECT_NE(diagnostics.format().find("t.yaml:4:"), std::string::npos) << diagnostics.format();
  Diagnostics unknown;
  EXPECT_FALSE(load_scenario_text(header("simulation: {records-per-simulation: 2}\n"), "t.yaml", unknown));
  EXPECT_NE(unknown.format().find("records-per-simulation"), std::string::npos) << unknown.format();
}

// source -> map -> at-least-once sink at 1000 records/s per subtask; map:1 fails at 20 s.
std::string pass_through_job(int64_t records_per_simulated_record) {
  return "name: pass-through-grouped\n"
         "duration: 1 min\n"
         "simulation: {records-per-simulated-record: " + std::to_string(records_per_simulated_record) + "}\n"
         "cluster: {taskmanagers: 2}\n"
         "config:\n"
         "  taskmanager.numberOfTaskSlots: 2\n"
         "  execution.checkpointing.interval: 2 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n"
         "job:\n"
         "  vertices:\n"
         "    - {name: source, operator: source, parallelism: 2, rate: 1000/s}\n"
         "    - {name: map, operator: map, parallelism: 2}\n"
         "    - {name: sink, operator: sink, parallelism: 2, delivery: at-least-once}\n"
         "  edges:\n"
         "    - {from: source, to: map, partitioning: forward}\n"
         "    - {from: map, to: sink, partitioning: rebalance}\n"
         "faults:\n"
         "  - {at: 20 s, fail-task: map:1}\n";
}

// The trigger instant of the checkpoint the run restored from, in seconds.
double restored_trigger_seconds(const RunResult& result) {
  const auto& restored = result.run.metrics.checkpoints->restored_from;
  EXPECT_EQ(restored.size(), 1u);
  return testing::checkpoint_trigger_seconds(result.run, restored.at(0));
}

TEST(SimulatedRecords, GroupAndRecordGranularityDuplicateTheSameRecords) {
  // The replay writes again what both sources emitted between the restored checkpoint's trigger
  // T and the failure at 20 s: 2 x 1000 x (20 - T) real records, less up to one unflushed
  // 100 ms output buffer per map (2 x 100), plus map:0's output until its cancellation (12).
  // A simulated record of n stands for n of them, so a group adds up to 2n either way (one
  // partial group per source partition).
  double duplicated_at[2] = {0, 0};
  const int64_t groups[2] = {1, 10};
  for (int i = 0; i < 2; ++i) {
    const int64_t n = groups[i];
    const RunResult result = run_scenario_twice(load(pass_through_job(n)), {.capture_trace = true});
    ASSERT_TRUE(result.exactly_once.has_value());
    EXPECT_EQ(result.records_per_simulated_record, n);
    EXPECT_EQ(result.exactly_once->records_lost, 0) << "n = " << n;
    const double emitted = 2 * 1000 * (20.0 - restored_trigger_seconds(result));
    duplicated_at[i] = static_cast<double>(result.exactly_once->records_duplicated);
    EXPECT_GE(duplicated_at[i], emitted - 2 * 100 - 2 * n) << "n = " << n;
    EXPECT_LE(duplicated_at[i], emitted + 12 + 2 * n) << "n = " << n;
    EXPECT_EQ(static_cast<int64_t>(duplicated_at[i]) % n, 0) << "counts are whole simulated records";
  }
  EXPECT_NEAR(duplicated_at[0], duplicated_at[1], 2 * 100 + 12 + 2 * 10);
}

TEST(SimulatedRecords, GroupAndRecordGranularityAgreeOnExactlyOnce) {
  // The library's keyed window job with a TaskManager kill: exactly-once at record granularity
  // (its timeline is in the scenario file) and with a simulated record of 4.
  for (const int64_t n : {1, 4}) {
    Diagnostics diagnostics;
    std::optional<ScenarioSpec> spec =
        load_scenario(std::string(FLINKSIM_LIBRARY_DIR) + "/keyed-window-exactly-once-tm-kill.yaml", diagnostics);
    ASSERT_TRUE(spec.has_value()) << diagnostics.format();
    spec->simulation.records_per_simulated_record = n;
    const RunResult result = run_scenario_twice(*spec);
    testing::expect_finished_exactly_once(result);
    EXPECT_EQ(result.run.metrics.failovers, 3) << "n = " << n;  // the kill, then two refused restarts
    // 2 x 10,000 records in 1 s windows of 20 keys: the same window results whatever n is.
    EXPECT_EQ(result.exactly_once->records_lost, 0);
  }
}

}  // namespace
}  // namespace flinksim::scenarios
