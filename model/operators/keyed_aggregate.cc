#include "model/operators/keyed_aggregate.h"

#include <algorithm>

#include "model/operators/aggregate_function.h"

namespace flinksim::model::operators {

void KeyedAggregateOperator::process(const runtime::Record& record, Collector& out) {
  auto [it, inserted] = state_.try_emplace(record.key);
  Accumulator& acc = it->second;
  acc.value = inserted ? first_accumulator(function_, record.value)
                       : accumulate(function_, acc.value, record.value);
  acc.lineage.add(record.lineage);
  runtime::Record update = record;
  update.value = acc.value;
  update.window_end = -1;
  update.lineage = acc.lineage;
  out.collect(update);
}

std::vector<KeyedStateEntry> KeyedAggregateOperator::snapshot_keyed_state() const {
  std::vector<KeyedStateEntry> entries;
  entries.reserve(state_.size());
  for (const auto& [key, acc] : state_) entries.push_back({key, -1, acc.value, acc.lineage});
  std::sort(entries.begin(), entries.end(),
            [](const KeyedStateEntry& a, const KeyedStateEntry& b) { return a.key < b.key; });
  return entries;
}

void KeyedAggregateOperator::restore_keyed_state(const std::vector<KeyedStateEntry>& entries) {
  state_.clear();
  for (const KeyedStateEntry& entry : entries) {
    state_[entry.key] = Accumulator{entry.accumulator, entry.lineage};
  }
}

}  // namespace flinksim::model::operators
