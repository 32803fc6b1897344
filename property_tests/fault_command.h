#pragma once

// One command of a generated fault schedule. Each command heals on its own: partitions and
// outages last a bounded time, and a killed TaskManager is restarted after a delay or (on
// Kubernetes) replaced by the ResourceManager. RapidCheck shrinks a schedule by dropping
// commands and simplifying the rest, which keeps it healing.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/time.h"

namespace flinksim::property_tests {

struct KillTaskManager {
  sim::Duration at;
  int64_t taskmanager = 0;
  // Unset: the TaskManager stays dead (only generated where it is replaced).
  std::optional<sim::Duration> restart_after;
};

struct FailTask {
  sim::Duration at;
  std::string task;  // VERTEX:SUBTASK
};

// Cuts jobmanager-0 off one TaskManager in both directions.
struct PartitionJobManager {
  sim::Duration at;
  int64_t taskmanager = 0;
  sim::Duration lasts;
};

struct CheckpointStorageOutage {
  sim::Duration at;
  sim::Duration lasts;
};

using FaultCommand =
    std::variant<KillTaskManager, FailTask, PartitionJobManager, CheckpointStorageOutage>;

sim::Duration strikes_at(const FaultCommand& command);

// The `faults:` list entries the command stands for, as YAML flow maps ("{at: 2000 ms, ...}");
// a kill with a restart gives two.
std::vector<std::string> fault_entries(const FaultCommand& command);

}  // namespace flinksim::property_tests
