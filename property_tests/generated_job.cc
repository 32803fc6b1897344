#include "property_tests/generated_job.h"

#include <algorithm>
#include <set>

namespace flinksim::property_tests {
namespace {

// Small parallelism keeps a run cheap; four (JobShape's default) is enough for forward edges
// between unequal parallelisms to be impossible and for all-to-all edges to fan out.
int64_t generate_parallelism(const JobShape& shape) {
  return *rc::gen::inRange<int64_t>(1, shape.parallelism_max + 1);
}

GeneratedVertex generate_source(int number, sim::Duration source_time, const JobShape& shape) {
  GeneratedVertex source;
  source.name = "source" + std::to_string(number);
  source.kind = graph::OperatorKind::source;
  source.parallelism = generate_parallelism(shape);
  source.rate_per_second = 100 * *rc::gen::inRange<int64_t>(shape.rate_per_second_min / 100,
                                                            shape.rate_per_second_max / 100 + 1);
  source.records =
      source.parallelism * source.rate_per_second * source_time.count_milliseconds() / 1000;
  source.keys = *rc::gen::inRange<int64_t>(1, 33);
  source.out_of_orderness = sim::Duration::milliseconds(*rc::gen::element<int64_t>(0, 50, 100));
  return source;
}

// The n-th running-aggregate update of a key reflects whichever n records of the key arrived
// first, and after a recovery the channels interleave differently than in the reference run.
// So pipelines whose output depends on more than an update's key and count are never
// generated: after an aggregate only maps follow (a window would sum the updates' values, a
// filter draws from their lineage, a second aggregate counts their lineages), an aggregate
// only counts (the n-th running sum or maximum depends on the order), and no aggregate follows
// a window (the n-th update would reflect whichever window results came first).
GeneratedVertex generate_operator(int number, graph::OperatorKind derived_from,
                                  const JobShape& shape) {
  std::vector<graph::OperatorKind> kinds = {graph::OperatorKind::map};
  if (derived_from != graph::OperatorKind::aggregate) {
    kinds.push_back(graph::OperatorKind::filter);
    kinds.push_back(graph::OperatorKind::window);
  }
  if (derived_from == graph::OperatorKind::none) kinds.push_back(graph::OperatorKind::aggregate);
  GeneratedVertex vertex;
  vertex.kind = *rc::gen::elementOf(kinds);
  vertex.name = std::string(graph::to_string(vertex.kind)) + std::to_string(number);
  vertex.parallelism = generate_parallelism(shape);
  if (vertex.kind == graph::OperatorKind::filter) {
    vertex.selectivity_percent = *rc::gen::element<int64_t>(100, 80, 50);
  }
  if (vertex.kind == graph::OperatorKind::window) {
    vertex.function =
        *rc::gen::element(graph::AggregateFunction::count, graph::AggregateFunction::sum,
                          graph::AggregateFunction::max);
    vertex.window_size = sim::Duration::milliseconds(*rc::gen::element<int64_t>(1000, 500, 2000));
  }
  return vertex;
}

GeneratedVertex generate_sink(const JobShape& shape) {
  GeneratedVertex sink;
  sink.name = "sink";
  sink.kind = graph::OperatorKind::sink;
  sink.parallelism = generate_parallelism(shape);
  sink.delivery = shape.delivery;
  return sink;
}

// A broadcast edge sends every record to each of its target's subtasks, so a source record
// becomes as many records as the product of the broadcast targets' parallelisms: at most this
// many, which keeps a run's cost near that of the other partitioners.
constexpr int64_t broadcast_fan_out_max = 4;

// Keyed operators need a hash edge. Forward needs one input of equal parallelism. Rescale is
// pointwise and connects any parallelisms (Flink's POINTWISE pattern: subtask ranges). Broadcast
// goes into non-keyed operators and sinks, while the fan-out stays within its maximum; the
// reference run broadcasts the same records, so the oracle compares like with like.
Partitioning generate_partitioning(const std::vector<const GeneratedVertex*>& inputs,
                                   const GeneratedVertex& target, int64_t fan_out) {
  const bool keyed =
      target.kind == graph::OperatorKind::aggregate || target.kind == graph::OperatorKind::window;
  if (keyed) return Partitioning::hash;
  std::vector<Partitioning> choices = {Partitioning::hash, Partitioning::rebalance,
                                       Partitioning::rescale};
  if (inputs.size() == 1 && inputs.front()->parallelism == target.parallelism) {
    choices.push_back(Partitioning::forward);
  }
  if (fan_out * target.parallelism <= broadcast_fan_out_max) {
    choices.push_back(Partitioning::broadcast);
  }
  return *rc::gen::elementOf(choices);
}

// Connects `inputs` to `target` with one drawn partitioning, and returns the fan-out after it.
int64_t connect(GeneratedJob& job, const std::vector<const GeneratedVertex*>& inputs,
                const GeneratedVertex& target, int64_t fan_out) {
  const Partitioning partitioning = generate_partitioning(inputs, target, fan_out);
  for (const GeneratedVertex* input : inputs) {
    job.edges.push_back(GeneratedEdge{input->name, target.name, partitioning});
  }
  return partitioning == Partitioning::broadcast ? fan_out * target.parallelism : fan_out;
}

// Sources, then the operator chain, then the sink; each stage reads everything the stage
// before it produces. At most `shape.vertices_max` vertices.
GeneratedJob generate_job_now(const JobShape& shape) {
  GeneratedJob job;
  job.mode = shape.mode;
  job.source_time = sim::Duration::seconds(*rc::gen::inRange<int64_t>(
      shape.source_time_min.count_milliseconds() / 1000,
      shape.source_time_max.count_milliseconds() / 1000 + 1));
  const int source_count = *rc::gen::inRange(1, 3);
  const int operator_count = *rc::gen::inRange(0, shape.vertices_max - 1 - source_count);
  for (int number = 1; number <= source_count; ++number) {
    job.vertices.push_back(generate_source(number, job.source_time, shape));
  }
  // The first aggregate or window upstream; none while records are still source records.
  graph::OperatorKind derived_from = graph::OperatorKind::none;
  for (int number = 1; number <= operator_count; ++number) {
    job.vertices.push_back(generate_operator(number, derived_from, shape));
    const graph::OperatorKind kind = job.vertices.back().kind;
    const bool derives =
        kind == graph::OperatorKind::aggregate || kind == graph::OperatorKind::window;
    if (derived_from == graph::OperatorKind::none && derives) derived_from = kind;
  }
  job.vertices.push_back(generate_sink(shape));
  // Pointers are taken only now that the vector no longer grows.
  std::vector<const GeneratedVertex*> stage;
  for (int index = 0; index < source_count; ++index) stage.push_back(&job.vertices[index]);
  int64_t fan_out = 1;
  for (size_t index = source_count; index < job.vertices.size(); ++index) {
    fan_out = connect(job, stage, job.vertices[index], fan_out);
    stage = {&job.vertices[index]};
  }
  return job;
}

}  // namespace

int64_t GeneratedJob::parallelism_max() const {
  int64_t parallelism = 1;
  for (const GeneratedVertex& vertex : vertices) {
    parallelism = std::max(parallelism, vertex.parallelism);
  }
  return parallelism;
}

std::vector<std::string> GeneratedJob::task_ids() const {
  std::vector<std::string> ids;
  for (const GeneratedVertex& vertex : vertices) {
    for (int64_t subtask = 0; subtask < vertex.parallelism; ++subtask) {
      ids.push_back(vertex.name + ":" + std::to_string(subtask));
    }
  }
  return ids;
}

int64_t GeneratedJob::broadcast_copies_after(std::string_view vertex) const {
  // Vertices are in stage order, so one pass reaches everything downstream of `vertex`.
  std::set<std::string_view> reached = {vertex};
  int64_t copies = 1;
  for (const GeneratedVertex& target : vertices) {
    for (const GeneratedEdge& edge : edges) {
      if (edge.target != target.name || !reached.contains(edge.source)) continue;
      reached.insert(target.name);
      if (edge.partitioning == Partitioning::broadcast) copies *= target.parallelism;
      break;
    }
  }
  return copies;
}

rc::Gen<GeneratedJob> generate_job(graph::SinkDelivery delivery) {
  return generate_job(JobShape{.delivery = delivery});
}

rc::Gen<GeneratedJob> generate_job(const JobShape& shape) {
  return rc::gen::exec([shape] { return generate_job_now(shape); });
}

std::string_view to_string(JobMode mode) {
  return mode == JobMode::batch ? "batch" : "streaming";
}

std::string_view to_string(Partitioning partitioning) {
  switch (partitioning) {
    case Partitioning::forward:
      return "forward";
    case Partitioning::rescale:
      return "rescale";
    case Partitioning::rebalance:
      return "rebalance";
    case Partitioning::hash:
      return "hash";
    case Partitioning::broadcast:
      return "broadcast";
  }
  return "hash";
}

}  // namespace flinksim::property_tests
