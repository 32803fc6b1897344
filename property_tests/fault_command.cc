#include "property_tests/fault_command.h"

namespace flinksim::property_tests {
namespace {

std::string milliseconds(sim::Duration duration) {
  return std::to_string(duration.count_milliseconds()) + " ms";
}

std::string taskmanager_name(int64_t index) {
  return "taskmanager-" + std::to_string(index);
}

std::vector<std::string> entries_of(const KillTaskManager& kill) {
  std::vector<std::string> entries = {"{at: " + milliseconds(kill.at) +
                                      ", kill: " + taskmanager_name(kill.taskmanager) + "}"};
  if (kill.restart_after) {
    entries.push_back("{at: " + milliseconds(kill.at + *kill.restart_after) +
                      ", restart: " + taskmanager_name(kill.taskmanager) + "}");
  }
  return entries;
}

std::vector<std::string> entries_of(const FailTask& fail) {
  return {"{at: " + milliseconds(fail.at) + ", fail-task: \"" + fail.task + "\"}"};
}

std::vector<std::string> entries_of(const PartitionJobManager& partition) {
  return {"{at: " + milliseconds(partition.at) + ", partition: [jobmanager-0, " +
          taskmanager_name(partition.taskmanager) + "], for: " + milliseconds(partition.lasts) +
          "}"};
}

std::vector<std::string> entries_of(const CheckpointStorageOutage& outage) {
  return {"{at: " + milliseconds(outage.at) +
          ", outage: checkpoint-storage, for: " + milliseconds(outage.lasts) + "}"};
}

}  // namespace

sim::Duration strikes_at(const FaultCommand& command) {
  return std::visit([](const auto& c) { return c.at; }, command);
}

std::vector<std::string> fault_entries(const FaultCommand& command) {
  return std::visit([](const auto& c) { return entries_of(c); }, command);
}

}  // namespace flinksim::property_tests
