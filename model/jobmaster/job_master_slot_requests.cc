// The JobMaster's slot request timeouts: one bulk per scheduled pipelined region, checked as
// Flink's PhysicalSlotRequestBulkCheckerImpl checks them (model/jobmaster/slot_request_bulk.h).
#include <map>
#include <set>

#include "model/jobmaster/job_master.h"

namespace flinksim::model {

void JobMaster::check_slot_requests_of(const std::vector<graph::VertexIndex>& vertices) {
  // PipelinedRegionSchedulingStrategy schedules region by region: a bulk each.
  std::map<graph::RegionIndex, SlotRequestBulk> by_region;
  for (graph::VertexIndex v : vertices) {
    SlotRequestBulk& bulk = by_region[regions_.region_of[v]];
    bulk.vertices.push_back(v);
    bulk.versions.push_back(executions_[v].version);
    bulk.unfulfillable_since = process_.now();
  }
  for (auto& [region, bulk] : by_region) {
    const uint64_t id = next_slot_request_bulk_++;
    slot_request_bulks_[id].bulk = std::move(bulk);
    arm_slot_request_check(id);
  }
}

void JobMaster::arm_slot_request_check(uint64_t bulk) {
  slot_request_bulks_[bulk].check = process_.set_timer(
      options_.slot_request_timeout, lifetime_.guard([this, bulk] { check_slot_request_bulk(bulk); }));
}

void JobMaster::check_slot_request_bulk(uint64_t id) {
  SlotRequestBulk& bulk = slot_request_bulks_.at(id).bulk;
  const std::vector<graph::VertexIndex> waiting = waiting_for_slots(bulk);
  switch (bulk.check(process_.now(), options_.slot_request_timeout, waiting.size(), reusable_slots())) {
    case SlotRequestBulk::Check::pending:
      return arm_slot_request_check(id);
    case SlotRequestBulk::Check::fulfilled:
      slot_request_bulks_.erase(id);
      return;
    case SlotRequestBulk::Check::timeout:
      slot_request_bulks_.erase(id);
      // The bulk's requests all fail; the first failure's failover claims the region's others.
      return handle_task_failure(
          waiting.front(),
          FailureCause{FailureCause::Kind::no_resource,
                       "NoResourceAvailableException: Slot request bulk is not fulfillable! Could "
                       "not allocate the required slot within slot request timeout",
                       {}});
  }
}

std::vector<graph::VertexIndex> JobMaster::waiting_for_slots(const SlotRequestBulk& bulk) const {
  // Only executions that asked for a slot wait for one: a batch consumer whose inputs are not
  // finished has not requested its slot yet.
  std::vector<graph::VertexIndex> waiting;
  for (size_t i = 0; i < bulk.vertices.size(); ++i) {
    const Execution& execution = executions_[bulk.vertices[i]];
    if (execution.version == bulk.versions[i] && execution.state == ExecutionState::scheduled &&
        !execution.allocation && inputs_ready(bulk.vertices[i])) {
      waiting.push_back(bulk.vertices[i]);
    }
  }
  return waiting;
}

size_t JobMaster::reusable_slots() const {
  // A batch job's tasks are finite, so their slots count as reusable; a streaming job's never free.
  if (options_.job.mode() == graph::JobMode::batch) return slots_.size();
  size_t free = 0;
  for (const auto& [allocation, slot] : slots_) free += slot.sharing_group ? 0 : 1;
  return free;
}

void JobMaster::cancel_slot_request_checks() {
  for (auto& [id, pending] : slot_request_bulks_) process_.cancel_timer(pending.check);
  slot_request_bulks_.clear();
}

}  // namespace flinksim::model
