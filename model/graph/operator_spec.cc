#include "model/graph/operator_spec.h"

namespace flinksim::graph {

std::string_view to_string(OperatorKind kind) {
  switch (kind) {
    case OperatorKind::none: return "none";
    case OperatorKind::source: return "source";
    case OperatorKind::map: return "map";
    case OperatorKind::filter: return "filter";
    case OperatorKind::aggregate: return "aggregate";
    case OperatorKind::window: return "window";
    case OperatorKind::sink: return "sink";
  }
  return "?";
}

std::string_view to_string(KeyDistribution distribution) {
  return distribution == KeyDistribution::uniform ? "uniform" : "zipf";
}

std::string_view to_string(AggregateFunction function) {
  switch (function) {
    case AggregateFunction::count: return "count";
    case AggregateFunction::sum: return "sum";
    case AggregateFunction::max: return "max";
  }
  return "?";
}

std::string_view to_string(SinkDelivery delivery) {
  return delivery == SinkDelivery::exactly_once ? "exactly-once" : "at-least-once";
}

}  // namespace flinksim::graph
