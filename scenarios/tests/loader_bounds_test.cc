// Goal: the loader rejects what no simulation can run, with file:line:col and the figure that is
// too large (issue 21): source rates outside (0, 10^9]/s, sizes beyond the run-size ceilings of
// run_size_estimate.h, and names an empty cluster's TaskManagers sensibly. Method: small
// scenarios with one oversized value each; estimates and positions are worked out by hand.

#include <gtest/gtest.h>

#include <string>

#include "scenarios/run_size_estimate.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::scenarios {
namespace {

Diagnostics load_errors(const std::string& text) {
  Diagnostics diagnostics;
  EXPECT_FALSE(load_scenario_text(text, "s.yaml", diagnostics).has_value());
  return diagnostics;
}

ScenarioSpec load_ok(const std::string& text) {
  Diagnostics diagnostics;
  std::optional<ScenarioSpec> spec = load_scenario_text(text, "s.yaml", diagnostics);
  EXPECT_TRUE(spec.has_value()) << diagnostics.format();
  return spec.value_or(ScenarioSpec{});
}

bool contains(const Diagnostics& diagnostics, const std::string& text) {
  return diagnostics.format().find(text) != std::string::npos;
}

// A source -> sink job; `source` is the flow map's extra keys, e.g. "rate: 10/s".
std::string job_with_source(const std::string& source, const std::string& head = "") {
  return "name: s\n" + head +
         "job:\n"
         "  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, " + source + "}\n"
         "    - {name: sink, operator: sink, parallelism: 1}\n"
         "  edges:\n"
         "    - {from: source, to: sink}\n";
}

TEST(LoaderBounds, RateOfZeroIsAnErrorNotUnthrottled) {
  // The value "0/s" starts at column 62 of line 4 (after a 61-character prefix).
  const Diagnostics diagnostics = load_errors(job_with_source("rate: 0/s"));
  EXPECT_TRUE(contains(diagnostics, "s.yaml:4:62: error: rate must be more than zero; leave 'rate' "
                                    "out for a bounded source read as fast as its consumers take "
                                    "it in 'job.vertices[0].rate'"))
      << diagnostics.format();
}

TEST(LoaderBounds, RateAboveOneBillionPerSecondIsAnError) {
  const Diagnostics diagnostics = load_errors(job_with_source("rate: 1000000000000/s"));
  EXPECT_TRUE(contains(diagnostics, "s.yaml:4:62: error: rate 1e+12/s per subtask is above the "
                                    "10^9/s a source subtask can be paced at"))
      << diagnostics.format();
}

TEST(LoaderBounds, RateOfExactlyOneBillionPerSecondIsAccepted) {
  // 10^9/s for the default 10 min is 6 x 10^11 records, so a simulated record must stand for
  // enough of them: 10^9 / 10^5 (the default budget) = 10^4 with auto.
  const ScenarioSpec spec = load_ok(job_with_source("rate: 1000000000/s"));
  ASSERT_TRUE(spec.job);
  EXPECT_DOUBLE_EQ(*spec.job->vertices()[0].operator_spec.rate_per_second, 1e9);
  EXPECT_EQ(estimate_run_size(spec).records_per_simulated_record, 10'000);
}

TEST(LoaderBounds, EmptyClusterNamesNoTaskManagerRange) {
  // Was "(taskmanager-0 .. taskmanager--1)".
  const Diagnostics diagnostics = load_errors(job_with_source(
      "rate: 10/s", "cluster: {taskmanagers: 0}\nfaults:\n  - {at: 1 s, kill: taskmanager-0}\n"));
  EXPECT_TRUE(contains(diagnostics, "'taskmanager-0' does not exist: the cluster has 0 taskmanagers "
                                    "and 0 standby (no TaskManager)"))
      << diagnostics.format();
  EXPECT_FALSE(contains(diagnostics, "taskmanager--1"));
}

TEST(LoaderBounds, TenYearsOfRecordsAreRejectedWithTheEstimate) {
  // rate 1000/s x parallelism 1 (auto: 1000 < 100,000, so one record each) x 3650 d
  // (315,360,000 s, printed as 87,600 h) = 3.1536 x 10^11 simulated records > 10^10. "duration"
  // is at line 2, col 11.
  const Diagnostics diagnostics = load_errors(job_with_source("rate: 1000/s", "duration: 3650 d\n"));
  EXPECT_TRUE(contains(diagnostics, "s.yaml:2:11: error: the run would simulate about 3.15e+11 "
                                    "source records (the sources' parallelism x rate over 87600 h, / "
                                    "records-per-simulated-record 1), beyond the ceiling of "
                                    "10^10"))
      << diagnostics.format();
}

TEST(LoaderBounds, GroupedRecordsBringTheEstimateUnderTheCeiling) {
  // The same ten years at 100 records per simulated record: 3.15 x 10^9, under 10^10.
  const ScenarioSpec spec = load_ok(job_with_source(
      "rate: 1000/s", "duration: 3650 d\nsimulation: {records-per-simulated-record: 100}\n"));
  EXPECT_DOUBLE_EQ(estimate_run_size(spec).simulated_source_records, 1000.0 * 315'360'000 / 100);
}

TEST(LoaderBounds, BoundedSourceCountsItsRecordsNotItsRate) {
  // 5,000 records at 10/s for 10 min: 6,000 due by rate, but only 5,000 exist.
  const ScenarioSpec spec = load_ok(job_with_source("records: 5000, rate: 10/s"));
  EXPECT_DOUBLE_EQ(estimate_run_size(spec).simulated_source_records, 5000);
}

TEST(LoaderBounds, AllToAllAtParallelism32768IsRejected) {
  // 32,768 x 32,768 = 1,073,741,824 channels (1.07e+09) and 65,536 tasks.
  const std::string text =
      "name: s\ncluster: {deployment: kubernetes}\njob:\n  vertices:\n"
      "    - {name: a, operator: source, parallelism: 32768, rate: 1/s}\n"
      "    - {name: b, operator: sink, parallelism: 32768}\n"
      "  edges:\n    - {from: a, to: b, partitioning: rebalance}\n";
  const Diagnostics diagnostics = load_errors(text);
  EXPECT_TRUE(contains(diagnostics, "s.yaml:4:3: error: the job has 6.55e+04 tasks and 1.07e+09 input "
                                    "channels"))
      << diagnostics.format();
}

TEST(LoaderBounds, TenThousandTaskManagersForTenYearsAreRejected) {
  // 10,000 x 4 messages every 10 s over 315,360,000 s = 1.26144 x 10^12; "cluster" at 2:10.
  const Diagnostics diagnostics = load_errors(job_with_source(
      "rate: 1/s", "cluster: {taskmanagers: 10000}\nduration: 3650 d\n"));
  EXPECT_TRUE(contains(diagnostics, "s.yaml:2:10: error: the run would exchange about 1.26e+12 "
                                    "heartbeat messages (10000 TaskManagers x 4 every "
                                    "heartbeat.interval over 87600 h)"))
      << diagnostics.format();
}

}  // namespace
}  // namespace flinksim::scenarios
