#include "model/operators/stream_operator.h"

#include "model/operators/keyed_aggregate.h"
#include "model/operators/stateless_operators.h"
#include "model/operators/tumbling_window.h"

namespace flinksim::model::operators {

std::unique_ptr<StreamOperator> create_operator(const graph::OperatorSpec& spec) {
  switch (spec.kind) {
    case graph::OperatorKind::filter:
      return std::make_unique<FilterOperator>(spec.selectivity);
    case graph::OperatorKind::aggregate:
      return std::make_unique<KeyedAggregateOperator>(spec.function);
    case graph::OperatorKind::window:
      return std::make_unique<TumblingWindowOperator>(
          spec.function, spec.window_size.value_or(sim::Duration::seconds(10)));
    default:
      // map, and vertices without an operator (graph-only jobs): records pass unchanged.
      return std::make_unique<MapOperator>();
  }
}

}  // namespace flinksim::model::operators
