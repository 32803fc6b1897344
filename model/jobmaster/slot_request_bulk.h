#pragma once

// The slot requests of one scheduled pipelined region, and when they time out, as Flink's
// PhysicalSlotRequestBulkCheckerImpl decides: every scheduling of a region
// (PipelinedRegionSchedulingStrategy → SlotSharingExecutionSlotAllocator.allocateSlotsFor) makes a
// bulk that is checked slot.request.timeout after it was made, and again every timeout after
// that. A check finds it fulfilled (done), fulfillable with the pool's reusable slots (its
// unfulfillable clock stops), or unfulfillable; it times out once it has been unfulfillable for
// the whole timeout. Reusable slots are the free ones and, for a batch job, those its finite
// tasks occupy (SlotInfo.willBeOccupiedIndefinitely is false for them).
//
// So each region waits its own timeout from its own scheduling: a region restarted at 290 s does
// not time out at 300 s because another region was scheduled at 0 s.

#include <cstdint>
#include <vector>

#include "model/graph/execution_graph.h"
#include "sim/time.h"

namespace flinksim::model {

struct SlotRequestBulk {
  enum class Check { fulfilled, pending, timeout };

  // The region's executions as scheduled: a failover that claims one of them (a newer version)
  // cancels its request, as the scheduler cancels the restarted executions' slot requests.
  std::vector<graph::VertexIndex> vertices;
  std::vector<uint64_t> versions;
  // PhysicalSlotRequestBulkWithTimestamp: unset (fulfillable) or since when it is not.
  bool unfulfillable = true;
  sim::Instant unfulfillable_since;

  // One timeout check at `now`: `pending` requests are left, which `reusable_slots` could serve.
  Check check(sim::Instant now, sim::Duration timeout, size_t pending, size_t reusable_slots);
};

}  // namespace flinksim::model
