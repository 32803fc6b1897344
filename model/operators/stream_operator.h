#pragma once

// The operators that run inside a task between its inputs and outputs (Flink's
// OneInputStreamOperator with its keyed state backend, reduced to what scenarios use). Sources and
// sinks are not operators here: they talk to external services (the source log, the sink store)
// and live in the task runtime.

#include <cstdint>
#include <memory>
#include <vector>

#include "model/graph/operator_spec.h"
#include "model/runtime/record.h"

namespace flinksim::model::operators {

class Collector {
 public:
  virtual ~Collector() = default;
  virtual void collect(const runtime::Record& record) = 0;
};

// One key's state in a keyed operator, as it is snapshotted: the key, the window it belongs to
// (-1 for running aggregates), the accumulator and the lineage of the records it reflects.
struct KeyedStateEntry {
  int64_t key = 0;
  int64_t window_end = -1;
  int64_t accumulator = 0;
  runtime::Lineage lineage;
  bool operator==(const KeyedStateEntry&) const = default;
};

class StreamOperator {
 public:
  virtual ~StreamOperator() = default;
  virtual void process(const runtime::Record& record, Collector& out) = 0;
  // Event time of every input has passed `watermark`.
  virtual void on_watermark(int64_t watermark, Collector& out) {
    (void)watermark;
    (void)out;
  }
  // Keyed state, sorted by (key, window_end) so that snapshots are canonical.
  virtual std::vector<KeyedStateEntry> snapshot_keyed_state() const { return {}; }
  // Replaces the keyed state with `entries` (those of this subtask's key groups).
  virtual void restore_keyed_state(const std::vector<KeyedStateEntry>& entries) { (void)entries; }
  virtual size_t keys_in_state() const { return 0; }
};

// The operator of a job vertex of kind map, filter, aggregate or window.
std::unique_ptr<StreamOperator> create_operator(const graph::OperatorSpec& spec);

}  // namespace flinksim::model::operators
