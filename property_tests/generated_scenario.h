#pragma once

// A whole generated scenario: job, cluster, configuration and fault schedule, plus the
// simulation seed (drawn by the generator, so a case is replayable from its YAML alone) and the
// expectations the property checks, written into the YAML so that `flinksim run` checks them
// too where the scenario format can express them.

#include <rapidcheck.h>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "property_tests/fault_command.h"
#include "property_tests/generated_cluster.h"
#include "property_tests/generated_configuration.h"
#include "property_tests/generated_job.h"
#include "property_tests/job_action_plan.h"

namespace flinksim::property_tests {

struct ExpectedOutcome {
  bool finished = true;
  bool exactly_once = false;
  bool no_records_lost = false;
};

struct GeneratedScenario {
  std::string name;
  uint64_t seed = 1;
  sim::Duration duration = sim::Duration::minutes(3);
  GeneratedJob job;
  GeneratedCluster cluster;
  GeneratedConfiguration configuration;
  std::vector<FaultCommand> faults;
  ExpectedOutcome expect;
  bool buggify = false;  // `simulation: {buggify: true}`
};

// What a property wants generated.
struct ScenarioShape {
  std::string name;  // the property's, names the scenario
  graph::SinkDelivery delivery = graph::SinkDelivery::exactly_once;
  std::vector<CheckpointingMode> modes = {CheckpointingMode::exactly_once};
  ExpectedOutcome expect;
  // Whether fault schedules include JobManager-TaskManager partitions (fault_schedule.h).
  bool partitions = false;
  // Whether TaskManagers may be killed anywhere. Otherwise kills are generated only on
  // TaskManagers with one slot each, and no more of them than the cluster can spare, the shape
  // the older properties were tuned on (the liveness properties kill anywhere;
  // docs/property-testing.md, "Liveness").
  bool kills_anywhere = false;
  // Whether the network may have jitter (generated_cluster.h), which barrier alignment needs
  // to matter. It comes with every fault kind, TaskManager kills included (two liveness bugs
  // that needed both were fixed), except under approximate recovery, where a kill under jitter
  // can still deadlock on a stale barrier (docs/property-testing.md, "Liveness").
  bool jitter = false;
  // Approximate local recovery (FLIP-135): region failover, aligned checkpoints, and the
  // approximate-local-recovery switch, so that the scenario file replays what was checked.
  bool approximate_local_recovery = false;
  // Batch jobs (`job.mode: batch`, BLOCKING results) instead of streaming ones.
  bool batch = false;
  // Jobs of up to 8 vertices with parallelism up to 8 (otherwise up to 6 vertices and 4).
  bool large_jobs = false;
  // Every restart strategy, tolerable failed checkpoints and heartbeat settings
  // (generate_varied_configuration) instead of fixed-delay with 1 s / 3 s heartbeats.
  bool varied_configuration = false;
  // ZooKeeper high availability (generate_high_availability_cluster) and its fault commands:
  // leader kills, JobManager kills and restarts, ZooKeeper outages, JobManager-ZooKeeper
  // partitions. Sources read longer (fault_schedule.h says why) at 100-200 records/s.
  bool high_availability = false;
  // With high_availability: every schedule has a command that may change the leader.
  bool leader_change = false;
  // With batch and high_availability: FLIP-383 job recovery, so that a new leader keeps the
  // finished work whose results survive instead of running the job from scratch.
  bool batch_job_recovery = false;
  // With high_availability: faults strike from 3 s before the sources are done to 2 s after, when
  // a batch job's first stage finishes and its later stages start (otherwise in the first half
  // of the input, see fault_schedule.h).
  bool faults_around_sources_end = false;
  // Faults strike until 4 s after the sources are done instead of in the first half of the
  // input, so that in a batch job they also hit consumers reading finished blocking partitions
  // and TaskManagers holding them (Flink's producer rule; restart-scope-batch).
  bool faults_while_consumers_read = false;
  // Also faults at protocol moments where protocols are fragile (FaultAtMoment): a sink between
  // pre-commit and commit, a barrier on its way to an aligning task, a completed checkpoint before
  // its notification, a batch consumer starting to read, a source finishing, a leader hand-over.
  bool moment_faults = false;
  // Restart strategies with budgets a schedule may exhaust (generate_small_budget_configuration)
  // instead of room for every failure; the job may then FAIL.
  bool small_restart_budgets = false;
  // The code-level fault sites (sim/buggify.h) on, in the faulty run and its reference.
  bool buggify = false;
  // Operator actions mixed into the fault schedule (job_action_plan.h), in the fault window;
  // with moment_faults, faults may also strike right after a savepoint completed.
  ActionPlan actions = ActionPlan::none;
};

rc::Gen<GeneratedScenario> generate_scenario(const ScenarioShape& shape);

// RapidCheck prints a counterexample with this: the scenario's YAML.
void showValue(const GeneratedScenario& scenario, std::ostream& os);

}  // namespace flinksim::property_tests
