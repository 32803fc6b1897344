#pragma once

// `window`: a keyed event-time tumbling window (TumblingEventTimeWindows with offset 0 and no
// allowed lateness). A record belongs to [start, start + size) with start = ts - ts % size; a
// window fires once the watermark reaches its max timestamp (end - 1) and emits one record per
// key, stamped end - 1. Records for windows that already fired are late and dropped.

#include <map>
#include <utility>

#include "model/operators/stream_operator.h"
#include "sim/time.h"

namespace flinksim::model::operators {

class TumblingWindowOperator final : public StreamOperator {
 public:
  TumblingWindowOperator(graph::AggregateFunction function, sim::Duration size)
      : function_(function), size_(size.count_nanoseconds()) {}
  void process(const runtime::Record& record, Collector& out) override;
  void on_watermark(int64_t watermark, Collector& out) override;
  std::vector<KeyedStateEntry> snapshot_keyed_state() const override;
  void restore_keyed_state(const std::vector<KeyedStateEntry>& entries) override;
  size_t keys_in_state() const override { return panes_.size(); }
  int64_t late_records_dropped() const { return late_dropped_; }

 private:
  struct Pane {
    int64_t value = 0;
    runtime::Lineage lineage;
  };
  graph::AggregateFunction function_;
  int64_t size_;
  int64_t watermark_ = INT64_MIN;
  int64_t late_dropped_ = 0;
  // (window end, key): firing walks windows in end order, keys in order within one.
  std::map<std::pair<int64_t, int64_t>, Pane> panes_;
};

}  // namespace flinksim::model::operators
