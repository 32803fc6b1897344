#pragma once

// `aggregate`: a keyed running count, sum or max. Every record updates its key's accumulator and
// emits the new value; the update's lineage is everything the accumulator reflects so far.

#include <unordered_map>

#include "model/operators/stream_operator.h"

namespace flinksim::model::operators {

class KeyedAggregateOperator final : public StreamOperator {
 public:
  explicit KeyedAggregateOperator(graph::AggregateFunction function) : function_(function) {}
  void process(const runtime::Record& record, Collector& out) override;
  std::vector<KeyedStateEntry> snapshot_keyed_state() const override;
  void restore_keyed_state(const std::vector<KeyedStateEntry>& entries) override;
  size_t keys_in_state() const override { return state_.size(); }

 private:
  struct Accumulator {
    int64_t value = 0;
    runtime::Lineage lineage;
  };
  graph::AggregateFunction function_;
  // Point lookups only; snapshots sort, so the hash order never shows.
  std::unordered_map<int64_t, Accumulator> state_;
};

}  // namespace flinksim::model::operators
