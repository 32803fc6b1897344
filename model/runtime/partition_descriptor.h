#pragma once

// What a task needs to know to write one result partition and to read its input channels; the
// JobMaster puts both into the task deployment descriptor.

#include <cstdint>
#include <vector>

#include "model/graph/distribution_pattern.h"
#include "model/graph/ids.h"
#include "sim/network.h"

namespace flinksim::model::runtime {

struct ResultPartitionDescriptor {
  graph::ResultPartitionId id;
  graph::Partitioner partitioner = graph::Partitioner::forward;
  bool blocking = false;      // kept on the TaskExecutor after the producer finished
  uint32_t subpartitions = 1;  // one per consumer subtask reading it
  int32_t consumer_max_parallelism = 128;  // key groups, for hash partitioning
  uint32_t producer_subtask = 0;
  bool may_be_unaligned = true;  // see InputChannelDescriptor
};

struct InputChannelDescriptor {
  graph::ResultPartitionId partition;
  graph::ExecutionVertexId producer;
  uint32_t subpartition = 0;
  sim::EndpointId location;  // the producer's TaskExecutor; invalid when unknown
  bool blocking = false;
  // Flink keeps pointwise (forward, rescale) and broadcast exchanges aligned even when unaligned
  // checkpoints are on: their channel state could not be redistributed on rescaling.
  bool may_be_unaligned = true;
};

}  // namespace flinksim::model::runtime
