#pragma once

// The functions `aggregate` and `window` apply to a key's records: count, sum or max of the
// record's value. An accumulator starts from the first record.

#include <algorithm>
#include <cstdint>

#include "model/graph/operator_spec.h"

namespace flinksim::model::operators {

inline int64_t first_accumulator(graph::AggregateFunction function, int64_t value) {
  return function == graph::AggregateFunction::count ? 1 : value;
}

inline int64_t accumulate(graph::AggregateFunction function, int64_t accumulator, int64_t value) {
  switch (function) {
    case graph::AggregateFunction::count: return accumulator + 1;
    case graph::AggregateFunction::sum: return accumulator + value;
    case graph::AggregateFunction::max: return std::max(accumulator, value);
  }
  return accumulator;
}

}  // namespace flinksim::model::operators
