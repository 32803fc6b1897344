#include "scenarios/flink_config_registry.h"

#include <boost/program_options/errors.hpp>
#include <boost/program_options/value_semantic.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "scenarios/value_syntax.h"
#include "sim/assert.h"

namespace flinksim::scenarios {

namespace po = boost::program_options;

namespace {

// The typed value of one Flink option: Boost.Program_options keeps the default and help text,
// this class adds what Flink's ConfigOption knows besides (type, allowed values, deprecated and
// fallback keys) and checks values through Program_options' own parse hook.
class FlinkOptionValue final : public po::typed_value<std::string> {
 public:
  explicit FlinkOptionValue(OptionType type) : po::typed_value<std::string>(nullptr), type_(type) {}

  FlinkOptionValue* flink_default(std::string text) {
    default_text_ = text;
    default_value(text, text);
    return this;
  }
  FlinkOptionValue* one_of(std::vector<std::string> canonical) {
    enum_values_ = std::move(canonical);
    return this;
  }
  FlinkOptionValue* alias(std::string spelling, std::string canonical) {
    enum_aliases_.push_back(std::move(spelling) + "=" + std::move(canonical));
    return this;
  }
  FlinkOptionValue* deprecated(std::string key) {
    deprecated_keys_.push_back(std::move(key));
    return this;
  }
  FlinkOptionValue* fallback(std::string key) {
    fallback_keys_.push_back(std::move(key));
    return this;
  }
  FlinkOptionValue* at_least(int64_t minimum) {
    integer_minimum_ = minimum;
    return this;
  }
  // Positive integers plus one sentinel (Flink's "-1 disables" convention).
  FlinkOptionValue* positive_or(int64_t sentinel) {
    integer_minimum_ = std::min<int64_t>(sentinel, 1);
    integer_sentinel_ = sentinel;
    return this;
  }
  // Inclusive range for floating-point options; `exclusive_minimum` makes the lower bound strict.
  FlinkOptionValue* within(double minimum, double maximum, bool exclusive_minimum = false) {
    floating_minimum_ = minimum;
    floating_maximum_ = maximum;
    floating_minimum_exclusive_ = exclusive_minimum;
    return this;
  }

  void xparse(boost::any& value_store, const std::vector<std::string>& tokens) const override {
    if (tokens.size() != 1) throw po::invalid_option_value("expected exactly one value");
    const sim::Result<std::string> normalized = normalize(tokens.front());
    if (!normalized.ok()) throw po::error(normalized.error().message);
    value_store = normalized.value();
  }

  sim::Result<std::string> normalize(std::string_view text) const;

  OptionType type() const { return type_; }
  const std::string& default_text() const { return default_text_; }
  const std::vector<std::string>& enum_values() const { return enum_values_; }
  const std::vector<std::string>& enum_aliases() const { return enum_aliases_; }
  const std::vector<std::string>& deprecated_keys() const { return deprecated_keys_; }
  const std::vector<std::string>& fallback_keys() const { return fallback_keys_; }

 private:
  sim::Result<std::string> normalize_enum(std::string_view text) const;
  sim::Result<std::string> normalize_floating(std::string_view text) const;

  OptionType type_;
  std::string default_text_;
  std::vector<std::string> enum_values_;
  std::vector<std::string> enum_aliases_;
  std::vector<std::string> deprecated_keys_;
  std::vector<std::string> fallback_keys_;
  int64_t integer_minimum_ = std::numeric_limits<int32_t>::min();
  std::optional<int64_t> integer_sentinel_;
  double floating_minimum_ = std::numeric_limits<double>::lowest();
  double floating_maximum_ = std::numeric_limits<double>::max();
  bool floating_minimum_exclusive_ = false;
};

sim::Result<std::string> FlinkOptionValue::normalize(std::string_view text) const {
  switch (type_) {
    case OptionType::boolean: {
      const sim::Result<bool> value = parse_boolean(text);
      if (!value.ok()) return value.error();
      return std::string(value.value() ? "true" : "false");
    }
    case OptionType::integer: {
      // Flink's integer options are Java int or long; int32 bounds catch obvious mistakes.
      const sim::Result<int64_t> value =
          parse_integer(text, integer_minimum_, std::numeric_limits<int32_t>::max());
      if (!value.ok()) return value.error();
      if (integer_sentinel_ && value.value() < 1 && value.value() != *integer_sentinel_) {
        return sim::Error{"expected a positive integer or " + std::to_string(*integer_sentinel_) +
                          ", got " + std::to_string(value.value())};
      }
      return std::to_string(value.value());
    }
    case OptionType::floating:
      return normalize_floating(text);
    case OptionType::duration: {
      const sim::Result<sim::Duration> value = parse_bounded_duration(text);
      if (!value.ok()) return value.error();
      return sim::format_duration(value.value());
    }
    case OptionType::size_bytes: {
      const sim::Result<int64_t> value = parse_memory_size(text);
      if (!value.ok()) return value.error();
      return format_memory_size(value.value());
    }
    case OptionType::enumeration:
      return normalize_enum(text);
    case OptionType::string:
      return std::string(trim_spaces(text));
  }
  return sim::Error{"unsupported option type"};
}

sim::Result<std::string> FlinkOptionValue::normalize_enum(std::string_view text) const {
  const size_t index = find_enum_value(text, enum_values_);
  if (index < enum_values_.size()) return enum_values_[index];
  const std::string key = enum_spelling_key(text);
  for (const std::string& entry : enum_aliases_) {
    const size_t equals = entry.find('=');
    if (enum_spelling_key(entry.substr(0, equals)) == key) return entry.substr(equals + 1);
  }
  std::string expected;
  for (size_t i = 0; i < enum_values_.size(); ++i) {
    expected += (i == 0 ? "" : ", ") + enum_values_[i];
  }
  const std::string shown(trim_spaces(text));
  return sim::Error{"unknown value '" + shown + "'" + did_you_mean(shown, enum_values_) +
                    ", expected one of " + expected};
}

sim::Result<std::string> FlinkOptionValue::normalize_floating(std::string_view text) const {
  const sim::Result<double> value = parse_floating(text, floating_minimum_, floating_maximum_);
  if (!value.ok()) return value.error();
  if (floating_minimum_exclusive_ && value.value() <= floating_minimum_) {
    return sim::Error{"value " + std::string(trim_spaces(text)) + " must be greater than " +
                      std::to_string(static_cast<int64_t>(floating_minimum_))};
  }
  return std::string(trim_spaces(text));
}

FlinkOptionValue* boolean_option() { return new FlinkOptionValue(OptionType::boolean); }
FlinkOptionValue* integer_option() { return new FlinkOptionValue(OptionType::integer); }
FlinkOptionValue* floating_option() { return new FlinkOptionValue(OptionType::floating); }
FlinkOptionValue* duration_option() { return new FlinkOptionValue(OptionType::duration); }
FlinkOptionValue* size_option() { return new FlinkOptionValue(OptionType::size_bytes); }
FlinkOptionValue* string_option() { return new FlinkOptionValue(OptionType::string); }
FlinkOptionValue* enum_option(std::vector<std::string> values) {
  return (new FlinkOptionValue(OptionType::enumeration))->one_of(std::move(values));
}

// Each group names the Flink class that declares these options (flink-core,
// org.apache.flink.configuration); keys and defaults are Flink's, descriptions are ours.
void declare_cluster_options(po::options_description& options) {
  options.add_options()
      // HeartbeatManagerOptions
      ("heartbeat.interval", duration_option()->flink_default("10 s"),
       "How often the JobManager and ResourceManager request a heartbeat from their peers.")
      ("heartbeat.timeout", duration_option()->flink_default("50 s"),
       "A peer whose heartbeat has not been received for this long is considered dead.")
      ("heartbeat.rpc-failure-threshold", integer_option()->positive_or(-1)->flink_default("2"),
       "Consecutive failed heartbeat RPCs after which the target is marked unreachable at once; "
       "-1 disables this detection (Flink rejects 0 and other negative values).")
      // TaskManagerOptions
      ("taskmanager.numberOfTaskSlots", integer_option()->at_least(1)->flink_default("1"),
       "Number of slots each TaskManager offers.")
      ("taskmanager.slot.timeout",
       duration_option()->fallback("pekko.ask.timeout")->flink_default("10 s"),
       "How long a TaskManager keeps an inactive slot (for example after losing its JobManager) "
       "before freeing it; falls back to pekko.ask.timeout when unset.")
      ("taskmanager.registration.timeout",
       duration_option()->deprecated("taskmanager.maxRegistrationDuration")->flink_default("5 min"),
       "A TaskManager that has not registered at a ResourceManager within this time terminates.")
      ("task.cancellation.interval", duration_option()->flink_default("30 s"),
       "Pause between two attempts to interrupt a task that does not react to cancellation.")
      ("task.cancellation.timeout", duration_option()->flink_default("3 min"),
       "A task whose cancellation takes longer than this makes its TaskManager fail fatally; 0 "
       "disables the watchdog.")
      ("taskmanager.memory.segment-size", size_option()->flink_default("32 kb"),
       "Size of the network buffers (memory segments) used by the shuffle.")
      // NettyShuffleEnvironmentOptions
      ("taskmanager.network.memory.buffers-per-channel",
       integer_option()->at_least(0)->flink_default("2"),
       "Exclusive buffers per input channel, the base of credit-based flow control.")
      ("taskmanager.network.memory.floating-buffers-per-gate",
       integer_option()->at_least(0)->flink_default("8"),
       "Floating buffers shared by all channels of an input gate.")
      ("taskmanager.network.memory.max-buffers-per-channel",
       integer_option()->at_least(0)->flink_default("10"),
       "Upper bound of buffers one subpartition may hold, which limits in-flight data per channel.")
      ("taskmanager.network.request-backoff.initial", duration_option()->flink_default("100 ms"),
       "First back-off before a consumer retries requesting a partition that is not ready yet.")
      ("taskmanager.network.request-backoff.max", duration_option()->flink_default("10 s"),
       "Largest back-off of partition requests; the consumer fails when it is exceeded.")
      // ExecutionOptions, PipelineOptions
      ("execution.buffer-timeout.interval",
       duration_option()->deprecated("execution.buffer-timeout")->flink_default("100 ms"),
       "How long an output buffer may wait before it is flushed even if it is not full.")
      ("pipeline.auto-watermark-interval", duration_option()->flink_default("200 ms"),
       "Interval of periodic watermark emission.")
      ("pipeline.operator-chaining.enabled", boolean_option()->flink_default("true"),
       "Chain operators of forward edges with equal parallelism into one task "
       "(StreamingJobGraphGenerator#isChainable).")
      ("pipeline.operator-chaining.chain-operators-with-different-max-parallelism",
       boolean_option()->flink_default("true"),
       "Whether operators with different max parallelism may be chained.")
      // RpcOptions
      ("pekko.ask.timeout", duration_option()->deprecated("akka.ask.timeout")->flink_default("10 s"),
       "Timeout of RPC calls between Flink processes (ask pattern).")
      ("pekko.tcp.timeout", duration_option()->deprecated("akka.tcp.timeout")->flink_default("20 s"),
       "Timeout of establishing a TCP connection between Flink processes.")
      // JobManagerOptions
      ("jobmanager.execution.failover-strategy",
       enum_option({"full", "region"})->alias("restart-all", "full")->flink_default("region"),
       "Which tasks restart after a task failure: 'full' restarts every task, 'region' the "
       "pipelined regions needed to recover the failed one.")
      ("slot.request.timeout", duration_option()->flink_default("5 min"),
       "How long the slot requests of a scheduled region may stay unfulfillable before they fail.")
      ("slot.idle.timeout", duration_option()->flink_default("50 s"),
       "A slot the JobMaster holds without using it is returned after this time.")
      ("jobmanager.scheduler", enum_option({"default", "adaptive"})->flink_default("default"),
       "Scheduler of streaming jobs; 'adaptive' rescales to the available slots instead of "
       "waiting for all of them.")
      // ClusterOptions
      ("cluster.evenly-spread-out-slots", boolean_option()->flink_default("false"),
       "Spread slots over all TaskManagers instead of filling one TaskManager after another.")
      // ResourceManagerOptions
      // Flink declares this as long milliseconds with -1 meaning "use slot.request.timeout";
      // here unset means the same, and a bare number is milliseconds as in Flink.
      ("resourcemanager.standalone.start-up-time", duration_option(),
       "Start-up period during which a standalone ResourceManager waits for TaskManagers instead "
       "of failing slot requests it cannot fulfil; unset (Flink: -1) uses slot.request.timeout.")
      ("resourcemanager.taskmanager-timeout",
       duration_option()->deprecated("slotmanager.taskmanager-timeout")->flink_default("30 s"),
       "Idle TaskManagers are released after this time (active deployments).")
      ("slotmanager.redundant-taskmanager-num", integer_option()->at_least(0)->flink_default("0"),
       "Extra TaskManagers an active ResourceManager keeps for faster failover.")
      ("slotmanager.number-of-slots.max", integer_option()->at_least(1)->flink_default("2147483647"),
       "Largest number of slots an active ResourceManager may start TaskManagers for.")
      ("resourcemanager.start-worker.max-failure-rate",
       floating_option()->within(0.0, 1e9, true)->flink_default("10.0"),
       "Worker start failures per minute after which an active ResourceManager pauses starting "
       "workers for the retry interval.")
      ("resourcemanager.start-worker.retry-interval", duration_option()->flink_default("3 s"),
       "Pause of an active ResourceManager after too many failed worker starts.")
      // ClusterOptions (Java long milliseconds; a bare number here means milliseconds too)
      ("cluster.registration.initial-timeout", duration_option()->flink_default("100 ms"),
       "First timeout of a registration attempt between cluster components; doubled on every "
       "timed-out attempt up to the maximum.")
      ("cluster.registration.max-timeout", duration_option()->flink_default("30 s"),
       "Upper bound of the registration timeout.")
      ("cluster.registration.error-delay", duration_option()->flink_default("10 s"),
       "Pause after a registration attempt failed with an error other than a timeout.")
      ("cluster.registration.refused-registration-delay", duration_option()->flink_default("30 s"),
       "Pause after a registration attempt was refused.")
      // ExecutionOptions
      ("execution.runtime-mode",
       enum_option({"streaming", "batch", "automatic"})->flink_default("streaming"),
       "Runtime execution mode of the job.")
      // DeploymentOptions.TARGET: where and how the job is deployed. The model reads the mode
      // (a session cluster or an application/per-job cluster that runs the job's main itself);
      // YARN is not simulated.
      ("execution.target",
       enum_option({"remote", "local", "kubernetes-session", "kubernetes-application",
                    "yarn-session", "yarn-application", "yarn-per-job"}),
       "The deployment target: a session cluster or an application (or per-job) cluster.");
}

void declare_restart_options(po::options_description& options) {
  // RestartStrategyOptions
  options.add_options()
      ("restart-strategy.type",
       enum_option({"none", "fixed-delay", "failure-rate", "exponential-delay"})
           ->alias("off", "none")
           ->alias("disable", "none")
           ->alias("fixeddelay", "fixed-delay")
           ->alias("failurerate", "failure-rate")
           ->alias("exponentialdelay", "exponential-delay")
           ->deprecated("restart-strategy"),
       "Restart strategy. Unset means exponential-delay when checkpointing is enabled and none "
       "otherwise.")
      ("restart-strategy.fixed-delay.attempts", integer_option()->at_least(0)->flink_default("1"),
       "Restarts allowed before the job fails (fixed-delay).")
      ("restart-strategy.fixed-delay.delay", duration_option()->flink_default("1 s"),
       "Delay between two restart attempts (fixed-delay).")
      ("restart-strategy.failure-rate.max-failures-per-interval",
       integer_option()->at_least(1)->flink_default("1"),
       "Failures tolerated within one interval before the job fails (failure-rate).")
      ("restart-strategy.failure-rate.failure-rate-interval",
       duration_option()->flink_default("1 min"),
       "Length of the window in which failures are counted (failure-rate).")
      ("restart-strategy.failure-rate.delay", duration_option()->flink_default("1 s"),
       "Delay between two restart attempts (failure-rate).")
      ("restart-strategy.exponential-delay.initial-backoff", duration_option()->flink_default("1 s"),
       "Backoff before the first restart (exponential-delay).")
      ("restart-strategy.exponential-delay.max-backoff", duration_option()->flink_default("1 min"),
       "Upper bound of the backoff (exponential-delay).")
      ("restart-strategy.exponential-delay.backoff-multiplier",
       floating_option()->within(1.0, 1e9, true)->flink_default("1.5"),
       "Factor applied to the backoff for every new attempt (exponential-delay).")
      ("restart-strategy.exponential-delay.reset-backoff-threshold",
       duration_option()->flink_default("1 h"),
       "Time without failures after which the backoff returns to the initial value "
       "(exponential-delay).")
      ("restart-strategy.exponential-delay.jitter-factor",
       floating_option()->within(0.0, 1.0)->flink_default("0.1"),
       "Relative random spread added to each backoff (exponential-delay).")
      ("restart-strategy.exponential-delay.attempts-before-reset-backoff",
       integer_option()->at_least(1)->flink_default("2147483647"),
       "Restart attempts allowed before the backoff is reset; the job fails beyond that "
       "(exponential-delay).");
}

void declare_checkpoint_options(po::options_description& options) {
  // CheckpointingOptions (ExecutionCheckpointingOptions before Flink 2.0)
  options.add_options()
      ("execution.checkpointing.interval", duration_option(),
       "Interval of periodic checkpoints; unset disables checkpointing.")
      ("execution.checkpointing.mode",
       enum_option({"exactly_once", "at_least_once"})->flink_default("exactly_once"),
       "Checkpointing guarantee: aligned barriers (exactly_once) or barrier tracking "
       "(at_least_once).")
      ("execution.checkpointing.timeout", duration_option()->flink_default("10 min"),
       "A checkpoint not completed within this time is expired.")
      ("execution.checkpointing.min-pause", duration_option()->flink_default("0 ms"),
       "Minimum time between the completion of one checkpoint and the trigger of the next.")
      ("execution.checkpointing.max-concurrent-checkpoints",
       integer_option()->at_least(1)->flink_default("1"),
       "Checkpoints that may be in progress at the same time.")
      ("execution.checkpointing.tolerable-failed-checkpoints",
       integer_option()->at_least(0)->flink_default("0"),
       "Consecutive checkpoint failures tolerated before a global failover.")
      ("execution.checkpointing.num-retained",
       integer_option()->at_least(1)->deprecated("state.checkpoints.num-retained")->flink_default("1"),
       "Completed checkpoints kept in the CompletedCheckpointStore.")
      ("execution.checkpointing.unaligned.enabled",
       boolean_option()->deprecated("execution.checkpointing.unaligned")->flink_default("false"),
       "Unaligned checkpoints: barriers overtake in-flight data, which becomes part of the "
       "checkpoint.")
      ("execution.checkpointing.unaligned.forced", boolean_option()->flink_default("false"),
       "Keep unaligned checkpoints even where Flink would fall back to aligned ones.")
      ("execution.checkpointing.aligned-checkpoint-timeout",
       duration_option()->deprecated("execution.checkpointing.alignment-timeout")->flink_default("0 ms"),
       "With unaligned checkpoints: start aligned and switch to unaligned after this time; 0 "
       "means always unaligned.")
      ("execution.checkpointing.externalized-checkpoint-retention",
       enum_option({"delete_on_cancellation", "retain_on_cancellation", "no_externalized_checkpoints"})
           ->flink_default("no_externalized_checkpoints"),
       "Whether completed checkpoints are kept when the job is cancelled.")
      ("execution.checkpointing.checkpoints-after-tasks-finish",
       boolean_option()->deprecated("execution.checkpointing.checkpoints-after-tasks-finish.enabled")
           ->flink_default("true"),
       "Tasks that ended their input wait for a final checkpoint before they finish (FLIP-147).")
      ("execution.checkpointing.interval-during-backlog", duration_option(),
       "Checkpoint interval while sources report a backlog; unset uses the normal interval.")
      ("execution.checkpointing.incremental",
       boolean_option()->deprecated("state.backend.incremental")->flink_default("false"),
       "Incremental checkpoints (state backends that support them).")
      ("execution.checkpointing.dir", string_option()->deprecated("state.checkpoints.dir"),
       "Directory of checkpoint data and metadata.")
      ("execution.checkpointing.savepoint-dir", string_option()->deprecated("state.savepoints.dir"),
       "Default directory of savepoints.")
      ("execution.checkpointing.storage",
       string_option()->deprecated("state.checkpoint-storage"),
       "Checkpoint storage: 'jobmanager' (in memory) or 'filesystem'; unset derives it from "
       "execution.checkpointing.dir.")
      ("execution.checkpointing.create-subdir",
       boolean_option()->deprecated("state.checkpoints.create-subdir")->flink_default("true"),
       "Put each job's checkpoints in a sub-directory named after the job id.")
      // StateBackendOptions
      ("state.backend.type",
       enum_option({"hashmap", "rocksdb", "forst"})
           ->alias("filesystem", "hashmap")
           ->alias("jobmanager", "hashmap")
           ->deprecated("state.backend")
                                 ->flink_default("hashmap"),
       "State backend of keyed state.")
      // StateRecoveryOptions
      ("execution.state-recovery.approximate-local-recovery",
       boolean_option()->deprecated("execution.checkpointing.approximate-local-recovery")
           ->flink_default("false"),
       "Approximate task-local recovery (FLIP-135): only the failed task and its downstream "
       "restart; in-flight data is lost.")
      ("execution.state-recovery.without-channel-state.checkpoint-id",
       integer_option()->at_least(-1)
           ->deprecated("execution.checkpointing.recover-without-channel-state.checkpoint-id")
           ->flink_default("-1"),
       "Checkpoint to restore while dropping its in-flight data; -1 disables.")
      ("execution.state-recovery.from-local",
       boolean_option()->deprecated("state.backend.local-recovery")->flink_default("false"),
       "Task-local recovery: keep a local copy of the state and restore from it when the task "
       "comes back on the same TaskManager.")
      ("execution.state-recovery.path", string_option()->deprecated("execution.savepoint.path"),
       "Savepoint or retained checkpoint the job starts from.")
      ("execution.state-recovery.ignore-unclaimed-state",
       boolean_option()->deprecated("execution.savepoint.ignore-unclaimed-state")
           ->flink_default("false"),
       "Start even if some state of the snapshot maps to no operator of the job.")
      ("execution.state-recovery.claim-mode",
       enum_option({"claim", "no_claim"})->deprecated("execution.savepoint-restore-mode")
           ->flink_default("no_claim"),
       "Whether the job takes ownership of the snapshot it restores from.");
}

void declare_availability_options(po::options_description& options) {
  options.add_options()
      // HighAvailabilityOptions
      ("high-availability.type",
       enum_option({"none", "zookeeper", "kubernetes"})
           ->deprecated("high-availability")
           ->deprecated("recovery.mode")
           ->flink_default("none"),
       "High-availability services for leader election and job recovery.")
      ("high-availability.storageDir",
       string_option()
           ->deprecated("high-availability.zookeeper.storageDir")
           ->deprecated("recovery.zookeeper.storageDir"),
       "Where high-availability metadata (job graphs, checkpoint pointers) is stored.")
      ("high-availability.cluster-id",
       string_option()
           ->deprecated("high-availability.zookeeper.path.namespace")
           ->deprecated("recovery.zookeeper.path.namespace")
           ->flink_default("/default"),
       "Identifier that separates the high-availability data of different clusters.")
      ("high-availability.zookeeper.quorum", string_option()->deprecated("recovery.zookeeper.quorum"),
       "ZooKeeper servers used for high availability.")
      ("high-availability.zookeeper.path.root",
       string_option()->deprecated("recovery.zookeeper.path.root")->flink_default("/flink"),
       "Root ZNode of Flink's entries in ZooKeeper.")
      ("high-availability.zookeeper.client.session-timeout",
       duration_option()->deprecated("recovery.zookeeper.client.session-timeout")
           ->flink_default("60 s"),
       "ZooKeeper session timeout; leadership is lost when the session expires.")
      ("high-availability.zookeeper.client.connection-timeout",
       duration_option()->deprecated("recovery.zookeeper.client.connection-timeout")
           ->flink_default("15 s"),
       "ZooKeeper connection timeout.")
      ("high-availability.zookeeper.client.retry-wait",
       duration_option()->deprecated("recovery.zookeeper.client.retry-wait")->flink_default("5 s"),
       "Pause between ZooKeeper connection retries.")
      ("high-availability.zookeeper.client.max-retry-attempts",
       integer_option()->at_least(0)->deprecated("recovery.zookeeper.client.max-retry-attempts")
           ->flink_default("3"),
       "ZooKeeper connection retries before the client gives up.")
      ("high-availability.zookeeper.client.tolerate-suspended-connections",
       boolean_option()->flink_default("false"),
       "Keep leadership while the ZooKeeper connection is only suspended (not lost).")
      // KubernetesHighAvailabilityOptions (flink-kubernetes)
      ("high-availability.kubernetes.leader-election.lease-duration",
       duration_option()->flink_default("15 s"),
       "How long a Kubernetes leader lease stays valid without renewal.")
      ("high-availability.kubernetes.leader-election.renew-deadline",
       duration_option()->flink_default("15 s"),
       "How long the leader tries to renew its lease before giving up leadership.")
      ("high-availability.kubernetes.leader-election.retry-period",
       duration_option()->flink_default("5 s"),
       "Pause between two attempts to acquire or renew the leader lease.")
      // BatchExecutionOptions
      ("execution.batch.job-recovery.enabled", boolean_option()->flink_default("false"),
       "Recover the progress of a batch job after a JobManager failover (FLIP-383).")
      ("execution.batch.job-recovery.previous-worker.recovery.timeout",
       duration_option()->flink_default("30 s"),
       "How long a new JobManager waits for previous TaskManagers to reconnect and report their "
       "partitions.")
      ("execution.batch.job-recovery.snapshot.min-pause", duration_option()->flink_default("3 min"),
       "Minimum time between snapshots of operator coordinators and the shuffle master.")
      ("job-event.store.write-buffer.size", size_option()->flink_default("1 mb"),
       "Buffer of the job event store (batch job recovery) before it is flushed.")
      ("job-event.store.write-buffer.flush-interval", duration_option()->flink_default("1 s"),
       "How often the job event store (batch job recovery) is flushed.")
      ("execution.batch-shuffle-mode",
       enum_option({"all_exchanges_blocking", "all_exchanges_pipelined",
                    "all_exchanges_hybrid_full", "all_exchanges_hybrid_selective"})
           ->flink_default("all_exchanges_blocking"),
       "Exchange type of batch jobs; a scenario sets edge result types in 'job:' instead.");
}

struct Registry {
  po::options_description description{"Flink configuration", 100};
  std::vector<ConfigOptionSpec> specs;  // sorted by key
  std::map<std::string, size_t, std::less<>> index;  // canonical and deprecated keys
  std::map<std::string, const FlinkOptionValue*, std::less<>> values;
};

Registry build_registry() {
  Registry registry;
  declare_cluster_options(registry.description);
  declare_restart_options(registry.description);
  declare_checkpoint_options(registry.description);
  declare_availability_options(registry.description);
  for (const auto& option : registry.description.options()) {
    const auto* value = dynamic_cast<const FlinkOptionValue*>(option->semantic().get());
    FLINKSIM_ASSERT_MSG(value != nullptr, option->long_name());
    std::string default_text = value->default_text();
    if (!default_text.empty()) {
      // Defaults pass through the same check as user values, so a typo in this table is caught.
      const sim::Result<std::string> normalized = value->normalize(default_text);
      FLINKSIM_ASSERT_MSG(normalized.ok(), option->long_name());
      default_text = normalized.value();
    }
    registry.specs.push_back(ConfigOptionSpec{option->long_name(), value->type(), default_text,
                                              option->description(), value->enum_values(),
                                              value->deprecated_keys()});
    registry.values.emplace(option->long_name(), value);
  }
  std::sort(registry.specs.begin(), registry.specs.end(),
            [](const ConfigOptionSpec& a, const ConfigOptionSpec& b) { return a.key < b.key; });
  for (size_t i = 0; i < registry.specs.size(); ++i) {
    FLINKSIM_ASSERT_MSG(registry.index.emplace(registry.specs[i].key, i).second, registry.specs[i].key);
    for (const std::string& old_key : registry.specs[i].deprecated_keys) {
      FLINKSIM_ASSERT_MSG(registry.index.emplace(old_key, i).second, old_key);
    }
  }
  return registry;
}

const Registry& registry() {
  static const Registry instance = build_registry();
  return instance;
}

const FlinkOptionValue& value_of(std::string_view key) {
  const auto found = registry().values.find(key);
  FLINKSIM_ASSERT_MSG(found != registry().values.end(), std::string(key));
  return *found->second;
}

}  // namespace

const po::options_description& config_options_description() { return registry().description; }

const std::vector<ConfigOptionSpec>& config_registry() { return registry().specs; }

const ConfigOptionSpec* find_config_option(std::string_view key) {
  const auto found = registry().index.find(key);
  return found == registry().index.end() ? nullptr : &registry().specs[found->second];
}

sim::Result<std::string> normalize_config_value(const ConfigOptionSpec& option,
                                                std::string_view text) {
  // Program_options' parse hook is the checking path, so the declaration and the check agree.
  boost::any store;
  try {
    const po::value_semantic& semantic = value_of(option.key);
    // utf8 = false: the text goes to xparse unchanged. With true, Program_options converts it
    // to the locale's 8-bit encoding first and throws std::logic_error on any non-ASCII byte in
    // the C locale (found by fuzz/scenario_loader_fuzz).
    semantic.parse(store, {std::string(text)}, false);
  } catch (const po::error& e) {
    return sim::Error{e.what()};
  }
  return boost::any_cast<std::string>(store);
}

const std::vector<std::string>& config_fallback_keys(std::string_view key) {
  return value_of(key).fallback_keys();
}

const std::vector<std::string>& config_enum_aliases(std::string_view key) {
  return value_of(key).enum_aliases();
}

std::string_view option_type_name(OptionType type) {
  switch (type) {
    case OptionType::boolean: return "boolean";
    case OptionType::integer: return "integer";
    case OptionType::floating: return "double";
    case OptionType::duration: return "duration";
    case OptionType::size_bytes: return "memory size";
    case OptionType::enumeration: return "enum";
    case OptionType::string: return "string";
  }
  return "unknown";
}

}  // namespace flinksim::scenarios
