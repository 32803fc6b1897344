// Goal: the oracle tells exactly-once output from lost and duplicated output. Method: small
// hand-built committed outputs with known differences.
#include "checks/exactly_once_oracle.h"

#include <gtest/gtest.h>

#include "model/runtime/record.h"

namespace flinksim::checks {
namespace {

model::CommittedRecord window(int64_t key, int64_t end, int64_t value, uint64_t count, uint64_t hash) {
  model::CommittedRecord c;
  c.sink = graph::ExecutionVertexId{graph::JobVertexId{2}, 0};
  c.record.key = key;
  c.record.window_end = end;
  c.record.value = value;
  c.record.lineage = model::runtime::Lineage{count, hash};
  return c;
}

model::CommittedRecord update(int64_t key, int64_t value) {
  model::CommittedRecord c = window(key, -1, value, static_cast<uint64_t>(value), 7 * static_cast<uint64_t>(value));
  return c;
}

TEST(ExactlyOnceOracle, SameOutputInAnotherOrderIsExactlyOnce) {
  const std::vector<model::CommittedRecord> reference{window(1, 1000, 3, 3, 11), window(2, 1000, 5, 5, 12)};
  const std::vector<model::CommittedRecord> run{reference[1], reference[0]};
  const ExactlyOnceVerdict verdict = compare_with_reference(run, reference);
  EXPECT_TRUE(verdict.exactly_once());
}

TEST(ExactlyOnceOracle, AWindowFiredTwiceDuplicatesItsRecords) {
  const std::vector<model::CommittedRecord> reference{window(1, 1000, 3, 3, 11)};
  const std::vector<model::CommittedRecord> run{reference[0], reference[0]};
  const ExactlyOnceVerdict verdict = compare_with_reference(run, reference);
  EXPECT_FALSE(verdict.output_matches_reference);
  EXPECT_EQ(verdict.records_duplicated, 3);
  EXPECT_EQ(verdict.records_lost, 0);
}

TEST(ExactlyOnceOracle, AWindowMissingRecordsLosesThem) {
  const std::vector<model::CommittedRecord> reference{window(1, 1000, 3, 3, 11), window(1, 2000, 4, 4, 13)};
  const std::vector<model::CommittedRecord> run{window(1, 1000, 2, 2, 9)};
  const ExactlyOnceVerdict verdict = compare_with_reference(run, reference);
  EXPECT_EQ(verdict.records_lost, 1 + 4);
  EXPECT_EQ(verdict.records_duplicated, 0);
}

TEST(ExactlyOnceOracle, ReplayedUpdatesOfARunningAggregateAreDuplicates) {
  const std::vector<model::CommittedRecord> reference{update(1, 1), update(1, 2), update(1, 3)};
  // At-least-once: after a restore to count 1, updates 2 and 3 are written again.
  const std::vector<model::CommittedRecord> run{update(1, 1), update(1, 2), update(1, 3), update(1, 2),
                                                update(1, 3)};
  const ExactlyOnceVerdict verdict = compare_with_reference(run, reference);
  EXPECT_EQ(verdict.records_duplicated, 2);
  EXPECT_EQ(verdict.records_lost, 0);
}

TEST(ExactlyOnceOracle, ARunningJobIsComparedOnTheCommonPrefix) {
  // The faulty run is behind: it committed windows up to 2000 and counts up to 2; the reference
  // went further. Only what both reached counts, except the last window both committed.
  const std::vector<model::CommittedRecord> reference{window(1, 1000, 3, 3, 11), window(1, 2000, 4, 4, 13),
                                                      window(1, 3000, 5, 5, 14), update(2, 1), update(2, 2),
                                                      update(2, 3)};
  const std::vector<model::CommittedRecord> run{window(1, 1000, 3, 3, 11), window(1, 2000, 4, 4, 13),
                                                update(2, 1), update(2, 2)};
  EXPECT_FALSE(compare_with_reference(run, reference).exactly_once());
  EXPECT_TRUE(compare_with_reference(run, reference, Comparison::common_prefix).exactly_once());
  // A real loss inside the prefix is still found.
  const std::vector<model::CommittedRecord> lossy{window(1, 1000, 2, 2, 9), window(1, 2000, 4, 4, 13),
                                                  update(2, 1), update(2, 2)};
  EXPECT_EQ(compare_with_reference(lossy, reference, Comparison::common_prefix).records_lost, 1);
}

// A map's output: one record of source partition `partition` at `offset`, at sink vertex 3.
model::CommittedRecord passed(uint32_t partition, int64_t offset) {
  model::CommittedRecord c;
  c.sink = graph::ExecutionVertexId{graph::JobVertexId{3}, 0};
  c.record.key = offset % 5;
  c.record.value = offset;
  c.record.lineage =
      model::runtime::Lineage::of_source_record(model::runtime::source_record_id(partition, offset));
  return c;
}

std::vector<model::CommittedRecord> passed_range(uint32_t partition, int64_t from, int64_t to) {
  std::vector<model::CommittedRecord> records;
  for (int64_t offset = from; offset < to; ++offset) records.push_back(passed(partition, offset));
  return records;
}

TEST(ExactlyOnceOracle, ARunningPassThroughJobIsCutPerSourcePartition) {
  // The reference committed offsets 0-99 of partitions 0 and 1; the faulty run, behind after a
  // restart, 0-59 of partition 0 and 0-79 of partition 1. Every output has lineage count 1, so
  // only the source positions tell how far each run got: 60 + 80 records compared, none lost.
  std::vector<model::CommittedRecord> reference = passed_range(0, 0, 100);
  for (const auto& c : passed_range(1, 0, 100)) reference.push_back(c);
  std::vector<model::CommittedRecord> run = passed_range(1, 0, 80);
  for (const auto& c : passed_range(0, 0, 60)) run.push_back(c);
  EXPECT_EQ(compare_with_reference(run, reference).records_lost, 60);  // compared whole
  EXPECT_TRUE(compare_with_reference(run, reference, Comparison::common_prefix).exactly_once());

  // Offset 10 of partition 0 missing, and 70-74 of partition 1 committed twice (replayed by an
  // at-least-once sink): one lost, five duplicated, inside the prefix.
  std::vector<model::CommittedRecord> faulty;
  for (const auto& c : run) {
    if (!(c.record.lineage == passed(0, 10).record.lineage)) faulty.push_back(c);
  }
  for (const auto& c : passed_range(1, 70, 75)) faulty.push_back(c);
  const ExactlyOnceVerdict verdict =
      compare_with_reference(faulty, reference, Comparison::common_prefix);
  EXPECT_EQ(verdict.records_lost, 1);
  EXPECT_EQ(verdict.records_duplicated, 5);
}

TEST(ExactlyOnceOracle, ARunThatEndedMissesWhatTheReferenceCommittedBeyondItsPrefix) {
  // The reference committed offsets 0-99 of partitions 0 and 1 and 0-49 of partition 2; the
  // faulty run, LOST before it caught up, 0-59 of partition 0 and 0-79 of partition 1 and nothing
  // of partition 2. It never commits the rest: 40 + 20 + 50 = 110 records missing, none lost
  // inside the prefix. While the job still runs the same output is merely behind.
  std::vector<model::CommittedRecord> reference = passed_range(0, 0, 100);
  for (const auto& c : passed_range(1, 0, 100)) reference.push_back(c);
  for (const auto& c : passed_range(2, 0, 50)) reference.push_back(c);
  std::vector<model::CommittedRecord> run = passed_range(0, 0, 60);
  for (const auto& c : passed_range(1, 0, 80)) run.push_back(c);
  const ExactlyOnceVerdict ended = compare_with_reference(run, reference, Comparison::run_ended);
  EXPECT_EQ(ended.records_missing, 110);
  EXPECT_EQ(ended.records_lost, 0);
  EXPECT_EQ(ended.records_duplicated, 0);
  EXPECT_FALSE(ended.output_matches_reference);
  EXPECT_FALSE(ended.exactly_once());
  const ExactlyOnceVerdict behind = compare_with_reference(run, reference, Comparison::common_prefix);
  EXPECT_EQ(behind.records_missing, 0);
  EXPECT_TRUE(behind.exactly_once());
}

TEST(ExactlyOnceOracle, AnEndedRunMissesWindowsAndUpdatesBeyondItsProgress) {
  // Windows: the run committed both keys' windows ending at 1000 and key 1's ending at 2000
  // (key 2's, of 5 records, never came), then the job failed; the reference also committed key
  // 1's window ending at 3000 (6 records). Both stop comparing whole windows at 2000, the last
  // window the run reached: missing 5 + 6 = 11. Updates: the run's running count of key 3
  // reached 1 of the reference's 3, so updates 2 and 3 are missing: 13 in all.
  const std::vector<model::CommittedRecord> reference{
      window(1, 1000, 3, 3, 11), window(2, 1000, 2, 2, 12), window(1, 2000, 4, 4, 13),
      window(2, 2000, 5, 5, 14), window(1, 3000, 6, 6, 15), update(3, 1), update(3, 2),
      update(3, 3)};
  const std::vector<model::CommittedRecord> run{window(1, 1000, 3, 3, 11), window(2, 1000, 2, 2, 12),
                                                window(1, 2000, 4, 4, 13), update(3, 1)};
  const ExactlyOnceVerdict verdict = compare_with_reference(run, reference, Comparison::run_ended);
  EXPECT_EQ(verdict.records_missing, 5 + 6 + 2);
  EXPECT_EQ(verdict.records_lost, 0);
  EXPECT_EQ(verdict.records_duplicated, 0);
  // A loss inside the prefix stays a loss: key 2's first window reflects 1 of its 2 records.
  std::vector<model::CommittedRecord> lossy = run;
  lossy[1] = window(2, 1000, 1, 1, 10);
  const ExactlyOnceVerdict both = compare_with_reference(lossy, reference, Comparison::run_ended);
  EXPECT_EQ(both.records_lost, 1);
  EXPECT_EQ(both.records_missing, 13);
}

// The final running count of `key` at aggregate vertex 1, subtask 0, reflecting `count` records.
FinalKeyedState counted(std::vector<std::pair<int64_t, uint64_t>> counts) {
  FinalKeyedState state;
  auto& entries = state[graph::ExecutionVertexId{graph::JobVertexId{1}, 0}];
  for (const auto& [key, count] : counts) {
    entries.push_back({key, -1, static_cast<int64_t>(count), model::runtime::Lineage{count, 7 * count}});
  }
  return state;
}

TEST(ExactlyOnceOracle, RecordsARestoreDroppedFromARunningCountAreLost) {
  // Approximate recovery: key 1 was counted to 5 and committed, the count restored to 2 and
  // the source went on with records 6 and 7 (counted 3 and 4). Every record reached the count
  // once, so the updates are as many as the reference's (7): the output alone shows no loss,
  // but the final count reflects 4 of 7 records: 3 lost from state.
  const std::vector<model::CommittedRecord> reference{update(1, 1), update(1, 2), update(1, 3), update(1, 4),
                                                      update(1, 5), update(1, 6), update(1, 7)};
  const std::vector<model::CommittedRecord> run{update(1, 1), update(1, 2), update(1, 3), update(1, 4),
                                                update(1, 5), update(1, 3), update(1, 4)};
  ExactlyOnceVerdict verdict = compare_with_reference(run, reference);
  EXPECT_EQ(verdict.records_lost, 0);
  add_final_state(verdict, run, reference, counted({{1, 4}}), counted({{1, 7}}));
  EXPECT_EQ(verdict.records_lost, 3);
  EXPECT_EQ(verdict.state_records_lost, 3);
  EXPECT_EQ(verdict.records_duplicated, 0);
  EXPECT_EQ(verdict.state_matches_reference, std::optional<bool>(false));
  EXPECT_FALSE(verdict.exactly_once());
}

TEST(ExactlyOnceOracle, ALossBeforeTheCountIsCountedOnceNotInStateAndOutputBoth) {
  // Key 1: 2 records never reached the count (5 of the reference's 7 updates, final count 5):
  // the output and the state show the same 2. Key 2: 1 record lost on the way as well, and the
  // restore dropped 2 more from its count (3 of 4 updates, final count 1 of 4): 3 lost.
  const std::vector<model::CommittedRecord> reference{update(1, 1), update(1, 2), update(1, 3), update(1, 4),
                                                      update(1, 5), update(1, 6), update(1, 7), update(2, 1),
                                                      update(2, 2), update(2, 3), update(2, 4)};
  const std::vector<model::CommittedRecord> run{update(1, 1), update(1, 2), update(1, 3), update(1, 4),
                                                update(1, 5), update(2, 1), update(2, 2), update(2, 1)};
  ExactlyOnceVerdict verdict = compare_with_reference(run, reference);
  EXPECT_EQ(verdict.records_lost, 2 + 1);
  add_final_state(verdict, run, reference, counted({{1, 5}, {2, 1}}), counted({{1, 7}, {2, 4}}));
  EXPECT_EQ(verdict.records_lost, 2 + 3);
  EXPECT_EQ(verdict.state_records_lost, 2 + 3);
}

TEST(ExactlyOnceOracle, ReplayedRecordsInStateAndOutputAreDuplicatedOnce) {
  // An at-least-once checkpoint kept 2 post-barrier records of key 1 in the snapshot and the
  // source replayed them: 2 updates and 2 counts too many, 2 records duplicated, not 4. Equal
  // state adds nothing.
  const std::vector<model::CommittedRecord> reference{update(1, 1), update(1, 2), update(1, 3)};
  const std::vector<model::CommittedRecord> run{update(1, 1), update(1, 2), update(1, 3), update(1, 4),
                                                update(1, 5)};
  ExactlyOnceVerdict verdict = compare_with_reference(run, reference);
  add_final_state(verdict, run, reference, counted({{1, 5}}), counted({{1, 3}}));
  EXPECT_EQ(verdict.records_duplicated, 2);
  EXPECT_EQ(verdict.state_records_duplicated, 2);
  ExactlyOnceVerdict same = compare_with_reference(reference, reference);
  add_final_state(same, reference, reference, counted({{1, 3}}), counted({{1, 3}}));
  EXPECT_TRUE(same.exactly_once());
}

}  // namespace
}  // namespace flinksim::checks
