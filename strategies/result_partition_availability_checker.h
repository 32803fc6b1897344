#pragma once

// Whether a result partition still exists where its consumers can read it (Flink's
// ResultPartitionAvailabilityChecker, answered in Flink by the JobMaster's partition tracker).

#include <set>

#include "model/graph/ids.h"

namespace flinksim::strategies {

class ResultPartitionAvailabilityChecker {
 public:
  virtual ~ResultPartitionAvailabilityChecker() = default;
  virtual bool is_available(const graph::ResultPartitionId& partition) const = 0;
};

// Every partition is tracked: the checker Flink's tests use when they pass none.
class AllPartitionsAvailable final : public ResultPartitionAvailabilityChecker {
 public:
  bool is_available(const graph::ResultPartitionId&) const override { return true; }
};

// Every partition except a given set (e.g. those hosted on a lost TaskManager).
class UnavailablePartitionSet final : public ResultPartitionAvailabilityChecker {
 public:
  UnavailablePartitionSet() = default;
  explicit UnavailablePartitionSet(std::set<graph::ResultPartitionId> unavailable)
      : unavailable_(std::move(unavailable)) {}
  void mark_unavailable(const graph::ResultPartitionId& id) { unavailable_.insert(id); }
  void mark_available(const graph::ResultPartitionId& id) { unavailable_.erase(id); }
  bool is_available(const graph::ResultPartitionId& id) const override {
    return !unavailable_.contains(id);
  }

 private:
  std::set<graph::ResultPartitionId> unavailable_;
};

}  // namespace flinksim::strategies
