#include "property_tests/fault_schedule.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>

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
                         generate_time(targets.strike_after, targets.strike_before));
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

// 100 ms to 5 s more latency: from a slower exchange to a TaskManager lost to the heartbeat
// timeout (3 s in the generated configurations).
rc::Gen<FaultCommand> generate_slow_link(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    return SlowLink{
        *generate_strike(targets), *generate_taskmanager(targets),
        *generate_time(sim::Duration::milliseconds(100), sim::Duration::seconds(5)),
        *generate_time(targets.partition_lasting_min, targets.partition_lasting_max)};
  });
}

rc::Gen<FaultCommand> generate_outage(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    return CheckpointStorageOutage{*generate_strike(targets), *generate_lasting()};
  });
}

// At one of the targets' fragile moments, 0-100 ms after it: fail a task, or (where the cluster
// can spare one) kill a TaskManager and restart it 1-4 s later.
rc::Gen<FaultCommand> generate_fault_at_moment(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    FaultAtMoment fault;
    fault.moment = *rc::gen::elementOf(targets.moments);
    fault.delay = *generate_time(sim::Duration::zero(), sim::Duration::seconds(1)) / 10;
    if (targets.kills_max > 0 && *rc::gen::arbitrary<bool>()) {
      fault.taskmanager = *generate_taskmanager(targets);
      fault.restart_after = *generate_lasting();
      return fault;
    }
    // The moment's own task half of the time: a sink failing between its pre-commit and the
    // commit, a consumer right after it started reading.
    const std::string own_task = fault.moment.substr(0, fault.moment.find(' '));
    const bool names_task = own_task.find(':') != std::string::npos;
    fault.fail_task = names_task && *rc::gen::arbitrary<bool>()
                          ? own_task
                          : *rc::gen::elementOf(targets.tasks);
    return fault;
  });
}

rc::Gen<FaultCommand> generate_leader_kill(const FaultTargets& targets) {
  return rc::gen::map(generate_strike(targets),
                      [](sim::Duration at) -> FaultCommand { return KillJobManagerLeader{at}; });
}

rc::Gen<int64_t> generate_jobmanager(const FaultTargets& targets) {
  return rc::gen::inRange<int64_t>(0, targets.jobmanagers);
}

// A ZooKeeper outage of up to 1.5 session timeouts: every client is SUSPENDED at its next
// request; longer than one, the old sessions expire only a session timeout after the return.
rc::Gen<sim::Duration> generate_zookeeper_lasting(const FaultTargets& targets) {
  return generate_time(sim::Duration::seconds(1), targets.session_timeout * 3 / 2);
}

rc::Gen<FaultCommand> generate_jobmanager_kill(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    return KillJobManager{*generate_strike(targets), *generate_jobmanager(targets),
                          *generate_time(sim::Duration::seconds(1), targets.session_timeout)};
  });
}

rc::Gen<FaultCommand> generate_zookeeper_outage(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    return ZooKeeperOutage{*generate_strike(targets), *generate_zookeeper_lasting(targets)};
  });
}

// From 0.5 s to 1.5 session timeouts: short ones the client never notices (what they drop is
// sent again), long ones that suspend it and cost the leadership.
rc::Gen<FaultCommand> generate_zookeeper_partition(const FaultTargets& targets) {
  return rc::gen::exec([targets]() -> FaultCommand {
    return PartitionJobManagerFromZooKeeper{
        *generate_strike(targets), *generate_jobmanager(targets),
        *generate_time(sim::Duration::milliseconds(500), targets.session_timeout * 3 / 2)};
  });
}

// The scenario loader rejects a kill of a TaskManager or JobManager that is already dead (the
// model would ignore it), so such kills are dropped together with their restarts, and so are
// TaskManager kills beyond `kills_max` and leader kills beyond `leader_kills_max` (a standby must
// be left). Doing this after generation keeps every shrink of a schedule valid as well.
std::vector<FaultCommand> drop_conflicting(const std::vector<FaultCommand>& commands,
                                           int64_t kills_max, int64_t leader_kills_max) {
  std::vector<size_t> order(commands.size());
  for (size_t index = 0; index < order.size(); ++index) order[index] = index;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return strikes_at(commands[a]) < strikes_at(commands[b]);
  });
  // Per process name, when it comes back from its last kill; sim::Duration::max() for never.
  std::map<std::string, sim::Duration> dead_until;
  std::vector<bool> dropped(commands.size(), false);
  const auto kill = [&](size_t index, const std::string& name, sim::Duration at,
                        sim::Duration back, int64_t& budget) {
    const auto dead = dead_until.find(name);
    if ((dead != dead_until.end() && at < dead->second) || budget-- <= 0) {
      dropped[index] = true;
      return;
    }
    dead_until[name] = back;
  };
  int64_t jobmanager_kills_max = std::numeric_limits<int64_t>::max();
  for (size_t index : order) {
    if (const auto* tm = std::get_if<KillTaskManager>(&commands[index])) {
      kill(index, "taskmanager-" + std::to_string(tm->taskmanager), tm->at,
           tm->restart_after ? tm->at + *tm->restart_after : sim::Duration::max(), kills_max);
    } else if (const auto* jm = std::get_if<KillJobManager>(&commands[index])) {
      kill(index, "jobmanager-" + std::to_string(jm->jobmanager), jm->at,
           jm->at + jm->restart_after, jobmanager_kills_max);
    } else if (std::holds_alternative<KillJobManagerLeader>(commands[index])) {
      if (leader_kills_max-- <= 0) dropped[index] = true;
    }
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
  if (!targets.moments.empty()) kinds.push_back(generate_fault_at_moment(targets));
  if (targets.partitions) {
    kinds.push_back(generate_partition(targets));
    kinds.push_back(generate_slow_link(targets));
  }
  if (targets.high_availability) {
    if (targets.jobmanagers > 1) kinds.push_back(generate_leader_kill(targets));
    kinds.push_back(generate_jobmanager_kill(targets));
    kinds.push_back(generate_zookeeper_outage(targets));
    kinds.push_back(generate_zookeeper_partition(targets));
  }
  const rc::Gen<FaultCommand> command = rc::gen::join(rc::gen::elementOf(kinds));
  const auto schedule = rc::gen::resize(static_cast<int>(kCommandsMax),
                                        rc::gen::container<std::vector<FaultCommand>>(command));
  const bool leader_change = targets.leader_change;
  const auto nonempty =
      rc::gen::suchThat(schedule, [leader_change](const std::vector<FaultCommand>& commands) {
        return !commands.empty() &&
               (!leader_change || std::any_of(commands.begin(), commands.end(), changes_leader));
      });
  const int64_t kills_max = targets.kills_max;
  const int64_t leader_kills_max = targets.jobmanagers - 1;
  return rc::gen::map(nonempty, [kills_max, leader_kills_max](std::vector<FaultCommand> commands) {
    if (commands.size() > kCommandsMax) commands.resize(kCommandsMax);
    return drop_conflicting(commands, kills_max, leader_kills_max);
  });
}

}  // namespace flinksim::property_tests
