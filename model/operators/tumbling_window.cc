#include "model/operators/tumbling_window.h"

#include <algorithm>

#include "model/operators/aggregate_function.h"

namespace flinksim::model::operators {

void TumblingWindowOperator::process(const runtime::Record& record, Collector& out) {
  (void)out;
  const int64_t ts = std::max<int64_t>(record.timestamp, 0);
  const int64_t end = ts - ts % size_ + size_;
  if (end - 1 <= watermark_) {
    ++late_dropped_;
    return;
  }
  auto [it, inserted] = panes_.try_emplace({end, record.key});
  Pane& pane = it->second;
  pane.value = inserted ? first_accumulator(function_, record.value)
                        : accumulate(function_, pane.value, record.value);
  pane.lineage.add(record.lineage);
}

void TumblingWindowOperator::on_watermark(int64_t watermark, Collector& out) {
  watermark_ = std::max(watermark_, watermark);
  auto it = panes_.begin();
  while (it != panes_.end() && it->first.first - 1 <= watermark_) {
    runtime::Record result;
    result.key = it->first.second;
    result.value = it->second.value;
    result.timestamp = it->first.first - 1;
    result.window_end = it->first.first;
    result.lineage = it->second.lineage;
    out.collect(result);
    it = panes_.erase(it);
  }
}

std::vector<KeyedStateEntry> TumblingWindowOperator::snapshot_keyed_state() const {
  std::vector<KeyedStateEntry> entries;
  entries.reserve(panes_.size());
  for (const auto& [id, pane] : panes_) entries.push_back({id.second, id.first, pane.value, pane.lineage});
  std::sort(entries.begin(), entries.end(), [](const KeyedStateEntry& a, const KeyedStateEntry& b) {
    return std::pair(a.key, a.window_end) < std::pair(b.key, b.window_end);
  });
  return entries;
}

void TumblingWindowOperator::restore_keyed_state(const std::vector<KeyedStateEntry>& entries) {
  panes_.clear();
  for (const KeyedStateEntry& entry : entries) {
    panes_[{entry.window_end, entry.key}] = Pane{entry.accumulator, entry.lineage};
  }
}

}  // namespace flinksim::model::operators
