#pragma once

// A generated job: one or two bounded sources, a chain of up to three keyed or stateless
// operators, one sink. Bounded sources make the job FINISH, so a run has a definite end to
// compare with its failure-free reference. Streaming jobs have pipelined edges; batch jobs
// (`job.mode: batch`) have BLOCKING results only, so every task is its own pipelined region and a
// stage starts when the stage before it has finished. Each stage is connected by one of Flink's
// five stream partitioners: hash into keyed operators, any other into the rest where valid
// (forward needs one input of equal parallelism; broadcast fans a record out to at most four).

#include <rapidcheck.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/graph/operator_spec.h"
#include "sim/time.h"

namespace flinksim::property_tests {

// Flink's stream partitioners, as a scenario names them (SCENARIOS.md, section 1).
enum class Partitioning { forward, rescale, rebalance, hash, broadcast };

struct GeneratedVertex {
  std::string name;
  graph::OperatorKind kind = graph::OperatorKind::map;
  int64_t parallelism = 1;
  // source
  int64_t records = 0;          // the vertex's total, split evenly over its subtasks
  int64_t rate_per_second = 0;  // per subtask
  int64_t keys = 1;
  sim::Duration out_of_orderness = sim::Duration::zero();
  // `backlog: log`: a Kafka-like log that grows at the rate while the job is down and is read
  // as fast as the pipeline allows after a restore (otherwise the bounded default, none).
  bool log_backlog = false;
  // aggregate and window
  graph::AggregateFunction function = graph::AggregateFunction::count;
  // window
  sim::Duration window_size = sim::Duration::seconds(1);
  // filter: a whole percentage, so that the YAML shows it exactly.
  int64_t selectivity_percent = 100;
  // sink
  graph::SinkDelivery delivery = graph::SinkDelivery::exactly_once;
};

struct GeneratedEdge {
  std::string source;
  std::string target;
  Partitioning partitioning = Partitioning::hash;
};

enum class JobMode { streaming, batch };

struct GeneratedJob {
  JobMode mode = JobMode::streaming;
  std::vector<GeneratedVertex> vertices;
  std::vector<GeneratedEdge> edges;
  // How long every source reads at its rate: the nominal end of input.
  sim::Duration source_time;

  // The slots the job needs: all vertices share slots, so its largest parallelism.
  int64_t parallelism_max() const;
  // Every task id VERTEX:SUBTASK, in vertex order.
  std::vector<std::string> task_ids() const;
  // How many records one record that `vertex` emits becomes at the sink: the product of the
  // parallelisms of the broadcast edges' targets downstream of it (each stage reads everything
  // the stage before it produces, so every record crosses each of those edges). 1 without any.
  int64_t broadcast_copies_after(std::string_view vertex) const;
};

// What to generate beyond the sinks' delivery guarantee.
struct JobShape {
  graph::SinkDelivery delivery = graph::SinkDelivery::exactly_once;
  JobMode mode = JobMode::streaming;
  // How long the sources read, drawn in whole seconds from [min, max].
  sim::Duration source_time_min = sim::Duration::seconds(10);
  sim::Duration source_time_max = sim::Duration::seconds(16);
  // Per-subtask source rate, drawn in hundreds per second from [min, max].
  int64_t rate_per_second_min = 200;
  int64_t rate_per_second_max = 500;
  // Each vertex's parallelism is drawn from [1, parallelism_max]; a job has at most
  // `vertices_max` vertices (1-2 sources, operators, one sink).
  int64_t parallelism_max = 4;
  int vertices_max = 6;
};

// Jobs whose sinks all deliver with `delivery`: streaming, 10-16 s of input, 200-500 records/s.
rc::Gen<GeneratedJob> generate_job(graph::SinkDelivery delivery);
rc::Gen<GeneratedJob> generate_job(const JobShape& shape);

std::string_view to_string(Partitioning partitioning);
std::string_view to_string(JobMode mode);

}  // namespace flinksim::property_tests
