#include "model/operators/stateless_operators.h"

namespace flinksim::model::operators {

bool FilterOperator::passes(const runtime::Lineage& lineage, double selectivity) {
  const double draw =
      static_cast<double>(runtime::mix64(lineage.hash ^ 0x5bd1e995ULL) >> 11) * 0x1.0p-53;
  return draw < selectivity;
}

void FilterOperator::process(const runtime::Record& record, Collector& out) {
  if (passes(record.lineage, selectivity_)) out.collect(record);
}

}  // namespace flinksim::model::operators
