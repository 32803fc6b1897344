// Goal: the absolute oracle adds up committed effects against the source log by hand-made jobs.
#include "property_tests/source_log_oracle.h"

#include <gtest/gtest.h>

namespace flinksim::property_tests {
namespace {

GeneratedVertex vertex(std::string name, graph::OperatorKind kind, int64_t parallelism,
                       int64_t records = 0) {
  GeneratedVertex v;
  v.name = std::move(name);
  v.kind = kind;
  v.parallelism = parallelism;
  v.records = records;
  return v;
}

std::vector<model::CommittedRecord> records_with_lineage(std::vector<uint64_t> counts) {
  std::vector<model::CommittedRecord> committed;
  for (uint64_t count : counts) {
    model::CommittedRecord record;
    record.record.lineage.count = count;
    committed.push_back(record);
  }
  return committed;
}

TEST(SourceLogOracle, BroadcastCopiesEveryRecordOncePerTarget) {
  // 100 records, broadcast to a window of parallelism 3: 300 effects; windows of 120 + 180.
  GeneratedJob job;
  job.vertices = {vertex("source1", graph::OperatorKind::source, 1, 100),
                  vertex("window1", graph::OperatorKind::window, 3),
                  vertex("sink", graph::OperatorKind::sink, 1)};
  job.edges = {{"source1", "window1", Partitioning::broadcast}, {"window1", "sink", Partitioning::rebalance}};
  EXPECT_EQ(source_log_expectation(job)->records, 300);
  EXPECT_FALSE(check_against_source_log(job, records_with_lineage({120, 180})).has_value());
  EXPECT_EQ(*check_against_source_log(job, records_with_lineage({120, 179})),
            "299 source records reflected, the source log gives 300 (lost 1)");
  EXPECT_EQ(*check_against_source_log(job, records_with_lineage({120, 180, 1})),
            "301 source records reflected, the source log gives 300 (duplicated 1)");
}

TEST(SourceLogOracle, AggregatesAreCountedByUpdatesAndFiltersAreNotChecked) {
  GeneratedJob job;
  job.vertices = {vertex("source1", graph::OperatorKind::source, 2, 3),
                  vertex("aggregate1", graph::OperatorKind::aggregate, 1),
                  vertex("sink", graph::OperatorKind::sink, 1)};
  job.edges = {{"source1", "aggregate1", Partitioning::hash}, {"aggregate1", "sink", Partitioning::forward}};
  // Three updates with lineages 1, 2, 3 (a running count): three records, not six.
  EXPECT_FALSE(check_against_source_log(job, records_with_lineage({1, 2, 3})).has_value());
  EXPECT_TRUE(check_against_source_log(job, records_with_lineage({1, 2})).has_value());
  job.vertices[1].kind = graph::OperatorKind::filter;
  EXPECT_FALSE(source_log_expectation(job).has_value());
}

}  // namespace
}  // namespace flinksim::property_tests
