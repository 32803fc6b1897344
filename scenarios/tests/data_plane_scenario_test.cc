// Goal: records really flow through the simulated data plane and the committed output is right
// to the record. Method: failure-free runs whose sink-store content is compared with an
// independent calculation from the source log's own record stream (windows, running
// aggregates, filters), plus the flow-control properties of credit-based channels:
// backpressure slows sources to the sink's pace, no buffer is lost or duplicated, memory stays
// bounded by the buffer pools.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>

#include "model/operators/stateless_operators.h"
#include "model/runtime/source_log.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/tests/scenario_test_support.h"

namespace flinksim::scenarios {
namespace {

using testing::load;
using testing::run_twice;
using testing::run_scenario_twice;

// Every record of a source vertex, read straight from the log the model's sources read.
std::vector<model::runtime::Record> source_records(const ScenarioSpec& spec, const std::string& vertex) {
  const graph::JobVertexId id = *spec.job->find_vertex(vertex);
  const graph::JobVertex& v = spec.job->vertex(id);
  model::DataPlaneOptions options;
  model::runtime::SourceLog log(v, v.stream_index, options, spec.seed);
  std::vector<model::runtime::Record> records;
  for (uint32_t p = 0; p < static_cast<uint32_t>(v.parallelism); ++p) {
    const int64_t n = *log.records_in_partition(p);
    for (int64_t offset = 0; offset < n; ++offset) records.push_back(log.record_at(p, offset));
  }
  return records;
}

std::string job_yaml(const std::string& mode, const std::string& vertices, const std::string& edges,
                     const std::string& extra_config = "") {
  return "name: data\nseed: 7\nduration: 10 min\n"
         "cluster: {taskmanagers: 2}\n"
         "config:\n  taskmanager.numberOfTaskSlots: 2\n" + extra_config +
         "job:\n  mode: " + mode + "\n  vertices:\n" + vertices + "  edges:\n" + edges;
}

const std::string kWindowVertices =
    "    - {name: source, operator: source, parallelism: 3, records: 30000, rate: 2000/s, keys: 20,"
    " out-of-orderness: 200 ms}\n"
    "    - {name: window, operator: window, size: 1 s, function: sum, parallelism: 2}\n"
    "    - {name: sink, operator: sink, parallelism: 2}\n";
const std::string kWindowEdges =
    "    - {from: source, to: window, partitioning: hash}\n"
    "    - {from: window, to: sink, partitioning: rebalance}\n";

using WindowKey = std::tuple<int64_t, int64_t>;  // (key, window end)
struct WindowValue {
  int64_t sum = 0;
  int64_t count = 0;
};

std::map<WindowKey, WindowValue> expected_windows(const ScenarioSpec& spec) {
  std::map<WindowKey, WindowValue> expected;
  const int64_t size = 1'000'000'000;
  for (const auto& r : source_records(spec, "source")) {
    const int64_t end = r.timestamp - r.timestamp % size + size;
    WindowValue& w = expected[{r.key, end}];
    w.sum += r.value;
    ++w.count;
  }
  return expected;
}

void expect_windows_match(const RunOutcome& outcome, const ScenarioSpec& spec) {
  const std::map<WindowKey, WindowValue> expected = expected_windows(spec);
  std::map<WindowKey, WindowValue> actual;
  for (const model::CommittedRecord& c : outcome.metrics.committed_output) {
    const auto [it, inserted] = actual.try_emplace({c.record.key, c.record.window_end},
                                                   WindowValue{c.record.value,
                                                               static_cast<int64_t>(c.record.lineage.count)});
    EXPECT_TRUE(inserted) << "window emitted twice: key " << c.record.key;
  }
  ASSERT_EQ(actual.size(), expected.size());
  for (const auto& [id, value] : expected) {
    const auto found = actual.find(id);
    ASSERT_NE(found, actual.end()) << "missing window of key " << std::get<0>(id);
    EXPECT_EQ(found->second.sum, value.sum);
    EXPECT_EQ(found->second.count, value.count);
  }
}

TEST(DataPlane, WindowSumsAndCountsEqualTheSourceStream) {
  const ScenarioSpec spec = load(job_yaml("streaming", kWindowVertices, kWindowEdges));
  const RunOutcome outcome = run_twice(spec);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::finished);
  EXPECT_EQ(outcome.metrics.data_plane.records_generated, 30000);
  expect_windows_match(outcome, spec);
}

TEST(DataPlane, BatchModeWithBlockingEdgesGivesTheStreamingResult) {
  const ScenarioSpec spec = load(job_yaml("batch", kWindowVertices, kWindowEdges));
  const RunOutcome outcome = run_twice(spec);
  EXPECT_EQ(outcome.metrics.final_status, model::JobStatus::finished);
  expect_windows_match(outcome, spec);
}

TEST(DataPlane, RunningCountsEndAtEachKeysRecordCount) {
  const std::string vertices =
      "    - {name: source, operator: source, parallelism: 4, records: 40000, keys: 50,"
      " key-distribution: zipf, zipf-exponent: 1.2}\n"
      "    - {name: count, operator: aggregate, function: count, parallelism: 3}\n"
      "    - {name: sink, operator: sink, delivery: at-least-once, parallelism: 1}\n";
  const std::string edges =
      "    - {from: source, to: count, partitioning: hash}\n"
      "    - {from: count, to: sink, partitioning: rebalance}\n";
  const ScenarioSpec spec = load(job_yaml("streaming", vertices, edges));
  const RunOutcome outcome = run_twice(spec);
  ASSERT_EQ(outcome.metrics.final_status, model::JobStatus::finished);
  std::map<int64_t, int64_t> expected;
  for (const auto& r : source_records(spec, "source")) ++expected[r.key];
  // One update per record; a key's updates count up 1, 2, ..., n in order.
  EXPECT_EQ(outcome.metrics.committed_output.size(), 40000u);
  std::map<int64_t, int64_t> last;
  for (const model::CommittedRecord& c : outcome.metrics.committed_output) {
    EXPECT_EQ(c.record.value, last[c.record.key] + 1) << "key " << c.record.key;
    EXPECT_EQ(static_cast<int64_t>(c.record.lineage.count), c.record.value);
    last[c.record.key] = c.record.value;
  }
  EXPECT_EQ(last, expected);
  int64_t total = 0;
  for (const auto& [key, count] : last) total += count;
  EXPECT_EQ(total, 40000);
}

TEST(DataPlane, FilterKeepsExactlyTheSelectedRecords) {
  const std::string vertices =
      "    - {name: source, operator: source, parallelism: 2, records: 50000}\n"
      "    - {name: filter, operator: filter, selectivity: 0.3, parallelism: 2}\n"
      "    - {name: sink, operator: sink, parallelism: 2}\n";
  const std::string edges =
      "    - {from: source, to: filter, partitioning: forward}\n"
      "    - {from: filter, to: sink, partitioning: forward}\n";
  const ScenarioSpec spec = load(job_yaml("streaming", vertices, edges));
  const RunOutcome outcome = run_twice(spec);
  int64_t expected = 0;
  for (const auto& r : source_records(spec, "source")) {
    expected += model::operators::FilterOperator::passes(r.lineage, 0.3) ? 1 : 0;
  }
  EXPECT_EQ(static_cast<int64_t>(outcome.metrics.committed_output.size()), expected);
  // The draw is uniform: 30 % of 50000 within four standard deviations (sqrt(50000*.3*.7) = 102).
  EXPECT_NEAR(static_cast<double>(expected), 15000.0, 410.0);
}

TEST(DataPlane, SlowSinkBackpressuresTheSourceToItsPace) {
  // The source could produce 100000 records in 10 s; the sink takes 1 ms a record (1000/s). The
  // channels hold at most (2 x 1 + 8) sender buffers and (2 + 8) receiver buffers of 512 records
  // (32 kb / 64 B), about 10240 records, so the source cannot finish before ~(100000 - 10240) / 1000 s.
  const std::string vertices =
      "    - {name: source, operator: source, parallelism: 1, records: 100000, rate: 10000/s}\n"
      "    - {name: sink, operator: sink, parallelism: 1, cost-per-record: 1 ms}\n";
  const std::string edges = "    - {from: source, to: sink, partitioning: rebalance}\n";
  const ScenarioSpec spec = load(job_yaml("streaming", vertices, edges));
  const RunOutcome outcome = run_twice(spec);
  ASSERT_EQ(outcome.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(outcome.metrics.finished_at.has_value());
  // 100 s of sink work after 0.158 s of start-up and the first buffer's flush.
  EXPECT_NEAR(outcome.metrics.finished_at->nanoseconds_since_start() / 1e9, 100.16, 0.2);
  EXPECT_EQ(outcome.metrics.committed_output.size(), 100000u);
  const auto& dp = outcome.metrics.data_plane;
  EXPECT_EQ(dp.data_buffers_sent, dp.data_buffers_received) << "a buffer was lost or duplicated";
  EXPECT_LE(dp.peak_output_buffers, 2 * 1 + 8);
  EXPECT_LE(dp.peak_input_buffers, 2 + 8);
}

TEST(DataPlane, UnboundedSourceUnderBackpressureKeepsMemoryBounded) {
  const std::string vertices =
      "    - {name: source, operator: source, parallelism: 2, rate: 50000/s}\n"
      "    - {name: slow, operator: map, parallelism: 2, cost-per-record: 100 us}\n"
      "    - {name: sink, operator: sink, delivery: at-least-once, parallelism: 2}\n";
  const std::string edges =
      "    - {from: source, to: slow, partitioning: rebalance}\n"
      "    - {from: slow, to: sink, partitioning: forward}\n";
  std::string yaml = job_yaml("streaming", vertices, edges);
  yaml.replace(yaml.find("duration: 10 min"), 16, "duration: 30 s");
  const RunOutcome outcome = run_twice(load(yaml));
  const auto& dp = outcome.metrics.data_plane;
  // Two slow subtasks at 10000 records/s each for ~30 s: about 600000 records reach the sink,
  // while the sources could have produced 3 million.
  EXPECT_LT(outcome.metrics.committed_output.size(), 620000u);
  EXPECT_GT(outcome.metrics.committed_output.size(), 560000u);
  EXPECT_LT(dp.records_generated, 700000);
  EXPECT_LE(dp.peak_output_buffers, 2 * 2 + 8);    // two subpartitions per source
  EXPECT_LE(dp.peak_input_buffers, 2 * 2 + 8);     // two channels per slow subtask
}

}  // namespace
}  // namespace flinksim::scenarios
