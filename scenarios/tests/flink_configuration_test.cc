// Goal: the registry declares Flink's keys with Flink's defaults, and FlinkConfiguration checks
// and normalizes values as Flink would read them. Method: the expected defaults are copied from
// the option classes named in ../shared/reference/FLINK_FACTS.md (HeartbeatManagerOptions,
// RestartStrategyOptions, CheckpointingOptions, ...), not from our own table.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <algorithm>

#include "scenarios/cluster_builder.h"
#include "scenarios/flink_config_registry.h"
#include "scenarios/flink_configuration.h"

namespace flinksim::scenarios {
namespace {

using sim::Duration;

const SourceLocation kWhere{"t.yaml", 3, 5};

TEST(ConfigRegistry, IsSortedUniqueAndMirrorsTheProgramOptionsDescription) {
  const std::vector<ConfigOptionSpec>& registry = config_registry();
  ASSERT_FALSE(registry.empty());
  std::set<std::string> keys;
  for (size_t i = 0; i < registry.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(registry[i - 1].key, registry[i].key);
    }
    EXPECT_TRUE(keys.insert(registry[i].key).second);
    EXPECT_FALSE(registry[i].description.empty()) << registry[i].key;
    for (const std::string& old_key : registry[i].deprecated_keys) {
      EXPECT_TRUE(keys.insert(old_key).second) << old_key;
      EXPECT_EQ(find_config_option(old_key), &registry[i]);
    }
  }
  EXPECT_EQ(config_options_description().options().size(), registry.size());
}

// Key -> default as normalized text ("" = no default), from Flink's option classes.
TEST(ConfigRegistry, DefaultsAreFlinks) {
  const std::vector<std::pair<std::string, std::string>> expected{
      {"heartbeat.interval", "10 s"},
      {"heartbeat.timeout", "50 s"},
      {"heartbeat.rpc-failure-threshold", "2"},
      {"taskmanager.numberOfTaskSlots", "1"},
      {"jobmanager.execution.failover-strategy", "region"},
      {"restart-strategy.type", ""},
      {"restart-strategy.fixed-delay.attempts", "1"},
      {"restart-strategy.fixed-delay.delay", "1 s"},
      {"restart-strategy.failure-rate.max-failures-per-interval", "1"},
      {"restart-strategy.failure-rate.failure-rate-interval", "1 min"},
      {"restart-strategy.failure-rate.delay", "1 s"},
      {"restart-strategy.exponential-delay.initial-backoff", "1 s"},
      {"restart-strategy.exponential-delay.max-backoff", "1 min"},
      {"restart-strategy.exponential-delay.backoff-multiplier", "1.5"},
      {"restart-strategy.exponential-delay.reset-backoff-threshold", "1 h"},
      {"restart-strategy.exponential-delay.jitter-factor", "0.1"},
      {"restart-strategy.exponential-delay.attempts-before-reset-backoff", "2147483647"},
      {"execution.checkpointing.interval", ""},
      {"execution.checkpointing.mode", "exactly_once"},
      {"execution.checkpointing.timeout", "10 min"},
      {"execution.checkpointing.min-pause", "0 ms"},
      {"execution.checkpointing.max-concurrent-checkpoints", "1"},
      {"execution.checkpointing.tolerable-failed-checkpoints", "0"},
      {"execution.checkpointing.num-retained", "1"},
      {"execution.checkpointing.unaligned.enabled", "false"},
      {"execution.checkpointing.aligned-checkpoint-timeout", "0 ms"},
      {"execution.state-recovery.approximate-local-recovery", "false"},
      {"taskmanager.slot.timeout", "10 s"},
      {"slot.request.timeout", "5 min"},
      {"resourcemanager.standalone.start-up-time", ""},
      {"resourcemanager.taskmanager-timeout", "30 s"},
      {"slotmanager.redundant-taskmanager-num", "0"},
      {"high-availability.type", "none"},
      {"high-availability.zookeeper.client.session-timeout", "1 min"},
      {"high-availability.zookeeper.client.connection-timeout", "15 s"},
      {"high-availability.storageDir", ""},
      {"high-availability.cluster-id", "/default"},
      {"execution.batch.job-recovery.enabled", "false"},
      {"execution.batch.job-recovery.previous-worker.recovery.timeout", "30 s"},
      {"execution.batch.job-recovery.snapshot.min-pause", "3 min"},
      {"taskmanager.memory.segment-size", "32 kb"},
      {"taskmanager.network.memory.buffers-per-channel", "2"},
      {"taskmanager.network.memory.floating-buffers-per-gate", "8"},
      {"pekko.ask.timeout", "10 s"},
      {"execution.runtime-mode", "streaming"},
  };
  for (const auto& [key, default_value] : expected) {
    const ConfigOptionSpec* option = find_config_option(key);
    ASSERT_NE(option, nullptr) << key;
    EXPECT_EQ(option->key, key);
    EXPECT_EQ(option->default_value, default_value) << key;
  }
}

TEST(ConfigRegistry, DeprecatedSpellingsAreFlinks) {
  const std::vector<std::pair<std::string, std::string>> expected{
      {"restart-strategy", "restart-strategy.type"},
      {"state.checkpoints.num-retained", "execution.checkpointing.num-retained"},
      {"execution.checkpointing.unaligned", "execution.checkpointing.unaligned.enabled"},
      {"execution.checkpointing.approximate-local-recovery",
       "execution.state-recovery.approximate-local-recovery"},
      {"high-availability", "high-availability.type"},
      {"akka.ask.timeout", "pekko.ask.timeout"},
      // HighAvailabilityOptions: the pre-1.2 "recovery.*" spellings.
      {"recovery.mode", "high-availability.type"},
      {"recovery.zookeeper.client.session-timeout",
       "high-availability.zookeeper.client.session-timeout"},
      {"recovery.zookeeper.client.connection-timeout",
       "high-availability.zookeeper.client.connection-timeout"},
      {"high-availability.zookeeper.path.namespace", "high-availability.cluster-id"},
      {"recovery.zookeeper.path.namespace", "high-availability.cluster-id"},
      // TaskManagerOptions.REGISTRATION_TIMEOUT
      {"taskmanager.maxRegistrationDuration", "taskmanager.registration.timeout"},
      // Flink 2.0 moved state and checkpoint options under execution.*.
      {"state.backend.local-recovery", "execution.state-recovery.from-local"},
      {"state.backend", "state.backend.type"},
      {"state.backend.incremental", "execution.checkpointing.incremental"},
      {"state.checkpoints.dir", "execution.checkpointing.dir"},
      {"state.savepoints.dir", "execution.checkpointing.savepoint-dir"},
      {"execution.savepoint.path", "execution.state-recovery.path"},
      {"execution.checkpointing.alignment-timeout",
       "execution.checkpointing.aligned-checkpoint-timeout"},
      {"slotmanager.taskmanager-timeout", "resourcemanager.taskmanager-timeout"},
  };
  for (const auto& [old_key, key] : expected) {
    const ConfigOptionSpec* option = find_config_option(old_key);
    ASSERT_NE(option, nullptr) << old_key;
    EXPECT_EQ(option->key, key);
  }
}

TEST(ConfigRegistry, CoversTheFaultToleranceKeysAUserTouches) {
  // One key per area the issue names; each must be registered with Flink's default.
  const std::vector<std::pair<std::string, std::string>> expected{
      {"taskmanager.registration.timeout", "5 min"},
      {"task.cancellation.timeout", "3 min"},
      {"slot.idle.timeout", "50 s"},
      {"taskmanager.network.memory.max-buffers-per-channel", "10"},
      {"execution.buffer-timeout.interval", "100 ms"},
      {"execution.state-recovery.from-local", "false"},
      {"high-availability.zookeeper.client.tolerate-suspended-connections", "false"},
      {"high-availability.kubernetes.leader-election.lease-duration", "15 s"},
      {"job-event.store.write-buffer.flush-interval", "1 s"},
      {"execution.batch-shuffle-mode", "all_exchanges_blocking"},
      {"state.backend.type", "hashmap"},
  };
  for (const auto& [key, default_value] : expected) {
    const ConfigOptionSpec* option = find_config_option(key);
    ASSERT_NE(option, nullptr) << key;
    EXPECT_EQ(option->default_value, default_value) << key;
  }
  EXPECT_GE(config_registry().size(), 80u);
}

TEST(ConfigRegistry, SimulatedKeysAreRegisteredSortedAndAFewAreNot) {
  const std::vector<std::string>& simulated = simulated_config_keys();
  EXPECT_TRUE(std::is_sorted(simulated.begin(), simulated.end()));
  for (const std::string& key : simulated) {
    const ConfigOptionSpec* option = find_config_option(key);
    ASSERT_NE(option, nullptr) << key;
    EXPECT_EQ(option->key, key) << "list the canonical key, not a deprecated spelling";
  }
  EXPECT_TRUE(is_simulated_config_key("heartbeat.timeout"));
  EXPECT_TRUE(is_simulated_config_key("restart-strategy.fixed-delay.attempts"));
  EXPECT_TRUE(is_simulated_config_key("high-availability.zookeeper.client.session-timeout"));
  EXPECT_TRUE(is_simulated_config_key("high-availability.kubernetes.leader-election.lease-duration"));
  EXPECT_FALSE(is_simulated_config_key("high-availability.zookeeper.client.retry-wait"));
  EXPECT_FALSE(is_simulated_config_key("restart-strategy"));  // deprecated spellings are not keys
}

TEST(FlinkConfiguration, NonAsciiValuesAreOrdinaryBadValues) {
  // Program_options' UTF-8 conversion used to throw std::logic_error here (a crash in the CLI).
  FlinkConfiguration config;
  Diagnostics diagnostics;
  EXPECT_FALSE(config.set("restart-strategy.type", "fixed-delay\u00d5", kWhere, diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics.format().find("unknown value 'fixed-delay\u00d5' (did you mean "
                                      "'fixed-delay'?)"),
            std::string::npos)
      << diagnostics.format();
  EXPECT_TRUE(config.set("high-availability.cluster-id", "/cl\u00fcster", kWhere, diagnostics));
  EXPECT_EQ(config.get_string("high-availability.cluster-id"), "/cl\u00fcster");
}

TEST(FlinkConfiguration, OldStateBackendNamesMapToHashmap) {
  FlinkConfiguration config;
  Diagnostics diagnostics;
  std::vector<std::string> warnings;
  EXPECT_TRUE(config.set("state.backend", "filesystem", kWhere, diagnostics, &warnings));
  EXPECT_EQ(config.get_enum("state.backend.type"), "hashmap");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "deprecated key 'state.backend', use 'state.backend.type'");
}

TEST(FlinkConfiguration, UnsetKeysAnswerWithTypedDefaults) {
  const FlinkConfiguration config;
  EXPECT_EQ(config.get_duration("heartbeat.interval"), Duration::seconds(10));
  EXPECT_EQ(config.get_duration("heartbeat.timeout"), Duration::seconds(50));
  EXPECT_EQ(config.get_int("heartbeat.rpc-failure-threshold"), 2);
  EXPECT_EQ(config.get_int("restart-strategy.exponential-delay.attempts-before-reset-backoff"),
            2147483647);
  EXPECT_DOUBLE_EQ(config.get_double("restart-strategy.exponential-delay.backoff-multiplier"), 1.5);
  EXPECT_EQ(config.get_enum("jobmanager.execution.failover-strategy"), "region");
  EXPECT_FALSE(config.get_bool("execution.checkpointing.unaligned.enabled"));
  EXPECT_EQ(config.get_size_bytes("taskmanager.memory.segment-size"), 32768);
  EXPECT_EQ(config.get_string("high-availability.cluster-id"), "/default");
  EXPECT_EQ(config.get_optional_enum("restart-strategy.type"), std::nullopt);
  EXPECT_EQ(config.get_optional_duration("execution.checkpointing.interval"), std::nullopt);
  EXPECT_FALSE(config.is_set("heartbeat.interval"));
  EXPECT_TRUE(config.explicit_values().empty());
}

TEST(FlinkConfiguration, ValuesAreCheckedAndNormalized) {
  FlinkConfiguration config;
  Diagnostics diagnostics;
  EXPECT_TRUE(config.set("heartbeat.timeout", "5000", kWhere, diagnostics));  // bare = ms
  EXPECT_TRUE(config.set("execution.checkpointing.interval", "5 s", kWhere, diagnostics));
  EXPECT_TRUE(config.set("execution.checkpointing.mode", "AT_LEAST_ONCE", kWhere, diagnostics));
  EXPECT_TRUE(config.set("taskmanager.memory.segment-size", "64 KB", kWhere, diagnostics));
  EXPECT_TRUE(config.set("execution.checkpointing.unaligned.enabled", "TRUE", kWhere, diagnostics));
  EXPECT_TRUE(config.set("restart-strategy.exponential-delay.backoff-multiplier", "2.3", kWhere,
                         diagnostics));
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.format();
  EXPECT_EQ(config.get_duration("heartbeat.timeout"), Duration::seconds(5));
  EXPECT_EQ(config.get_optional_duration("execution.checkpointing.interval"), Duration::seconds(5));
  EXPECT_EQ(config.get_enum("execution.checkpointing.mode"), "at_least_once");
  EXPECT_EQ(config.get_size_bytes("taskmanager.memory.segment-size"), 65536);
  EXPECT_TRUE(config.get_bool("execution.checkpointing.unaligned.enabled"));
  EXPECT_DOUBLE_EQ(config.get_double("restart-strategy.exponential-delay.backoff-multiplier"), 2.3);
  EXPECT_EQ(config.explicit_values().at("heartbeat.timeout"), "5 s");
  EXPECT_EQ(config.explicit_values().at("taskmanager.memory.segment-size"), "64 kb");
}

TEST(FlinkConfiguration, EnumAliasesMapToCanonicalValues) {
  const std::vector<std::pair<std::string, std::string>> restart{
      {"none", "none"},           {"OFF", "none"},
      {"disable", "none"},        {"fixeddelay", "fixed-delay"},
      {"Fixed-Delay", "fixed-delay"}, {"failurerate", "failure-rate"},
      {"exponentialdelay", "exponential-delay"}, {"EXPONENTIAL_DELAY", "exponential-delay"}};
  for (const auto& [spelling, canonical] : restart) {
    FlinkConfiguration config;
    Diagnostics diagnostics;
    EXPECT_TRUE(config.set("restart-strategy.type", spelling, kWhere, diagnostics)) << spelling;
    EXPECT_EQ(config.get_optional_enum("restart-strategy.type"), canonical);
  }
  FlinkConfiguration config;
  Diagnostics diagnostics;
  EXPECT_TRUE(config.set("jobmanager.execution.failover-strategy", "restart-all", kWhere, diagnostics));
  EXPECT_EQ(config.get_enum("jobmanager.execution.failover-strategy"), "full");
  EXPECT_TRUE(config.set("high-availability.type", "ZOOKEEPER", kWhere, diagnostics));
  EXPECT_EQ(config.get_enum("high-availability.type"), "zookeeper");
  EXPECT_TRUE(config.set("execution.runtime-mode", "BATCH", kWhere, diagnostics));
  EXPECT_EQ(config.get_enum("execution.runtime-mode"), "batch");
}

TEST(FlinkConfiguration, UnknownKeyIsAnErrorWithSuggestion) {
  FlinkConfiguration config;
  Diagnostics diagnostics;
  EXPECT_FALSE(config.set("heartbeat.timout", "5 s", kWhere, diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics.errors()[0].format(),
            "t.yaml:3:5: error: unknown Flink configuration key 'heartbeat.timout' (did you mean "
            "'heartbeat.timeout'?)");
  EXPECT_TRUE(config.explicit_values().empty());
}

TEST(FlinkConfiguration, BadValuesAreErrorsAndLeaveTheDefault) {
  const std::vector<std::pair<std::string, std::string>> bad{
      {"taskmanager.numberOfTaskSlots", "0"},
      {"taskmanager.numberOfTaskSlots", "two"},
      {"heartbeat.timeout", "-5 s"},
      {"heartbeat.timeout", "50 parsecs"},
      {"execution.checkpointing.unaligned.enabled", "yes"},
      {"execution.checkpointing.mode", "exactly-onse"},
      {"restart-strategy.exponential-delay.backoff-multiplier", "1.0"},
      {"restart-strategy.exponential-delay.jitter-factor", "1.5"},
      {"restart-strategy.fixed-delay.attempts", "-1"},
      {"taskmanager.memory.segment-size", "-32 kb"},
      {"execution.checkpointing.max-concurrent-checkpoints", "99999999999"},
  };
  for (const auto& [key, value] : bad) {
    FlinkConfiguration config;
    Diagnostics diagnostics;
    EXPECT_FALSE(config.set(key, value, kWhere, diagnostics)) << key << "=" << value;
    ASSERT_EQ(diagnostics.size(), 1u) << key;
    EXPECT_NE(diagnostics.errors()[0].message.find("invalid value for '" + key + "'"),
              std::string::npos);
    EXPECT_FALSE(config.is_set(key));
  }
  FlinkConfiguration config;
  Diagnostics diagnostics;
  config.set("execution.checkpointing.mode", "exactly-onse", kWhere, diagnostics);
  EXPECT_NE(diagnostics.format().find("(did you mean 'exactly_once'?)"), std::string::npos);
}

TEST(FlinkConfiguration, DeprecatedKeysAreAcceptedWithAWarning) {
  FlinkConfiguration config;
  Diagnostics diagnostics;
  std::vector<std::string> warnings;
  EXPECT_TRUE(config.set("restart-strategy", "fixed-delay", kWhere, diagnostics, &warnings));
  EXPECT_TRUE(config.set("state.checkpoints.num-retained", "3", kWhere, diagnostics, &warnings));
  EXPECT_TRUE(config.set("heartbeat.timeout", "5 s", kWhere, diagnostics, &warnings));
  EXPECT_TRUE(diagnostics.empty());
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], "deprecated key 'restart-strategy', use 'restart-strategy.type'");
  EXPECT_EQ(warnings[1],
            "deprecated key 'state.checkpoints.num-retained', use "
            "'execution.checkpointing.num-retained'");
  EXPECT_TRUE(config.is_set("restart-strategy.type"));
  EXPECT_TRUE(config.is_set("restart-strategy"));
  EXPECT_EQ(config.get_enum("restart-strategy.type"), "fixed-delay");
  EXPECT_EQ(config.get_int("execution.checkpointing.num-retained"), 3);
  EXPECT_EQ(config.explicit_values().count("restart-strategy"), 0u);
}

TEST(FlinkConfiguration, SlotTimeoutFallsBackToTheAskTimeout) {
  // TaskManagerOptions.SLOT_TIMEOUT: default = the RPC ask timeout's default, fallback key
  // pekko.ask.timeout (akka.ask.timeout before Flink 1.18).
  FlinkConfiguration config;
  Diagnostics diagnostics;
  EXPECT_EQ(config.get_duration("taskmanager.slot.timeout"), Duration::seconds(10));
  config.set("akka.ask.timeout", "30 s", kWhere, diagnostics);
  EXPECT_EQ(config.get_duration("pekko.ask.timeout"), Duration::seconds(30));
  EXPECT_EQ(config.get_duration("taskmanager.slot.timeout"), Duration::seconds(30));
  config.set("taskmanager.slot.timeout", "1 min", kWhere, diagnostics);
  EXPECT_EQ(config.get_duration("taskmanager.slot.timeout"), Duration::seconds(60));
  EXPECT_TRUE(diagnostics.empty());
}

TEST(ConfigRegistry, NormalizeGoesThroughProgramOptions) {
  const ConfigOptionSpec* option = find_config_option("heartbeat.interval");
  ASSERT_NE(option, nullptr);
  EXPECT_EQ(normalize_config_value(*option, "10000").value(), "10 s");
  EXPECT_FALSE(normalize_config_value(*option, "ten").ok());
  EXPECT_EQ(config_fallback_keys("taskmanager.slot.timeout"),
            std::vector<std::string>{"pekko.ask.timeout"});
  EXPECT_EQ(config_enum_aliases("jobmanager.execution.failover-strategy"),
            std::vector<std::string>{"restart-all=full"});
}

}  // namespace
}  // namespace flinksim::scenarios
