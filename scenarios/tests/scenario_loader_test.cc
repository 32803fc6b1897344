// Goal: a scenario file becomes exactly the ScenarioSpec that SCENARIOS.md §2 describes, and every
// mistake in it is reported at once with file:line:col, path and a suggestion. Method: the
// contract's own example, then small files each with hand-placed mistakes; positions are counted
// by hand.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/scenario_loader.h"
#include "scenarios/value_syntax.h"

namespace flinksim::scenarios {
namespace {

using sim::Duration;

// The example of SCENARIOS.md §2, verbatim apart from comments.
const char* const kContractExample = R"(name: keyed-window-tm-kill
description: one TaskManager dies while a keyed window job runs
seed: 42
duration: 10 min

cluster:
  deployment: standalone
  taskmanagers: 4
  standby-taskmanagers: 0
  jobmanagers: 1
  taskmanager-startup: 5 s

network:
  latency: 1 ms
  jitter: 100 us
  bandwidth: 10 gbps

config:
  taskmanager.numberOfTaskSlots: 2
  jobmanager.execution.failover-strategy: region
  restart-strategy.type: fixed-delay
  restart-strategy.fixed-delay.attempts: 3
  restart-strategy.fixed-delay.delay: 10 s
  execution.checkpointing.interval: 5 s
  execution.checkpointing.mode: EXACTLY_ONCE
  heartbeat.timeout: 50 s
  high-availability.type: none

job:
  mode: streaming
  vertices:
    - {name: source, operator: source, parallelism: 4, records: 200000, rate: 10000/s,
       keys: 1000, key-distribution: zipf, zipf-exponent: 1.1}
    - {name: window, operator: window, size: 10 s, parallelism: 4, state-per-key: 128 B}
    - {name: sink, operator: sink, delivery: exactly-once, parallelism: 2}
  edges:
    - {from: source, to: window, partitioning: hash}
    - {from: window, to: sink, partitioning: rebalance}

faults:
  - {at: 30 s, kill: taskmanager-2}
  - {at: 35 s, kill: "taskmanager-of window:1"}
  - {at: 45 s, restart: taskmanager-2}
  - {at: 60 s, fail-task: window:1}
  - {at: 70 s, partition: [jobmanager-0, taskmanager-1], for: 20 s}
  - {at: 90 s, kill: jobmanager-leader}
  - {at: 95 s, outage: checkpoint-storage, for: 30 s}
  - random: {kill-taskmanager: 1/10min, fail-task: 1/5min, until: 8 min}

expect:
  exactly-once: true
  final-status: FINISHED
  recovery-time-max: 2 min
  tasks-restarted-max: 8
)";

const char* const kSmallJob = R"(job:
  vertices:
    - {name: source, parallelism: 1}
    - {name: sink, parallelism: 1}
  edges:
    - {from: source, to: sink, partitioning: forward}
)";

ScenarioSpec load_ok(const std::string& text) {
  Diagnostics diagnostics;
  std::optional<ScenarioSpec> spec = load_scenario_text(text, "s.yaml", diagnostics);
  EXPECT_TRUE(spec.has_value()) << diagnostics.format();
  return spec.value_or(ScenarioSpec{});
}

Diagnostics load_errors(const std::string& text) {
  Diagnostics diagnostics;
  EXPECT_FALSE(load_scenario_text(text, "s.yaml", diagnostics).has_value());
  EXPECT_FALSE(diagnostics.empty());
  return diagnostics;
}

bool contains(const Diagnostics& diagnostics, const std::string& text) {
  return diagnostics.format().find(text) != std::string::npos;
}

TEST(ScenarioLoader, ContractExampleLoadsEveryField) {
  const ScenarioSpec spec = load_ok(kContractExample);
  EXPECT_EQ(spec.name, "keyed-window-tm-kill");
  EXPECT_EQ(spec.description, "one TaskManager dies while a keyed window job runs");
  EXPECT_EQ(spec.seed, 42u);
  EXPECT_EQ(spec.duration, Duration::minutes(10));
  EXPECT_EQ(spec.cluster.deployment, Deployment::standalone);
  EXPECT_EQ(spec.cluster.taskmanagers, 4);
  EXPECT_EQ(spec.cluster.taskmanager_startup, Duration::seconds(5));
  EXPECT_EQ(spec.network.latency, Duration::milliseconds(1));
  EXPECT_EQ(spec.network.jitter, Duration::microseconds(100));
  EXPECT_EQ(spec.network.bandwidth_bits_per_second, 10'000'000'000);
  EXPECT_EQ(spec.config.get_int("taskmanager.numberOfTaskSlots"), 2);
  EXPECT_EQ(spec.config.get_enum("restart-strategy.type"), "fixed-delay");
  EXPECT_EQ(spec.config.get_enum("execution.checkpointing.mode"), "exactly_once");
  EXPECT_EQ(spec.config_locations.at("restart-strategy.type").line, 21);
  ASSERT_TRUE(spec.job.has_value());
  EXPECT_EQ(spec.job->vertices().size(), 3u);
  ASSERT_EQ(spec.faults.size(), 7u);
  EXPECT_EQ(spec.faults[0].kind, FaultKind::kill);
  EXPECT_EQ(spec.faults[0].at, Duration::seconds(30));
  EXPECT_EQ(spec.faults[0].processes[0].kind, ProcessRef::Kind::taskmanager);
  EXPECT_EQ(spec.faults[0].processes[0].index, 2);
  EXPECT_EQ(spec.faults[1].processes[0].kind, ProcessRef::Kind::taskmanager_of);
  EXPECT_EQ(spec.faults[1].processes[0].task.to_string(), "window:1");
  EXPECT_EQ(spec.faults[2].kind, FaultKind::restart);
  EXPECT_EQ(spec.faults[3].kind, FaultKind::fail_task);
  EXPECT_EQ(spec.faults[3].task.vertex, "window");
  EXPECT_EQ(spec.faults[3].task.subtask, 1);
  EXPECT_EQ(spec.faults[4].kind, FaultKind::partition);
  ASSERT_EQ(spec.faults[4].processes.size(), 2u);
  EXPECT_EQ(spec.faults[4].processes[0].kind, ProcessRef::Kind::jobmanager);
  EXPECT_EQ(spec.faults[4].processes[1].index, 1);
  EXPECT_EQ(spec.faults[4].lasts, Duration::seconds(20));
  EXPECT_EQ(spec.faults[4].direction, PartitionDirection::both);
  EXPECT_EQ(spec.faults[5].processes[0].kind, ProcessRef::Kind::jobmanager_leader);
  EXPECT_EQ(spec.faults[6].kind, FaultKind::outage);
  EXPECT_EQ(spec.faults[6].processes[0].kind, ProcessRef::Kind::checkpoint_storage);
  EXPECT_EQ(spec.faults[6].path, "faults[6]");
  ASSERT_EQ(spec.random_faults.size(), 1u);
  EXPECT_DOUBLE_EQ(spec.random_faults[0].kill_taskmanager_per_second, 1.0 / 600);
  EXPECT_DOUBLE_EQ(spec.random_faults[0].fail_task_per_second, 1.0 / 300);
  EXPECT_EQ(spec.random_faults[0].until, Duration::minutes(8));
  EXPECT_EQ(spec.expect.exactly_once, true);
  EXPECT_EQ(spec.expect.final_status, FinalStatus::finished);
  EXPECT_EQ(spec.expect.recovery_time_max, Duration::minutes(2));
  EXPECT_EQ(spec.expect.tasks_restarted_max, 8);
  EXPECT_EQ(spec.expect.failovers_max, std::nullopt);
  EXPECT_EQ(spec.content_hash, fnv1a_64_hex(kContractExample));
  EXPECT_EQ(spec.content_hash.size(), 16u);
  EXPECT_TRUE(spec.warnings.empty());
  EXPECT_EQ(strategy_label(spec.config), "region");
}

TEST(ContentHash, IsFnv1a64) {
  // Reference values of the FNV-1a 64-bit test suite.
  EXPECT_EQ(fnv1a_64_hex(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a_64_hex("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(fnv1a_64_hex("foobar"), "85944171f73967e8");
}

TEST(ScenarioLoader, OmittedSectionsTakeTheContractsDefaults) {
  const ScenarioSpec spec = load_ok(std::string("name: minimal\n") + kSmallJob);
  EXPECT_EQ(spec.seed, 1u);
  EXPECT_EQ(spec.duration, Duration::minutes(10));
  EXPECT_EQ(spec.cluster.deployment, Deployment::standalone);
  EXPECT_EQ(spec.cluster.jobmanagers, 1);
  EXPECT_EQ(spec.cluster.standby_taskmanagers, 0);
  EXPECT_EQ(spec.cluster.taskmanager_startup, Duration::seconds(5));
  EXPECT_EQ(spec.network.latency, Duration::milliseconds(1));
  EXPECT_EQ(spec.network.jitter, Duration::zero());
  EXPECT_TRUE(spec.faults.empty());
  EXPECT_FALSE(spec.expect.exactly_once.has_value());
}

TEST(ScenarioLoader, RequiredKeysAreReported) {
  const Diagnostics diagnostics = load_errors("description: no name and no job\n");
  EXPECT_TRUE(contains(diagnostics, "s.yaml:1:1: error: missing required key 'name'"));
  EXPECT_TRUE(contains(diagnostics, "missing required key 'job'"));
}

TEST(ScenarioLoader, AllErrorsOfAFileAreReportedWithPositions) {
  const std::string text = std::string(R"(name: many-mistakes
seeed: 3
duration: 10 parsecs
cluster: {taskmanagers: 2, deploymnet: kubernetes}
network: {bandwidth: 10 gbs}
config:
  heartbeat.timout: 5 s
  taskmanager.numberOfTaskSlots: 0
expect: {final-status: FINSHED}
)") + kSmallJob;
  const Diagnostics diagnostics = load_errors(text);
  EXPECT_EQ(diagnostics.size(), 7u) << diagnostics.format();
  EXPECT_TRUE(contains(diagnostics, "s.yaml:2:1: error: unknown key 'seeed' (did you mean 'seed'?)"));
  EXPECT_TRUE(contains(diagnostics, "s.yaml:3:11: error: unknown time unit 'parsecs'"));
  EXPECT_TRUE(contains(diagnostics,
                       "s.yaml:4:28: error: unknown key 'deploymnet' (did you mean 'deployment'?) "
                       "in 'cluster'"));
  EXPECT_TRUE(contains(diagnostics, "s.yaml:5:22: error: unknown bandwidth unit 'gbs'"));
  EXPECT_TRUE(contains(diagnostics,
                       "s.yaml:7:3: error: unknown Flink configuration key 'heartbeat.timout' (did "
                       "you mean 'heartbeat.timeout'?) in 'config'"));
  EXPECT_TRUE(contains(diagnostics, "s.yaml:8:34: error: invalid value for "
                                    "'taskmanager.numberOfTaskSlots'"));
  EXPECT_TRUE(contains(diagnostics, "(did you mean 'FINISHED'?)"));
}

TEST(ScenarioLoader, DeprecatedConfigKeysWarnWithTheirPosition) {
  const ScenarioSpec spec = load_ok(std::string(R"(name: old-keys
config:
  restart-strategy: fixeddelay
  high-availability: NONE
)") + kSmallJob);
  ASSERT_EQ(spec.warnings.size(), 2u);
  EXPECT_EQ(spec.warnings[0],
            "s.yaml:3:3: warning: deprecated key 'restart-strategy', use 'restart-strategy.type'");
  EXPECT_EQ(spec.config.get_enum("restart-strategy.type"), "fixed-delay");
  EXPECT_EQ(spec.config.get_enum("high-availability.type"), "none");
}

TEST(ScenarioLoader, NestedConfigMapsAreFlattenedLikeFlinksConfigYaml) {
  const ScenarioSpec spec = load_ok(std::string(R"(name: nested
config:
  execution:
    checkpointing:
      interval: 5 s
      unaligned.enabled: true
  heartbeat: {timeout: 20 s}
)") + kSmallJob);
  EXPECT_EQ(spec.config.get_optional_duration("execution.checkpointing.interval"), Duration::seconds(5));
  EXPECT_TRUE(spec.config.get_bool("execution.checkpointing.unaligned.enabled"));
  EXPECT_EQ(spec.config.get_duration("heartbeat.timeout"), Duration::seconds(20));
}

TEST(ScenarioLoader, TheSameOptionTwiceIsAnError) {
  const Diagnostics diagnostics = load_errors(std::string(R"(name: twice
config:
  restart-strategy.type: none
  restart-strategy: fixed-delay
)") + kSmallJob);
  EXPECT_TRUE(contains(diagnostics, "s.yaml:4:3: error: key 'restart-strategy' sets the same option "
                                    "as 'restart-strategy.type' in 'config'"));
}

TEST(ScenarioLoader, FaultsNamingProcessesThatCannotExistAreErrors) {
  const std::string text = std::string(R"(name: processes
cluster: {taskmanagers: 2, standby-taskmanagers: 1}
faults:
  - {at: 1 s, kill: taskmanager-2}
  - {at: 1 s, kill: taskmanager-3}
  - {at: 1 s, kill: jobmanager-1}
  - {at: 1 s, kill: taskmanger-0}
  - {at: 1 s, outage: zookeeper}
  - {at: 1 s, kill: checkpoint-storage}
  - {at: 1 s, restart: jobmanager-leader}
  - {at: 1 s, outage: taskmanager-0}
  - {at: 1 s, partition: [taskmanager-0, taskmanager-0]}
)") + kSmallJob;
  const Diagnostics diagnostics = load_errors(text);
  EXPECT_EQ(diagnostics.size(), 8u) << diagnostics.format();
  EXPECT_TRUE(contains(diagnostics,
                       "s.yaml:5:21: error: 'taskmanager-3' does not exist: the cluster has 2 "
                       "taskmanagers and 1 standby (taskmanager-0 .. taskmanager-2) in "
                       "'faults[1].kill'"));
  EXPECT_TRUE(contains(diagnostics, "'jobmanager-1' does not exist"));
  EXPECT_TRUE(contains(diagnostics, "unknown process 'taskmanger-0' (did you mean 'taskmanager-0'?)"));
  EXPECT_TRUE(contains(diagnostics, "there is no zookeeper"));
  EXPECT_TRUE(contains(diagnostics, "use 'outage' to make it fail"));
  EXPECT_TRUE(contains(diagnostics, "restart needs a fixed process name"));
  EXPECT_TRUE(contains(diagnostics, "outage applies to zookeeper"));
  EXPECT_TRUE(contains(diagnostics, "the two processes are the same"));
}

TEST(ScenarioLoader, FaultShapesAreChecked) {
  const std::string text = std::string(R"(name: shapes
duration: 1 min
faults:
  - {at: 2 min, kill: taskmanager-0}
  - {kill: taskmanager-0}
  - {at: 1 s, kill: taskmanager-0, restart: taskmanager-0}
  - {at: 1 s}
  - {at: 1 s, kill: taskmanager-0, for: 5 s}
  - {at: 1 s, slow: [jobmanager-0, taskmanager-0]}
  - {at: 1 s, fail-task: source}
  - random: {until: 30 s}
  - {at: 1 s, partition: [jobmanager-0, taskmanager-0], direction: sideways}
)") + kSmallJob;
  const Diagnostics diagnostics = load_errors(text);
  EXPECT_EQ(diagnostics.size(), 9u) << diagnostics.format();
  EXPECT_TRUE(contains(diagnostics, "fault at 2 min is after the end of the run (1 min)"));
  EXPECT_TRUE(contains(diagnostics, "missing required key 'at' in 'faults[1]'"));
  EXPECT_TRUE(contains(diagnostics, "exactly one action"));
  EXPECT_TRUE(contains(diagnostics, "a fault needs one of"));
  EXPECT_TRUE(contains(diagnostics, "'for' does not apply to 'kill'"));
  EXPECT_TRUE(contains(diagnostics, "missing required key 'latency' in 'faults[5]'"));
  EXPECT_TRUE(contains(diagnostics, "expected a task as VERTEX:SUBTASK"));
  EXPECT_TRUE(contains(diagnostics, "random faults need a rate"));
  EXPECT_TRUE(contains(diagnostics, "unknown value 'sideways'"));
}

TEST(ScenarioLoader, OneWayPartitionAndSlowLinkAreRead) {
  const ScenarioSpec spec = load_ok(std::string(R"(name: links
faults:
  - {at: 1 s, partition: [taskmanager-0, jobmanager-0], for: 20 s, direction: one-way}
  - {at: 2 s, slow: [taskmanager-0, checkpoint-storage], latency: 200 ms, for: 1 min}
  - {at: 3 s, partition: [jobmanager-0, taskmanager-0]}
)") + kSmallJob);
  ASSERT_EQ(spec.faults.size(), 3u);
  EXPECT_EQ(spec.faults[0].direction, PartitionDirection::one_way);
  EXPECT_EQ(spec.faults[0].processes[0].kind, ProcessRef::Kind::taskmanager);
  EXPECT_EQ(spec.faults[1].kind, FaultKind::slow);
  EXPECT_EQ(spec.faults[1].extra_latency, Duration::milliseconds(200));
  EXPECT_EQ(spec.faults[1].lasts, Duration::minutes(1));
  EXPECT_EQ(spec.faults[2].lasts, std::nullopt);  // until the end of the run
}

TEST(ScenarioLoader, TasksInFaultsMustExistInTheJob) {
  const Diagnostics diagnostics = load_errors(std::string(R"(name: tasks
cluster: {taskmanagers: 2}
faults:
  - {at: 1 s, fail-task: "sorce:0"}
  - {at: 1 s, fail-task: "sink:1"}
  - {at: 1 s, kill: "taskmanager-of source:5"}
)") + kSmallJob);
  EXPECT_EQ(diagnostics.size(), 3u) << diagnostics.format();
  EXPECT_TRUE(contains(diagnostics, "unknown vertex 'sorce' (did you mean 'source'?)"));
  EXPECT_TRUE(contains(diagnostics, "task 'sink:1' does not exist: 'sink' has parallelism 1"));
  EXPECT_TRUE(contains(diagnostics, "task 'source:5' does not exist"));
}

TEST(ScenarioLoader, StandaloneClusterMustHaveEnoughSlots) {
  const std::string job = R"(job:
  vertices: [{name: a, parallelism: 5}]
)";
  const Diagnostics diagnostics = load_errors(
      "name: slots\ncluster: {taskmanagers: 2}\nconfig: {taskmanager.numberOfTaskSlots: 2}\n" + job);
  EXPECT_TRUE(contains(diagnostics, "the job needs 5 slots (its largest parallelism) but the "
                                    "standalone cluster has only 4"));
  // A standby TaskManager adds the missing slots; Kubernetes starts TaskManagers as needed.
  load_ok("name: slots\ncluster: {taskmanagers: 2, standby-taskmanagers: 1}\n"
          "config: {taskmanager.numberOfTaskSlots: 2}\n" + job);
  load_ok("name: slots\ncluster: {taskmanagers: 2, deployment: kubernetes}\n"
          "config: {taskmanager.numberOfTaskSlots: 2}\n" + job);
}

TEST(ScenarioLoader, KubernetesWithTooFewInitialSlotsWarnsInsteadOfFailing) {
  // 5 slots needed, 2 TaskManagers x 2 slots = 4: the active ResourceManager starts
  // ceil(1 / 2) = 1 more TaskManager.
  const ScenarioSpec spec = load_ok(
      "name: k8s\ncluster: {taskmanagers: 2, deployment: kubernetes}\n"
      "config: {taskmanager.numberOfTaskSlots: 2}\njob:\n  vertices: [{name: a, parallelism: 5}]\n");
  ASSERT_EQ(spec.warnings.size(), 1u);
  EXPECT_EQ(spec.warnings[0],
            "s.yaml:5:3: warning: the job needs 5 slots but the cluster starts with 4; the active "
            "ResourceManager will start 1 more TaskManagers, each ready after taskmanager-startup");
}

TEST(ScenarioLoader, HeartbeatTimeoutShorterThanTheIntervalIsAnError) {
  const Diagnostics diagnostics = load_errors(std::string(
      "name: hb\nconfig:\n  heartbeat.interval: 10 s\n  heartbeat.timeout: 5 s\n") + kSmallJob);
  EXPECT_EQ(diagnostics.format(),
            "s.yaml:4:3: error: heartbeat.timeout (5 s) is shorter than heartbeat.interval (10 s); "
            "Flink requires timeout >= interval in 'config.heartbeat.timeout'\n");
  // Only the interval written: the error points at it. Equal values are allowed, as in Flink.
  EXPECT_TRUE(contains(load_errors(std::string("name: hb\nconfig: {heartbeat.interval: 1 min}\n") +
                                   kSmallJob),
                       "s.yaml:2:10: error: heartbeat.timeout (50 s) is shorter"));
  load_ok(std::string("name: hb\nconfig: {heartbeat.interval: 5 s, heartbeat.timeout: 5 s}\n") +
          kSmallJob);
  EXPECT_TRUE(contains(load_errors(std::string("name: hb\nconfig: {heartbeat.interval: 0 ms}\n") +
                                   kSmallJob),
                       "heartbeat.interval must be longer than zero"));
}

TEST(ScenarioLoader, RpcFailureThresholdIsPositiveOrMinusOne) {
  load_ok(std::string("name: t\nconfig: {heartbeat.rpc-failure-threshold: -1}\n") + kSmallJob);
  load_ok(std::string("name: t\nconfig: {heartbeat.rpc-failure-threshold: 1}\n") + kSmallJob);
  EXPECT_TRUE(contains(
      load_errors(std::string("name: t\nconfig: {heartbeat.rpc-failure-threshold: 0}\n") + kSmallJob),
      "expected a positive integer or -1, got 0"));
  EXPECT_TRUE(contains(
      load_errors(std::string("name: t\nconfig: {heartbeat.rpc-failure-threshold: -2}\n") + kSmallJob),
      "out of range [-1, 2147483647]"));
}

TEST(ScenarioLoader, RestartStrategyParametersFlinkRejectsAreErrors) {
  // Each would make Flink's factory (and ours) refuse to build the strategy at run time.
  const Diagnostics exponential = load_errors(std::string(R"(name: r
config:
  restart-strategy.type: exponential-delay
  restart-strategy.exponential-delay.initial-backoff: 2 min
)") + kSmallJob);
  EXPECT_EQ(exponential.format(),
            "s.yaml:3:3: error: invalid restart strategy (exponential-delay): Initial backoff "
            "cannot be higher than maximum backoff. in 'config'\n");
  EXPECT_TRUE(contains(load_errors(std::string(R"(name: r
config:
  restart-strategy.failure-rate.failure-rate-interval: 0 ms
  restart-strategy.type: failure-rate
)") + kSmallJob),
                       "s.yaml:3:3: error: invalid restart strategy (failure-rate): Failures "
                       "interval must be greater than 0 ms."));
  // Parameters of a strategy that is not chosen are not judged... unless that strategy is chosen.
  load_ok(std::string("name: r\nconfig: {restart-strategy.exponential-delay.initial-backoff: 0 ms}\n") +
          kSmallJob);
}

TEST(ScenarioLoader, FaultTimelineRejectsKillingTheDeadAndRestartingTheLiving) {
  const std::string head = std::string("name: f\ncluster: {taskmanagers: 3}\n") + kSmallJob;
  const Diagnostics twice = load_errors(head + R"(faults:
  - {at: 30 s, kill: taskmanager-1}
  - {at: 40 s, kill: taskmanager-1}
)");
  EXPECT_EQ(twice.format(),
            "s.yaml:11:22: error: 'taskmanager-1' is already dead at 40 s (killed at 30 s by "
            "faults[0], not restarted since) in 'faults[1].kill'\n");
  const Diagnostics never_killed = load_errors(head + R"(faults:
  - {at: 45 s, restart: taskmanager-2}
  - {at: 50 s, kill: taskmanager-2}
)");
  EXPECT_EQ(never_killed.format(),
            "s.yaml:10:25: error: restart of 'taskmanager-2' at 45 s, but no earlier fault kills it "
            "(it is still running) in 'faults[0].restart'\n");
  // Time order, not file order, decides; kill -> restart -> kill is fine.
  load_ok(head + R"(faults:
  - {at: 60 s, kill: taskmanager-1}
  - {at: 45 s, restart: taskmanager-1}
  - {at: 30 s, kill: taskmanager-1}
)");
  // 'taskmanager-of' may have hit any TaskManager, so a later restart is not questioned.
  load_ok(head + R"(faults:
  - {at: 30 s, kill: "taskmanager-of sink:0"}
  - {at: 45 s, restart: taskmanager-0}
)");
}

TEST(ScenarioLoader, KubernetesReplacementNamesMustBeReachable) {
  // 2 TaskManagers; one kill lets the active ResourceManager start taskmanager-2, never -3.
  const std::string head =
      std::string("name: k\ncluster: {taskmanagers: 2, deployment: kubernetes}\n") + kSmallJob;
  load_ok(head + "faults:\n  - {at: 30 s, kill: taskmanager-0}\n  - {at: 60 s, kill: taskmanager-2}\n");
  EXPECT_TRUE(contains(
      load_errors(head + "faults:\n  - {at: 30 s, kill: taskmanager-0}\n  - {at: 60 s, kill: taskmanager-3}\n"),
      "s.yaml:11:22: error: 'taskmanager-3' does not exist at 1 min: on Kubernetes replacement "
      "TaskManagers continue the numbering, but only 3 TaskManagers can exist by then "
      "(taskmanager-0 .. taskmanager-2) in 'faults[1].kill'"));
  // The replacement cannot be hit before the kill that causes it.
  EXPECT_TRUE(contains(load_errors(head + "faults:\n  - {at: 10 s, kill: taskmanager-2}\n  - {at: 30 s, kill: taskmanager-0}\n"),
                       "'taskmanager-2' does not exist at 10 s"));
}

TEST(ScenarioLoader, OnlyOneRandomFaultEntry) {
  const Diagnostics diagnostics = load_errors(std::string("name: r\n") + kSmallJob + R"(faults:
  - random: {fail-task: 1/min, until: 5 min}
  - random: {kill-taskmanager: 1/min, until: 5 min}
)");
  EXPECT_EQ(diagnostics.format(),
            "s.yaml:10:5: error: only one 'random' entry is allowed (the first is at s.yaml:9:13) in "
            "'faults[1]'\n");
}

TEST(ScenarioLoader, TaskErrorsPointAtTheTaskNotTheFaultEntry) {
  const Diagnostics diagnostics = load_errors(std::string("name: t\n") + kSmallJob + R"(faults:
  - {at: 1 s, fail-task: sinc:0}
  - {at: 2 s, fail-task: "sink:1"}
)");
  EXPECT_EQ(diagnostics.format(),
            "s.yaml:9:26: error: unknown vertex 'sinc' (did you mean 'sink'?) in 'faults[0].fail-task'\n"
            "s.yaml:10:26: error: task 'sink:1' does not exist: 'sink' has parallelism 1 in "
            "'faults[1].fail-task'\n");
}

TEST(ScenarioLoader, OverflowingDurationsAndNegativeSizesAreErrors) {
  const Diagnostics diagnostics = load_errors(R"(name: o
duration: 3000000 h
job:
  vertices:
    - {name: a, operator: source, parallelism: 1, state-per-key: -1 kb}
)");
  EXPECT_TRUE(contains(diagnostics,
                       "s.yaml:2:11: error: duration '3000000 h' overflows 64-bit nanoseconds in "
                       "'duration'"));
  EXPECT_TRUE(contains(diagnostics, "s.yaml:5:66: error: negative size '-1 kb' in "
                                    "'job.vertices[0].state-per-key'"));
}

TEST(ScenarioLoader, DurationsBeyondTenYearsAreErrorsSoTheModelNeverOverflows) {
  // 3650 days are accepted; one more day is not, in scenario keys and in Flink keys alike.
  load_ok(std::string("name: d\nduration: 3650 d\nconfig: {heartbeat.timeout: 3650 d}\n") +
          kSmallJob);
  const Diagnostics diagnostics = load_errors(
      std::string("name: d\nduration: 3651 d\nconfig: {heartbeat.timeout: 3651 d}\n") + kSmallJob);
  EXPECT_EQ(diagnostics.format(),
            "s.yaml:2:11: error: duration '3651 d' is longer than 3650 days, the longest supported "
            "in 'duration'\n"
            "s.yaml:3:29: error: invalid value for 'heartbeat.timeout': duration '3651 d' is "
            "longer than 3650 days, the longest supported in 'config.heartbeat.timeout'\n");
}

TEST(ScenarioLoader, BatchJobRecoveryWithoutHighAvailabilityWarns) {
  const ScenarioSpec spec = load_ok(std::string(
      "name: b\nconfig: {execution.batch.job-recovery.enabled: true}\n") + kSmallJob);
  ASSERT_EQ(spec.warnings.size(), 1u);
  EXPECT_EQ(spec.warnings[0], "s.yaml:2:10: warning: execution.batch.job-recovery.enabled has no "
                              "effect without high availability (high-availability.type is none)");
}

TEST(ScenarioLoader, DeploymentModeComesFromTheClusterOrFromExecutionTarget) {
  EXPECT_FALSE(load_ok(std::string("name: d\n") + kSmallJob).cluster.deployment_mode.has_value());
  EXPECT_EQ(load_ok(std::string("name: d\ncluster: {deployment-mode: application}\n") + kSmallJob)
                .cluster.deployment_mode,
            DeploymentMode::application);
  const ScenarioSpec kubernetes = load_ok(
      std::string("name: d\ncluster: {deployment: kubernetes}\n"
                  "config: {execution.target: kubernetes-application}\n") + kSmallJob);
  EXPECT_EQ(kubernetes.cluster.deployment_mode, DeploymentMode::application);
  EXPECT_EQ(load_ok(std::string("name: d\nconfig: {execution.target: remote}\n") + kSmallJob)
                .cluster.deployment_mode,
            DeploymentMode::session);
}

TEST(ScenarioLoader, ADeploymentTargetThatContradictsTheClusterIsAnError) {
  EXPECT_EQ(load_errors(std::string("name: d\nconfig: {execution.target: kubernetes-application}\n") +
                        kSmallJob)
                .format(),
            "s.yaml:2:10: error: execution.target 'kubernetes-application' deploys on Kubernetes: "
            "set cluster.deployment: kubernetes in 'config'\n");
  EXPECT_EQ(load_errors(std::string("name: d\ncluster: {deployment-mode: session}\n"
                                    "config: {execution.target: yarn-per-job}\n") + kSmallJob)
                .format(),
            "s.yaml:3:10: error: execution.target 'yarn-per-job' is an application target, but "
            "cluster.deployment-mode says otherwise in 'config'\n");
}

TEST(ScenarioLoader, UnsimulatedDeploymentsWarn) {
  const ScenarioSpec yarn =
      load_ok(std::string("name: d\nconfig: {execution.target: yarn-application}\n") + kSmallJob);
  ASSERT_EQ(yarn.warnings.size(), 1u);
  EXPECT_EQ(yarn.warnings[0], "s.yaml:2:10: warning: YARN is not simulated: execution.target "
                              "'yarn-application' runs as a standalone cluster in this mode");
  const ScenarioSpec kubernetes_ha = load_ok(
      std::string("name: d\nconfig: {high-availability.type: kubernetes}\n") + kSmallJob);
  ASSERT_EQ(kubernetes_ha.warnings.size(), 1u);
  EXPECT_NE(kubernetes_ha.warnings[0].find("s.yaml:2:10: warning: high-availability.type "
                                           "'kubernetes' is not simulated yet"),
            std::string::npos)
      << kubernetes_ha.warnings[0];
}

TEST(ScenarioLoader, ImpossibleConfigurationsAreErrors) {
  const Diagnostics jobmanagers =
      load_errors(std::string("name: ha\ncluster: {jobmanagers: 2}\n") + kSmallJob);
  EXPECT_TRUE(contains(jobmanagers, "s.yaml:2:24: error: 2 jobmanagers need high availability"));
  load_ok(std::string("name: ha\ncluster: {jobmanagers: 2}\nconfig: {high-availability.type: "
                      "zookeeper}\nfaults: [{at: 1 s, outage: zookeeper, for: 10 s}]\n") +
          kSmallJob);
  const Diagnostics approximate = load_errors(std::string(R"(name: approx
config:
  execution.state-recovery.approximate-local-recovery: true
  execution.checkpointing.unaligned.enabled: true
)") + kSmallJob);
  EXPECT_TRUE(contains(approximate, "s.yaml:3:3: error: approximate local recovery cannot be "
                                    "combined with unaligned checkpoints"));
}

TEST(ScenarioLoader, ExpectAcceptsEveryBound) {
  const ScenarioSpec spec = load_ok(std::string(R"(name: bounds
expect:
  final-status: failed
  records-lost-max: 0
  records-duplicated-max: 10
  failovers-min: 1
  failovers-max: 3
  checkpoints-completed-min: 2
)") + kSmallJob);
  EXPECT_EQ(spec.expect.final_status, FinalStatus::failed);
  EXPECT_EQ(spec.expect.records_lost_max, 0);
  EXPECT_EQ(spec.expect.records_duplicated_max, 10);
  EXPECT_EQ(spec.expect.failovers_min, 1);
  EXPECT_EQ(spec.expect.failovers_max, 3);
  EXPECT_EQ(spec.expect.checkpoints_completed_min, 2);
  EXPECT_TRUE(contains(load_errors(std::string("name: x\nexpect: {failovers-min: 4, failovers-max: "
                                               "3}\n") + kSmallJob),
                       "failovers-min is larger than failovers-max"));
}

TEST(ScenarioLoader, HostileInputIsRejectedCleanly) {
  EXPECT_TRUE(contains(load_errors(""), "empty document"));
  EXPECT_TRUE(contains(load_errors("- just\n- a list\n"), "expected a map"));
  EXPECT_TRUE(contains(load_errors(std::string("name: \0", 7)), "binary input"));
  EXPECT_TRUE(contains(load_errors("name: [unclosed\n"), "invalid YAML"));
  Diagnostics diagnostics;
  EXPECT_FALSE(load_scenario("/nonexistent/scenario.yaml", diagnostics).has_value());
  EXPECT_TRUE(contains(diagnostics, "/nonexistent/scenario.yaml: error: cannot open file"));
}

TEST(ApplyOverrides, ConfSeedAndStrategy) {
  const ScenarioSpec spec = load_ok(kContractExample);
  ScenarioOverrides overrides;
  overrides.conf = {"heartbeat.timeout=20 s", "restart-strategy=none"};
  overrides.seed = 7;
  overrides.strategy = "approximate";
  Diagnostics diagnostics;
  const std::optional<ScenarioSpec> out = apply_overrides(spec, overrides, diagnostics);
  ASSERT_TRUE(out.has_value()) << diagnostics.format();
  EXPECT_EQ(out->seed, 7u);
  EXPECT_EQ(out->config.get_duration("heartbeat.timeout"), Duration::seconds(20));
  EXPECT_EQ(out->config.get_enum("restart-strategy.type"), "none");
  EXPECT_EQ(out->config.get_enum("jobmanager.execution.failover-strategy"), "region");
  EXPECT_TRUE(out->config.get_bool("execution.state-recovery.approximate-local-recovery"));
  ASSERT_TRUE(out->job.has_value());
  EXPECT_TRUE(out->job->approximate_local_recovery());
  EXPECT_EQ(strategy_label(out->config), "approximate");
  EXPECT_EQ(out->config_locations.at("heartbeat.timeout").file, "<command line>");
  EXPECT_EQ(out->conf_overrides, overrides.conf);
  ASSERT_EQ(out->warnings.size(), 1u);
  EXPECT_EQ(out->warnings[0],
            "<command line>: warning: deprecated key 'restart-strategy', use 'restart-strategy.type'");
  EXPECT_EQ(out->content_hash, spec.content_hash);
  EXPECT_EQ(spec.seed, 42u);  // the original is untouched
}

TEST(ApplyOverrides, StrategyNamesAndAliases) {
  const ScenarioSpec spec = load_ok(kContractExample);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"full", "full"}, {"restart-all", "full"}, {"region", "region"},
      {"approximate-local", "approximate"}, {"REGION", "region"}};
  for (const auto& [name, label] : cases) {
    ScenarioOverrides overrides;
    overrides.strategy = name;
    Diagnostics diagnostics;
    const std::optional<ScenarioSpec> out = apply_overrides(spec, overrides, diagnostics);
    ASSERT_TRUE(out.has_value()) << name << diagnostics.format();
    EXPECT_EQ(strategy_label(out->config), label) << name;
  }
}

TEST(ApplyOverrides, BadOverridesAreReportedOnTheCommandLine) {
  const ScenarioSpec spec = load_ok(kContractExample);
  ScenarioOverrides overrides;
  overrides.conf = {"heartbeat.interval", "heartbeat.timout=5 s", "execution.checkpointing.unaligned.enabled=true"};
  overrides.strategy = "regoin";
  Diagnostics diagnostics;
  EXPECT_FALSE(apply_overrides(spec, overrides, diagnostics).has_value());
  EXPECT_EQ(diagnostics.size(), 3u) << diagnostics.format();
  EXPECT_TRUE(contains(diagnostics, "<command line>: error: expected KEY=VALUE, got 'heartbeat.interval' in '--conf'"));
  EXPECT_TRUE(contains(diagnostics, "(did you mean 'heartbeat.timeout'?) in '--conf'"));
  EXPECT_TRUE(contains(diagnostics, "unknown strategy 'regoin' (did you mean 'region'?)"));
  // Unaligned checkpoints are fine until approximate recovery joins them.
  ScenarioOverrides clash;
  clash.conf = {"execution.checkpointing.unaligned.enabled=true"};
  clash.strategy = "approximate";
  Diagnostics clash_diagnostics;
  EXPECT_FALSE(apply_overrides(spec, clash, clash_diagnostics).has_value());
  EXPECT_TRUE(contains(clash_diagnostics, "cannot be combined with unaligned checkpoints"));
}

TEST(ScenarioLoader, MutatedInputsNeverCrash) {
  // A deterministic fuzz smoke test: byte-level mutations of the contract example must end in a
  // spec or in diagnostics, never in a crash, an assertion or a hang.
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  const auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  const std::string alphabet = "{}[]:,-&*!|>'\"#%@` \n\t0123456789abcxyz.\xff";
  const std::string original = kContractExample;
  for (int round = 0; round < 3000; ++round) {
    std::string text = original;
    const uint64_t edits = 1 + next(8);
    for (uint64_t edit = 0; edit < edits && !text.empty(); ++edit) {
      const size_t at = next(text.size());
      switch (next(4)) {
        case 0: text[at] = alphabet[next(alphabet.size())]; break;
        case 1: text.erase(at, 1 + next(20)); break;
        case 2: text.insert(at, 1, alphabet[next(alphabet.size())]); break;
        default: text.resize(at); break;
      }
    }
    Diagnostics diagnostics;
    const std::optional<ScenarioSpec> spec = load_scenario_text(text, "fuzz.yaml", diagnostics);
    EXPECT_NE(spec.has_value(), !diagnostics.empty()) << text;
  }
}

}  // namespace
}  // namespace flinksim::scenarios
