// Goal: the operators compute what Flink's would, record by record. Method: hand-fed records and
// watermarks with the expected outputs written out.
#include <gtest/gtest.h>

#include <vector>

#include "model/operators/keyed_aggregate.h"
#include "model/operators/tumbling_window.h"

namespace flinksim::model::operators {
namespace {

class Recorder final : public Collector {
 public:
  void collect(const runtime::Record& record) override { records.push_back(record); }
  std::vector<runtime::Record> records;
};

runtime::Record record(int64_t key, int64_t value, int64_t timestamp_ms, uint64_t id) {
  runtime::Record r;
  r.key = key;
  r.value = value;
  r.timestamp = timestamp_ms * 1'000'000;
  r.lineage = runtime::Lineage::of_source_record(id);
  return r;
}

TEST(TumblingWindow, FiresEachWindowOnceTheWatermarkPassesItsMaxTimestamp) {
  TumblingWindowOperator window(graph::AggregateFunction::sum, sim::Duration::seconds(1));
  Recorder out;
  window.process(record(1, 5, 100, 1), out);
  window.process(record(1, 7, 999, 2), out);
  window.process(record(1, 3, 1000, 3), out);  // the next window: [1000, 2000)
  window.on_watermark(998'999'999, out);         // 998.999999 ms: window end - 1 not reached
  EXPECT_TRUE(out.records.empty());
  window.on_watermark(999'999'999, out);         // = 1000 ms - 1 ns: the first window fires
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].value, 12);
  EXPECT_EQ(out.records[0].window_end, 1'000'000'000);
  EXPECT_EQ(out.records[0].lineage.count, 2u);
  window.process(record(1, 100, 500, 4), out);   // late: its window already fired
  EXPECT_EQ(window.late_records_dropped(), 1);
  EXPECT_EQ(window.keys_in_state(), 1u);         // only [1000, 2000) of key 1 is open
}

TEST(TumblingWindow, SnapshotAndRestoreGiveTheSameResult) {
  TumblingWindowOperator first(graph::AggregateFunction::count, sim::Duration::seconds(1));
  Recorder ignored;
  first.process(record(2, 1, 10, 1), ignored);
  first.process(record(3, 1, 20, 2), ignored);
  first.process(record(2, 1, 30, 3), ignored);
  TumblingWindowOperator second(graph::AggregateFunction::count, sim::Duration::seconds(1));
  second.restore_keyed_state(first.snapshot_keyed_state());
  Recorder a;
  Recorder b;
  first.on_watermark(runtime::kMaxWatermark, a);
  second.on_watermark(runtime::kMaxWatermark, b);
  ASSERT_EQ(a.records.size(), 2u);
  ASSERT_EQ(b.records.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a.records[i].key, b.records[i].key);
    EXPECT_EQ(a.records[i].value, b.records[i].value);
    EXPECT_EQ(a.records[i].lineage, b.records[i].lineage);
  }
  EXPECT_EQ(a.records[0].value, 2);  // key 2 first (same window, keys in order)
}

TEST(KeyedAggregate, MaxKeepsTheLargestValueAndEmitsEveryUpdate) {
  KeyedAggregateOperator max(graph::AggregateFunction::max);
  Recorder out;
  max.process(record(1, 4, 0, 1), out);
  max.process(record(1, 2, 0, 2), out);
  max.process(record(1, 9, 0, 3), out);
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_EQ(out.records[0].value, 4);
  EXPECT_EQ(out.records[1].value, 4);
  EXPECT_EQ(out.records[2].value, 9);
  EXPECT_EQ(out.records[2].lineage.count, 3u);
}

}  // namespace
}  // namespace flinksim::model::operators
