#pragma once

// map and filter: no state. A filter keeps a fixed fraction of records, decided by each record's
// lineage so that a replayed record is kept or dropped exactly as the first time.

#include "model/operators/stream_operator.h"

namespace flinksim::model::operators {

class MapOperator final : public StreamOperator {
 public:
  void process(const runtime::Record& record, Collector& out) override { out.collect(record); }
};

class FilterOperator final : public StreamOperator {
 public:
  explicit FilterOperator(double selectivity) : selectivity_(selectivity) {}
  void process(const runtime::Record& record, Collector& out) override;
  // Whether a record with this lineage passes: a uniform draw in [0, 1) from its hash.
  static bool passes(const runtime::Lineage& lineage, double selectivity);

 private:
  double selectivity_;
};

}  // namespace flinksim::model::operators
