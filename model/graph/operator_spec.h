#pragma once

// The operator settings of one job vertex, as written in a scenario (SCENARIOS.md §2). A plain
// value: the graph code only carries it; the operators in model/ give it meaning. Keys that do
// not apply to the vertex's kind are rejected by the job loader, so a field set here is meant.

#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/time.h"

namespace flinksim::graph {

enum class SourceBacklog { log, none };

enum class OperatorKind { none, source, map, filter, aggregate, window, sink };
enum class KeyDistribution { uniform, zipf };
enum class AggregateFunction { count, sum, max };
enum class SinkDelivery { exactly_once, at_least_once };

struct OperatorSpec {
  OperatorKind kind = OperatorKind::none;

  // source: total records of the vertex, split evenly over its subtasks; unset = unbounded.
  std::optional<int64_t> records;
  // source: records per second per subtask; unset = as fast as the downstream takes them.
  std::optional<double> rate_per_second;
  // source: number of distinct keys; unset = the operator's default.
  std::optional<int64_t> keys;
  KeyDistribution key_distribution = KeyDistribution::uniform;
  // What a restored source reads: `log` (a Kafka-like log that kept growing at `rate` while the
  // job was down: the source reads the backlog as fast as the pipeline takes it, then returns to
  // the rate), `none` (a generator that resumes at its rate where it stopped, as DataGen). Unset:
  // `log` for unbounded sources, `none` for bounded ones.
  std::optional<SourceBacklog> backlog;
  double zipf_exponent = 1.0;
  // source: how far event time may run behind (bounded out-of-orderness watermarks).
  sim::Duration out_of_orderness = sim::Duration::zero();

  // aggregate and window.
  AggregateFunction function = AggregateFunction::count;
  // window: tumbling window size.
  std::optional<sim::Duration> window_size;
  // filter: fraction of records that pass, in [0, 1].
  double selectivity = 1.0;
  // sink.
  SinkDelivery delivery = SinkDelivery::exactly_once;
  // exactly-once sink: how long the sink store keeps a transaction open before it aborts it
  // (Kafka's transaction.timeout.ms). KafkaSinkBuilder's default is 1 hour
  // (DEFAULT_KAFKA_TRANSACTION_TIMEOUT), above the 15 min a Kafka broker allows by default
  // (transaction.max.timeout.ms), so a real deployment sets it or raises the broker's limit.
  sim::Duration transaction_timeout = sim::Duration::hours(1);

  // Any vertex: virtual CPU time per record (`cost-per-record`, or 1 / `max-rate`), state bytes
  // per key, and state bytes per subtask beyond the keys the model keeps (`state-size`: the
  // gigabytes a production job holds, which its snapshots upload and its restores read).
  sim::Duration cost_per_record = sim::Duration::zero();
  int64_t state_per_key_bytes = 0;
  int64_t state_size_bytes = 0;
  // `state-growth: 1 GB/h`: bytes the subtask's state grows by per second while it runs (the
  // state held at a checkpoint is what a restore starts from). `state-change-rate: 50 MB/min`:
  // bytes of the state rewritten per second, what an incremental checkpoint uploads besides the
  // growth (RocksDB's new SST files since the last completed checkpoint).
  double state_growth_bytes_per_second = 0;
  double state_change_bytes_per_second = 0;
};

std::string_view to_string(OperatorKind kind);
std::string_view to_string(KeyDistribution distribution);
std::string_view to_string(AggregateFunction function);
std::string_view to_string(SinkDelivery delivery);

}  // namespace flinksim::graph
