#include "scenarios/record_grouping.h"

#include <algorithm>
#include <cmath>

namespace flinksim::scenarios {

double source_records_per_second(const graph::JobGraph& job, double default_unbounded_rate) {
  double total = 0;
  for (const graph::JobVertex& vertex : job.vertices()) {
    const graph::OperatorSpec& spec = vertex.operator_spec;
    if (spec.kind != graph::OperatorKind::source) continue;
    const double rate = spec.rate_per_second.value_or(spec.records ? 0.0 : default_unbounded_rate);
    total += rate * vertex.parallelism;
  }
  return total;
}

int64_t records_per_simulated_record(const ScenarioSpec& spec, double default_unbounded_rate) {
  if (spec.simulation.records_per_simulated_record) return *spec.simulation.records_per_simulated_record;
  if (!spec.job) return 1;
  const double total = source_records_per_second(*spec.job, default_unbounded_rate);
  const double budget = static_cast<double>(spec.simulation.simulated_records_per_second);
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(total / budget)));
}

}  // namespace flinksim::scenarios
