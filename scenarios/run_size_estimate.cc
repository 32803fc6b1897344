#include "scenarios/run_size_estimate.h"

#include <algorithm>

#include "model/cluster_options.h"
#include "scenarios/record_grouping.h"

namespace flinksim::scenarios {
namespace {

// Records a source vertex reads in `seconds`: its rate (or the default of an unbounded source
// without one) over all subtasks, capped by `records` of a bounded one; a bounded source
// without a rate reads all its records.
double source_records(const graph::JobVertex& vertex, double seconds, double default_rate) {
  const graph::OperatorSpec& spec = vertex.operator_spec;
  if (spec.records && !spec.rate_per_second) return static_cast<double>(*spec.records);
  const double paced = spec.rate_per_second.value_or(default_rate) * vertex.parallelism * seconds;
  return spec.records ? std::min(paced, static_cast<double>(*spec.records)) : paced;
}

// ALL_TO_ALL: every consumer reads every producer; POINTWISE: each subtask of the larger side
// has one channel.
double input_channels(const graph::JobGraph& job, const graph::JobEdge& edge) {
  const double producers = job.vertex(edge.producer).parallelism;
  const double consumers = job.vertex(edge.consumer).parallelism;
  if (edge.distribution == graph::DistributionPattern::all_to_all) return producers * consumers;
  return std::max(producers, consumers);
}

}  // namespace

RunSizeEstimate estimate_run_size(const ScenarioSpec& spec) {
  RunSizeEstimate estimate;
  const double seconds = spec.duration.count_seconds();
  const double interval = spec.config.get_duration("heartbeat.interval").count_seconds();
  const double processes = static_cast<double>(spec.cluster.total_taskmanagers());
  if (interval > 0) estimate.heartbeat_messages = processes * 4 * seconds / interval;
  if (!spec.job) return estimate;
  const double default_rate = model::DataPlaneOptions{}.default_unbounded_rate;
  estimate.records_per_simulated_record = records_per_simulated_record(spec, default_rate);
  for (const graph::JobVertex& vertex : spec.job->vertices()) {
    estimate.tasks += vertex.parallelism;
    if (vertex.operator_spec.kind != graph::OperatorKind::source) continue;
    estimate.simulated_source_records += source_records(vertex, seconds, default_rate);
  }
  estimate.simulated_source_records /= static_cast<double>(estimate.records_per_simulated_record);
  for (const graph::JobEdge& edge : spec.job->edges()) {
    estimate.input_channels += input_channels(*spec.job, edge);
  }
  return estimate;
}

}  // namespace flinksim::scenarios
