#include "property_tests/generated_scenario.h"

#include <algorithm>
#include <limits>
#include <ostream>

#include "property_tests/fault_schedule.h"
#include "property_tests/scenario_yaml.h"

namespace flinksim::property_tests {
namespace {

// How long a cut-off or killed leader's tasks may still run: a leader cut off from ZooKeeper
// steps down 2/3 of a session timeout after it last heard from it, or, tolerating suspended
// connections, when its session is LOST a session timeout later (5/3 in all); the TaskManagers
// of a killed one notice within heartbeat.timeout; during a ZooKeeper outage the leader's next
// request or ping (a third of the session timeout) fails. The input outlasts that by a margin, so
// that leader changes happen while the job still has input to process.
sim::Duration stale_leader_time(sim::Duration session_timeout) {
  return session_timeout * 5 / 3 + sim::Duration::seconds(5);
}

// TaskManagers the cluster can lose and still offer the slots the job needs.
int64_t spare_taskmanagers(const GeneratedJob& job, const GeneratedCluster& cluster) {
  const int64_t spare_slots =
      cluster.taskmanagers_total() * cluster.slots_per_taskmanager - job.parallelism_max();
  return spare_slots / cluster.slots_per_taskmanager;
}

// The moments FaultAtMoment draws from (ScenarioShape::moment_faults). Streaming: each task's
// snapshot of checkpoints 1-3 (a sink's is its pre-commit; any other task's barrier is then on
// its way to consumers that align on it) and the completion of checkpoints 1-3 (before the
// sinks hear of it and commit). Batch: each source finishing (its blocking result complete) and
// each other task starting to run (reading finished partitions). With standby JobManagers, each
// taking the leadership over.
std::vector<std::string> fragile_moments(const GeneratedJob& job, int64_t jobmanagers) {
  std::vector<std::string> moments;
  for (const GeneratedVertex& vertex : job.vertices) {
    for (int64_t subtask = 0; subtask < vertex.parallelism; ++subtask) {
      const std::string task = vertex.name + ":" + std::to_string(subtask);
      if (job.mode == JobMode::batch) {
        moments.push_back(task + (vertex.kind == graph::OperatorKind::source ? " finished" : " running"));
        continue;
      }
      const std::string snapshot =
          vertex.kind == graph::OperatorKind::sink ? " pre-committed checkpoint " : " snapshotted checkpoint ";
      for (int checkpoint = 1; checkpoint <= 3; ++checkpoint) {
        moments.push_back(task + snapshot + std::to_string(checkpoint));
      }
    }
  }
  for (int checkpoint = 1; job.mode == JobMode::streaming && checkpoint <= 3; ++checkpoint) {
    moments.push_back("checkpoint " + std::to_string(checkpoint) + " completed");
  }
  for (int64_t jobmanager = 1; jobmanager < jobmanagers; ++jobmanager) {
    moments.push_back("jobmanager-" + std::to_string(jobmanager) + " granted leadership");
  }
  return moments;
}

FaultTargets targets_of(const GeneratedJob& job, const GeneratedCluster& cluster,
                        const ScenarioShape& shape) {
  FaultTargets targets;
  targets.partitions = shape.partitions;
  if (shape.kills_anywhere) {
    targets.kills_max = std::numeric_limits<int64_t>::max();
  } else if (cluster.slots_per_taskmanager == 1) {
    targets.kills_max = spare_taskmanagers(job, cluster);
  }
  targets.tasks = job.task_ids();
  if (shape.moment_faults) {
    targets.moments =
        fragile_moments(job, cluster.high_availability ? cluster.jobmanagers : int64_t{1});
  }
  targets.taskmanagers = cluster.taskmanagers_total();
  targets.taskmanagers_replaced = cluster.deployment == scenarios::Deployment::kubernetes;
  // The first half of the input: every consequence of a fault (detection within the 3 s
  // heartbeat timeout, a restart, a checkpoint failing during an outage) lands before any
  // sink can have finished.
  targets.strike_before = sim::Duration::milliseconds(job.source_time.count_milliseconds() / 2);
  if (shape.faults_while_consumers_read) targets.strike_before = job.source_time + sim::Duration::seconds(4);
  if (cluster.high_availability) {
    targets.high_availability = true;
    targets.jobmanagers = cluster.jobmanagers;
    targets.session_timeout = cluster.session_timeout;
    targets.leader_change = shape.leader_change;
    targets.strike_before =
        std::min(targets.strike_before, job.source_time - stale_leader_time(cluster.session_timeout));
    if (shape.faults_around_sources_end) {
      targets.strike_after = job.source_time - sim::Duration::seconds(3);
      targets.strike_before = job.source_time + sim::Duration::seconds(2);
    }
  }
  return targets;
}

// HA scenarios: the session timeout first, since the job's input must outlast a stale leader
// (stale_leader_time), and so must the fault window. Faults strike in [1 s, source time - stale
// leader time] and at most in the first half of the input.
void generate_high_availability(GeneratedScenario& scenario, const ScenarioShape& shape) {
  const sim::Duration session_timeout =
      sim::Duration::seconds(*rc::gen::element<int64_t>(10, 20));
  const sim::Duration stale = stale_leader_time(session_timeout);
  JobShape job_shape{.delivery = shape.delivery,
                     .mode = shape.batch ? JobMode::batch : JobMode::streaming,
                     .source_time_min = stale + sim::Duration::seconds(5),
                     .source_time_max = stale + sim::Duration::seconds(11),
                     .rate_per_second_min = 100,
                     .rate_per_second_max = 200};
  scenario.job = *generate_job(job_shape);
  scenario.cluster = *generate_high_availability_cluster(scenario.job.parallelism_max());
  scenario.cluster.session_timeout = session_timeout;
  // A ZooKeeper outage of 1.5 session timeouts, then a session timeout for the old sessions to
  // expire, then the rest of the input.
  scenario.duration = sim::Duration::minutes(5);
}

// The faults, then the operator actions (job_action_plan.h) in the same window, with what they
// need configured; moment faults may then also strike right after a savepoint completed.
void add_job_actions(GeneratedScenario& scenario, const ScenarioShape& shape, FaultTargets& targets) {
  if (shape.actions != ActionPlan::none && shape.actions != ActionPlan::cancel && shape.moment_faults) {
    targets.moments.push_back("savepoint completed");
  }
  scenario.faults = *generate_fault_schedule(targets);
  if (shape.actions == ActionPlan::none) return;
  const std::vector<FaultCommand> actions =
      *generate_job_actions(shape.actions, {targets.strike_after, targets.strike_before});
  scenario.faults.insert(scenario.faults.end(), actions.begin(), actions.end());
  scenario.configuration.savepoint_dir = true;
  if (shape.actions == ActionPlan::cancel_and_resume) {
    scenario.configuration.checkpoint_retention = *generate_checkpoint_retention();
  }
}

GeneratedScenario generate_scenario_now(const ScenarioShape& shape) {
  GeneratedScenario scenario;
  scenario.seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  scenario.name = "property-" + shape.name + "-" + std::to_string(scenario.seed);
  scenario.expect = shape.expect;
  scenario.buggify = shape.buggify;
  if (shape.high_availability) {
    generate_high_availability(scenario, shape);
  } else {
    const JobMode mode = shape.batch ? JobMode::batch : JobMode::streaming;
    JobShape job_shape{.delivery = shape.delivery, .mode = mode};
    if (shape.large_jobs) {
      job_shape.parallelism_max = 8;
      job_shape.vertices_max = 8;
    }
    scenario.job = *generate_job(job_shape);
    scenario.cluster = *generate_cluster(scenario.job.parallelism_max());
  }
  scenario.configuration = shape.small_restart_budgets
                               ? *generate_small_budget_configuration(shape.modes)
                           : shape.varied_configuration ? *generate_varied_configuration(shape.modes)
                                                        : *generate_configuration(shape.modes);
  scenario.configuration.batch_job_recovery = shape.batch && shape.batch_job_recovery;
  if (shape.approximate_local_recovery) {
    scenario.configuration.failover = FailoverStrategy::region;
    scenario.configuration.unaligned = false;
    scenario.configuration.approximate_local_recovery = true;
  }
  FaultTargets targets = targets_of(scenario.job, scenario.cluster, shape);
  add_job_actions(scenario, shape, targets);
  // Jitter comes with every fault kind and every shape that allows it. Four model bugs kept it
  // (or TaskManager kills, tolerated suspension, tolerable checkpoint failures) away from some
  // shapes until they were fixed (docs/property-testing.md, "Model bugs the new generators
  // found").
  if (!shape.jitter) scenario.cluster.network_jitter = sim::Duration::zero();
  return scenario;
}

}  // namespace

rc::Gen<GeneratedScenario> generate_scenario(const ScenarioShape& shape) {
  return rc::gen::exec([shape] { return generate_scenario_now(shape); });
}

void showValue(const GeneratedScenario& scenario, std::ostream& os) {
  os << "\n" << to_yaml(scenario);
}

}  // namespace flinksim::property_tests
