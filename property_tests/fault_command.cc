#include "property_tests/fault_command.h"

namespace flinksim::property_tests {
namespace {

std::string milliseconds(sim::Duration duration) {
  return std::to_string(duration.count_milliseconds()) + " ms";
}

std::string taskmanager_name(int64_t index) {
  return "taskmanager-" + std::to_string(index);
}

std::string jobmanager_name(int64_t index) {
  return "jobmanager-" + std::to_string(index);
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

std::vector<std::string> entries_of(const SlowLink& slow) {
  return {"{at: " + milliseconds(slow.at) + ", slow: [jobmanager-0, " +
          taskmanager_name(slow.taskmanager) + "], latency: " + milliseconds(slow.extra_latency) +
          ", for: " + milliseconds(slow.lasts) + "}"};
}

std::vector<std::string> entries_of(const CheckpointStorageOutage& outage) {
  return {"{at: " + milliseconds(outage.at) +
          ", outage: checkpoint-storage, for: " + milliseconds(outage.lasts) + "}"};
}

std::vector<std::string> entries_of(const KillJobManagerLeader& kill) {
  return {"{at: " + milliseconds(kill.at) + ", kill: jobmanager-leader}"};
}

std::vector<std::string> entries_of(const KillJobManager& kill) {
  return {"{at: " + milliseconds(kill.at) + ", kill: " + jobmanager_name(kill.jobmanager) + "}",
          "{at: " + milliseconds(kill.at + kill.restart_after) +
              ", restart: " + jobmanager_name(kill.jobmanager) + "}"};
}

std::vector<std::string> entries_of(const ZooKeeperOutage& outage) {
  return {"{at: " + milliseconds(outage.at) +
          ", outage: zookeeper, for: " + milliseconds(outage.lasts) + "}"};
}

std::vector<std::string> entries_of(const PartitionJobManagerFromZooKeeper& partition) {
  return {"{at: " + milliseconds(partition.at) + ", partition: [" +
          jobmanager_name(partition.jobmanager) + ", zookeeper], for: " +
          milliseconds(partition.lasts) + "}"};
}

std::string after(const FaultAtMoment& fault, sim::Duration delay) {
  return "{after: \"" + fault.moment +
         (delay == sim::Duration::zero() ? "" : " + " + milliseconds(delay)) + "\", ";
}

std::vector<std::string> entries_of(const FaultAtMoment& fault) {
  if (!fault.fail_task.empty()) {
    return {after(fault, fault.delay) + "fail-task: \"" + fault.fail_task + "\"}"};
  }
  return {after(fault, fault.delay) + "kill: " + taskmanager_name(fault.taskmanager) + "}",
          after(fault, fault.delay + fault.restart_after) +
              "restart: " + taskmanager_name(fault.taskmanager) + "}"};
}

std::vector<std::string> entries_of(const JobAction& action) {
  if (action.moment.empty()) return {"{at: " + milliseconds(action.at) + ", " + action.action + "}"};
  return {"{after: \"" + action.moment +
          (action.delay == sim::Duration::zero() ? "" : " + " + milliseconds(action.delay)) +
          "\", " + action.action + "}"};
}

sim::Duration healed(const KillTaskManager& kill) {
  return kill.restart_after ? kill.at + *kill.restart_after : kill.at;
}
sim::Duration healed(const FailTask& fail) { return fail.at; }
sim::Duration healed(const PartitionJobManager& partition) {
  return partition.at + partition.lasts;
}
sim::Duration healed(const SlowLink& slow) { return slow.at + slow.lasts; }
sim::Duration healed(const CheckpointStorageOutage& outage) { return outage.at + outage.lasts; }
sim::Duration healed(const KillJobManagerLeader& kill) { return kill.at; }
sim::Duration healed(const KillJobManager& kill) { return kill.at + kill.restart_after; }
sim::Duration healed(const ZooKeeperOutage& outage) { return outage.at + outage.lasts; }
sim::Duration healed(const PartitionJobManagerFromZooKeeper& partition) {
  return partition.at + partition.lasts;
}
// Unknown before the run: never, as far as a bound on recovery after the last fault goes.
sim::Duration healed(const FaultAtMoment& fault) { return fault.at; }
sim::Duration healed(const JobAction& action) { return action.at; }

}  // namespace

sim::Duration heals_at(const FaultCommand& command) {
  return std::visit([](const auto& c) { return healed(c); }, command);
}

bool changes_leader(const FaultCommand& command) {
  return std::holds_alternative<KillJobManagerLeader>(command) ||
         std::holds_alternative<KillJobManager>(command) ||
         std::holds_alternative<ZooKeeperOutage>(command) ||
         std::holds_alternative<PartitionJobManagerFromZooKeeper>(command);
}

sim::Duration strikes_at(const FaultCommand& command) {
  return std::visit([](const auto& c) { return c.at; }, command);
}

std::vector<std::string> fault_entries(const FaultCommand& command) {
  return std::visit([](const auto& c) { return entries_of(c); }, command);
}

}  // namespace flinksim::property_tests
