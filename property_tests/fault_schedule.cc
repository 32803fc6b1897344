#include "property_tests/fault_schedule.h"

#include <algorithm>
#include <map>

namespace flinksim::property_tests {
namespace {

constexpr size_t kCommandsMax = 4;

// In steps of 100 ms, shrinking towards the earliest time.
rc::Gen<sim::Duration> generate_time(sim::Duration from, sim::Duration to) {
  return rc::gen::map(
      rc::gen::inRange<int64_t>(from.count_milliseconds() / 100, to.count_milliseconds() / 100 + 1),
      [](int64_t steps) { return sim::Duration::milliseconds(100 * steps); });
}

// Over the whole window whatever RapidCheck's size: sized, nearly every fault of a run struck in
// its first 1.5 s, so every restore found a single completed checkpoint and a restore from the
// wrong one of several (planted bug restore-oldest-checkpoint) went unseen. Still shrinks
// towards the earliest time.
rc::Gen<sim::Duration> generate_strike(const FaultTargets& targets) {
  return rc::gen::resize(rc::kNominalSize,
                         generate_time(sim::Duration::seconds(1), targets.strike_before));
}

// How long an outage lasts or a killed TaskManager stays down: short enough that the job
// recovers well before the nominal end of input.
rc::Gen<sim::Duration> generate_lasting() {
  return generate_time(sim::Duration::seconds(1), sim::Duration::seconds(4));
}

rc::Gen<int64_t> generate_taskmanager(const FaultTargets& targets) {
  return rc::gen::inRange<int64_t>(0, targets.taskmanagers);
}

rc::Gen<FaultCommand> generate_kill(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    KillTaskManager kill;
    kill.at = *generate_strike(targets);
    kill.taskmanager = *generate_taskmanager(targets);
    // Where lost TaskManagers are not replaced, the killed one must come back for the job to
    // find its slots again.
    if (!targets.taskmanagers_replaced || *rc::gen::arbitrary<bool>()) {
      kill.restart_after = *generate_lasting();
    }
    return kill;
  });
}

rc::Gen<FaultCommand> generate_fail_task(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    return FailTask{*generate_strike(targets), *rc::gen::elementOf(targets.tasks)};
  });
}

rc::Gen<FaultCommand> generate_partition(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    return PartitionJobManager{
        *generate_strike(targets), *generate_taskmanager(targets),
        *generate_time(targets.partition_lasting_min, targets.partition_lasting_max)};
  });
}

rc::Gen<FaultCommand> generate_outage(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    return CheckpointStorageOutage{*generate_strike(targets), *generate_lasting()};
  });
}

// The scenario loader rejects a kill of a TaskManager that is already dead (the model would
// ignore it), so such kills are dropped together with their restarts, and so are kills beyond
// `kills_max`. Doing this after generation keeps every shrink of a schedule valid as well.
std::vector<FaultCommand> drop_extra_kills(const std::vector<FaultCommand>& commands,
                                           int64_t kills_max) {
  std::vector<size_t> order(commands.size());
  for (size_t index = 0; index < order.size(); ++index) order[index] = index;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return strikes_at(commands[a]) < strikes_at(commands[b]);
  });
  // Per TaskManager, when it comes back from its last kill; sim::Duration::max() for never.
  std::map<int64_t, sim::Duration> dead_until;
  std::vector<bool> dropped(commands.size(), false);
  for (size_t index : order) {
    const auto* kill = std::get_if<KillTaskManager>(&commands[index]);
    if (kill == nullptr) continue;
    const auto dead = dead_until.find(kill->taskmanager);
    if ((dead != dead_until.end() && kill->at < dead->second) || kills_max-- <= 0) {
      dropped[index] = true;
      continue;
    }
    dead_until[kill->taskmanager] =
        kill->restart_after ? kill->at + *kill->restart_after : sim::Duration::max();
  }
  std::vector<FaultCommand> kept;
  for (size_t index = 0; index < commands.size(); ++index) {
    if (!dropped[index]) kept.push_back(commands[index]);
  }
  return kept;
}

}  // namespace

rc::Gen<std::vector<FaultCommand>> generate_fault_schedule(const FaultTargets& targets) {
  std::vector<rc::Gen<FaultCommand>> kinds = {generate_fail_task(targets),
                                              generate_outage(targets)};
  if (targets.kills_max > 0) kinds.push_back(generate_kill(targets));
  if (targets.partitions) kinds.push_back(generate_partition(targets));
  const rc::Gen<FaultCommand> command = rc::gen::join(rc::gen::elementOf(kinds));
  const auto schedule = rc::gen::resize(static_cast<int>(kCommandsMax),
                                        rc::gen::container<std::vector<FaultCommand>>(command));
  const auto nonempty = rc::gen::suchThat(
      schedule, [](const std::vector<FaultCommand>& commands) { return !commands.empty(); });
  const int64_t kills_max = targets.kills_max;
  return rc::gen::map(nonempty, [kills_max](std::vector<FaultCommand> commands) {
    if (commands.size() > kCommandsMax) commands.resize(kCommandsMax);
    return drop_extra_kills(commands, kills_max);
  });
}

}  // namespace flinksim::property_tests
