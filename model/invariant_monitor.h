#pragma once

// Safety invariants every run checks while it runs (issue 22), from the trace as it is recorded,
// so that a violation stops the run where it happens, whatever property or scenario runs it:
//   - completed checkpoint ids strictly increase, across leaders too (CheckpointIDCounter in
//     ZooKeeper: a new leader never reuses an id; a stale one never completes an old one again),
//     within one job: an application cluster that submits the job again without high
//     availability runs a new job, numbered from 1;
//   - the sink store takes commits only from ever newer leaderships (its `commit leader changed
//     leader session A -> B` events have B > A): no commit from a fenced leader after a newer one
//     committed, so committed output is never replaced by an older leadership's.
// A checkpoint restore's choice is checked by the checkpoint-lineage properties, which need the
// whole run (a deposed leader may restore in vain); attempt fencing by the liveness ones.

#include <cstdint>
#include <optional>
#include <string>

#include "sim/trace.h"

namespace flinksim::model {

class InvariantMonitor {
 public:
  // Returns the violation this event makes, the first time one happens.
  std::optional<std::string> on_event(const sim::TraceEvent& event);
  const std::optional<std::string>& violation() const { return violation_; }

 private:
  std::optional<std::string> check_checkpoint_completed(const sim::TraceEvent& event);
  std::optional<std::string> check_commit_leader_changed(const sim::TraceEvent& event);

  std::optional<int64_t> last_completed_;
  std::optional<std::string> violation_;
};

}  // namespace flinksim::model
