#pragma once

// The `source-log` service's content: a replayable partitioned log, one partition per source
// subtask. Every record is a pure function of (seed, vertex, partition, offset), so a source that
// rewinds to an offset reads exactly the records it read before — the property exactly-once
// recovery relies on.
// - keys: uniform or zipf over `keys`; values: uniform in [1, 100];
// - event time: the record's position at the nominal rate, (offset + 1) / rate, minus a uniform
//   delay within `out-of-orderness`.

#include <cstdint>
#include <optional>

#include "model/cluster_options.h"
#include "model/graph/job_graph.h"
#include "model/runtime/record.h"
#include "model/runtime/source_pacing.h"
#include "sim/rng.h"

namespace flinksim::model::runtime {

class SourceLog {
 public:
  SourceLog(const graph::JobVertex& vertex, uint32_t vertex_index, const DataPlaneOptions& options,
            uint64_t seed);

  // Records in a partition; unset for an unbounded source.
  std::optional<int64_t> records_in_partition(uint32_t partition) const;
  Record record_at(uint32_t partition, int64_t offset) const;
  // When its records are due; unset for a source that is not paced (rate 0).
  const std::optional<SourcePacing>& pacing() const { return pacing_; }

 private:
  const graph::JobVertex& vertex_;
  uint64_t seed_;
  // Simulated records per second per subtask; 0 = as fast as downstream takes them.
  double rate_;
  std::optional<SourcePacing> pacing_;
  int64_t keys_;
  int64_t records_per_simulated_record_;
  std::optional<sim::ZipfDistribution> zipf_;
};

}  // namespace flinksim::model::runtime
