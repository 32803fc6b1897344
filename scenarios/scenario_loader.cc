#include "scenarios/scenario_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <set>

#include "scenarios/cluster_builder.h"
#include "scenarios/fault_moment.h"
#include "model/graph/operator_chaining.h"
#include "scenarios/job_action_reader.h"
#include "scenarios/job_loader.h"
#include "scenarios/restart_strategy_options.h"
#include "scenarios/run_size_estimate.h"
#include "scenarios/value_syntax.h"
#include "sim/rng.h"
#include "strategies/restart_backoff_time_strategy_factory.h"

namespace flinksim::scenarios {

namespace {

// A key Flink acts on but the model does not read (scenarios/cluster_builder.h,
// simulated_config_keys) is accepted, so scenarios written for Flink load; it must not pass
// silently, or a user would believe the run shows its effect.
void warn_if_not_simulated(const std::string& written, const std::string& key,
                           const SourceLocation& location, std::vector<std::string>& warnings) {
  if (is_simulated_config_key(key)) return;
  const std::string warning = format_warning(
      location, "'" + written +
                    "' is accepted but not simulated: Flink acts on it, this model does not " +
                    "(flinksim config lists what is simulated)");
  if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end())
    warnings.push_back(warning);
}

// "taskmanager-0 .. taskmanager-2", "taskmanager-0", or "no TaskManager" for an empty cluster (which read
// "taskmanager-0 .. taskmanager--1").
std::string taskmanager_range_text(int64_t count) {
  if (count <= 0) return "no TaskManager";
  if (count == 1) return "taskmanager-0";
  return "taskmanager-0 .. taskmanager-" + std::to_string(count - 1);
}

constexpr int64_t kMaxProcesses = 10'000;
// A simulated record of a million records still moves through buffers (64 MB on the wire).
constexpr int64_t kMaxRecordsPerSimulatedRecord = 1'000'000;
const char* const kCommandLine = "<command line>";

void require(const NodeRef& parent, std::string_view key, Diagnostics& diagnostics) {
  if (!parent.child(key).node.IsDefined()) {
    diagnostics.error(parent.location(), parent.path,
                      "missing required key '" + std::string(key) + "'");
  }
}

// ---------------------------------------------------------------------------------------------
// Top level, cluster, network.

void read_header(const NodeRef& root, ScenarioSpec& spec, Diagnostics& diagnostics) {
  require(root, "name", diagnostics);
  if (auto name = read_string(root.child("name"), diagnostics)) {
    if (name->empty()) diagnostics.error(root.child("name").location(), "name", "name is empty");
    spec.name = *name;
  }
  if (auto description = read_string(root.child("description"), diagnostics)) {
    spec.description = *description;
  }
  if (auto seed = read_int(root.child("seed"), 0, std::numeric_limits<int64_t>::max(), diagnostics)) {
    spec.seed = static_cast<uint64_t>(*seed);
  }
  const NodeRef duration = root.child("duration");
  if (auto value = read_duration(duration, diagnostics)) {
    if (*value == sim::Duration::zero()) {
      diagnostics.error(duration.location(), duration.path, "duration must be longer than zero");
    }
    spec.duration = *value;
  }
}

// A bandwidth (`1 gbps`) in bytes per second; it must be positive.
std::optional<int64_t> read_bandwidth_bytes(const NodeRef& node, Diagnostics& diagnostics) {
  const std::optional<std::string> text = read_string(node, diagnostics);
  if (!text) return std::nullopt;
  const sim::Result<int64_t> bits = parse_bandwidth_bits_per_second(*text);
  if (!bits.ok() || bits.value() < 8) {
    diagnostics.error(node.location(), node.path, bits.ok() ? "bandwidth must be at least 8 bps" : bits.error().message);
    return std::nullopt;
  }
  return bits.value() / 8;
}

void read_checkpoint_storage(const NodeRef& storage, model::CheckpointStorageBandwidth& spec,
                             Diagnostics& diagnostics) {
  const std::vector<std::string> keys{"write-bandwidth", "read-bandwidth", "total-bandwidth"};
  check_keys(storage, keys, diagnostics);
  if (auto bytes = read_bandwidth_bytes(storage.child("write-bandwidth"), diagnostics)) spec.write_bytes_per_second = *bytes;
  if (auto bytes = read_bandwidth_bytes(storage.child("read-bandwidth"), diagnostics)) spec.read_bytes_per_second = *bytes;
  if (auto bytes = read_bandwidth_bytes(storage.child("total-bandwidth"), diagnostics)) spec.total_bytes_per_second = *bytes;
}

void read_cluster(const NodeRef& cluster, ClusterSpec& spec, Diagnostics& diagnostics) {
  const std::vector<std::string> keys{"deployment",          "taskmanagers",       "standby-taskmanagers",
                                      "jobmanagers",         "taskmanager-startup", "checkpoint-storage",
                                      "taskmanager-local-disk-bandwidth", "pod-watch-delay",
                                      "deployment-mode"};
  check_keys(cluster, keys, diagnostics);
  read_checkpoint_storage(cluster.child("checkpoint-storage"), spec.checkpoint_storage, diagnostics);
  if (auto bytes = read_bandwidth_bytes(cluster.child("taskmanager-local-disk-bandwidth"), diagnostics)) {
    spec.taskmanager_local_disk_bytes_per_second = *bytes;
  }
  const std::vector<std::string> deployments{"standalone", "kubernetes"};
  if (auto index = read_enum(cluster.child("deployment"), deployments, diagnostics)) {
    spec.deployment = *index == 0 ? Deployment::standalone : Deployment::kubernetes;
  }
  const std::vector<std::string> modes{"session", "application"};
  if (auto index = read_enum(cluster.child("deployment-mode"), modes, diagnostics)) {
    spec.deployment_mode = *index == 0 ? DeploymentMode::session : DeploymentMode::application;
  }
  if (auto value = read_int(cluster.child("taskmanagers"), 0, kMaxProcesses, diagnostics)) {
    spec.taskmanagers = *value;
  }
  if (auto value = read_int(cluster.child("standby-taskmanagers"), 0, kMaxProcesses, diagnostics)) {
    spec.standby_taskmanagers = *value;
  }
  if (auto value = read_int(cluster.child("jobmanagers"), 1, 100, diagnostics)) {
    spec.jobmanagers = *value;
  }
  if (auto value = read_duration(cluster.child("taskmanager-startup"), diagnostics)) {
    spec.taskmanager_startup = *value;
  }
  if (auto value = read_duration(cluster.child("pod-watch-delay"), diagnostics)) {
    spec.pod_watch_delay = *value;
  }
}

void read_network(const NodeRef& network, NetworkSpec& spec, Diagnostics& diagnostics) {
  const std::vector<std::string> keys{"latency", "jitter", "bandwidth"};
  check_keys(network, keys, diagnostics);
  if (auto value = read_duration(network.child("latency"), diagnostics)) spec.latency = *value;
  if (auto value = read_duration(network.child("jitter"), diagnostics)) spec.jitter = *value;
  const NodeRef bandwidth = network.child("bandwidth");
  if (auto text = read_string(bandwidth, diagnostics)) {
    const sim::Result<int64_t> bits = parse_bandwidth_bits_per_second(*text);
    if (bits.ok()) {
      spec.bandwidth_bits_per_second = bits.value();
    } else {
      diagnostics.error(bandwidth.location(), bandwidth.path, bits.error().message);
    }
  }
}

void read_simulation(const NodeRef& simulation, SimulationSpec& spec, Diagnostics& diagnostics) {
  const std::vector<std::string> keys{"records-per-simulated-record", "simulated-records-per-second",
                                      "buggify"};
  check_keys(simulation, keys, diagnostics);
  const NodeRef grouping = simulation.child("records-per-simulated-record");
  if (const std::optional<std::string> text = read_string(grouping, diagnostics); text && *text != "auto") {
    spec.records_per_simulated_record = read_int(grouping, 1, kMaxRecordsPerSimulatedRecord, diagnostics);
  }
  if (auto budget = read_int(simulation.child("simulated-records-per-second"), 1, 1'000'000'000, diagnostics)) {
    spec.simulated_records_per_second = *budget;
  }
  if (auto buggify = read_bool(simulation.child("buggify"), diagnostics)) spec.buggify = *buggify;
}

// ---------------------------------------------------------------------------------------------
// config: Flink keys verbatim. Nested maps are flattened with '.', as Flink's config.yaml does.

struct ConfigReader {
  ScenarioSpec& spec;
  Diagnostics& diagnostics;
  std::map<std::string, std::string> first_spelling;  // canonical key -> spelling that set it

  void read(const NodeRef& map, const std::string& prefix, int depth) {
    if (!map.node.IsMap()) {
      diagnostics.error(map.location(), map.path, "expected a map of Flink configuration keys");
      return;
    }
    for (const auto& entry : map.node) {
      const SourceLocation key_location = NodeRef{entry.first, map.file, ""}.location();
      if (!entry.first.IsScalar()) {
        diagnostics.error(key_location, map.path, "expected a string key");
        continue;
      }
      const std::string key = prefix + entry.first.Scalar();
      const NodeRef value{entry.second, map.file, "config." + key};
      if (entry.second.IsMap() && depth < 16) {
        read(value, key + ".", depth + 1);
      } else {
        read_value(key, key_location, value);
      }
    }
  }

  void read_value(const std::string& key, const SourceLocation& key_location, const NodeRef& value) {
    const ConfigOptionSpec* option = find_config_option(key);
    if (option != nullptr) {
      const auto [previous, inserted] = first_spelling.emplace(option->key, key);
      if (!inserted) {
        diagnostics.error(key_location, "config",
                          previous->second == key
                              ? "duplicate key '" + key + "'"
                              : "key '" + key + "' sets the same option as '" + previous->second + "'");
        return;
      }
    }
    if (option != nullptr && !value.node.IsScalar()) {
      diagnostics.error(value.location(), value.path,
                        "expected a value for '" + option->key + "', got " +
                            (value.node.IsSequence() ? "a list" : "nothing"));
      return;
    }
    Diagnostics local;
    std::vector<std::string> warnings;
    const std::string text = value.node.IsScalar() ? value.node.Scalar() : std::string();
    if (spec.config.set(key, text, key_location, local, &warnings)) {
      spec.config_locations[option->key] = key_location;
      warn_if_not_simulated(key, option->key, key_location, spec.warnings);
    }
    for (const Diagnostic& diagnostic : local.errors()) {
      const bool bad_value = option != nullptr;
      diagnostics.error(bad_value ? value.location() : diagnostic.location,
                        bad_value ? value.path : "config", diagnostic.message);
    }
    for (const std::string& warning : warnings) {
      spec.warnings.push_back(format_warning(key_location, warning));
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Faults.

std::optional<TaskRef> parse_task(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const sim::Result<int64_t> subtask =
      parse_integer(text.substr(colon + 1), 0, std::numeric_limits<int32_t>::max());
  if (!subtask.ok() || trim_spaces(text.substr(colon + 1)).front() == '+') return std::nullopt;
  return TaskRef{std::string(trim_spaces(text.substr(0, colon))), subtask.value()};
}

// "taskmanager-3" -> 3 for the given prefix, nullopt if `text` is not PREFIX-N.
std::optional<int64_t> numbered(std::string_view text, std::string_view prefix) {
  if (text.size() <= prefix.size() || text.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view digits = text.substr(prefix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const sim::Result<int64_t> index = parse_integer(digits, 0, kMaxProcesses * 10);
  return index.ok() ? std::optional<int64_t>(index.value()) : std::nullopt;
}

std::optional<ProcessRef> parse_process(std::string_view text) {
  using Kind = ProcessRef::Kind;
  ProcessRef process;
  process.text = std::string(text);
  constexpr std::string_view of_prefix = "taskmanager-of ";
  if (text == "jobmanager-leader") {
    process.kind = Kind::jobmanager_leader;
  } else if (auto index = numbered(text, "jobmanager-")) {
    process.kind = Kind::jobmanager, process.index = *index;
  } else if (auto index = numbered(text, "taskmanager-")) {
    process.kind = Kind::taskmanager, process.index = *index;
  } else if (text.substr(0, of_prefix.size()) == of_prefix) {
    const std::optional<TaskRef> task = parse_task(text.substr(of_prefix.size()));
    if (!task) return std::nullopt;
    process.kind = Kind::taskmanager_of, process.task = *task;
  } else if (text == "zookeeper") {
    process.kind = Kind::zookeeper;
  } else if (text == "kubernetes-api-server") {
    process.kind = Kind::kubernetes_api_server;
  } else if (text == "checkpoint-storage") {
    process.kind = Kind::checkpoint_storage;
  } else if (text == "source-log") {
    process.kind = Kind::source_log;
  } else if (text == "sink-store") {
    process.kind = Kind::sink_store;
  } else {
    return std::nullopt;
  }
  return process;
}

bool is_external_service(const ProcessRef& process) {
  using Kind = ProcessRef::Kind;
  return process.kind == Kind::zookeeper || process.kind == Kind::kubernetes_api_server ||
         process.kind == Kind::checkpoint_storage ||
         process.kind == Kind::source_log || process.kind == Kind::sink_store;
}

class FaultReader {
 public:
  FaultReader(const ScenarioSpec& spec, Diagnostics& diagnostics)
      : spec_(spec), diagnostics_(diagnostics) {}

  void read(const NodeRef& faults, ScenarioSpec& out) {
    if (!faults.node.IsDefined()) return;
    if (!faults.node.IsSequence()) {
      diagnostics_.error(faults.location(), faults.path, "expected a list of faults");
      return;
    }
    for (size_t i = 0; i < faults.node.size(); ++i) read_entry(faults.element(i), out);
  }

 private:
  void read_entry(const NodeRef& entry, ScenarioSpec& out);
  void read_random(const NodeRef& entry, ScenarioSpec& out);
  bool read_processes(const NodeRef& ref, FaultSpec& fault);
  bool read_moment(const NodeRef& entry, FaultSpec& fault);
  std::optional<ProcessRef> read_process(const NodeRef& ref, FaultKind kind);
  bool check_process_exists(const NodeRef& ref, const ProcessRef& process);
  std::vector<std::string> process_candidates() const;

  const ScenarioSpec& spec_;
  Diagnostics& diagnostics_;
};

void FaultReader::read_entry(const NodeRef& entry, ScenarioSpec& out) {
  if (read_job_action(entry, out, diagnostics_)) return;  // an operator action (job_action_reader.h)
  const std::vector<std::string> keys{"at",      "after",     "kill",    "restart",
                                      "fail-task", "partition", "outage",  "slow",
                                      "for",     "direction", "latency", "random"};
  if (!check_keys(entry, keys, diagnostics_) && !entry.node.IsMap()) return;
  const std::vector<std::pair<std::string, FaultKind>> actions{
      {"kill", FaultKind::kill},           {"restart", FaultKind::restart},
      {"fail-task", FaultKind::fail_task}, {"partition", FaultKind::partition},
      {"outage", FaultKind::outage},       {"slow", FaultKind::slow}};
  std::vector<std::string> present;
  FaultSpec fault;
  fault.location = entry.location();
  fault.path = entry.path;
  for (const auto& [key, kind] : actions) {
    if (entry.child(key).node.IsDefined()) present.push_back(key), fault.kind = kind;
  }
  if (entry.child("random").node.IsDefined()) {
    if (!present.empty() || entry.node.size() != 1) {
      diagnostics_.error(entry.location(), entry.path, "a 'random' entry takes no other keys");
      return;
    }
    if (!out.random_faults.empty()) {
      diagnostics_.error(entry.location(), entry.path,
                         "only one 'random' entry is allowed (the first is at " +
                             out.random_faults.front().location.format() + ")");
      return;
    }
    read_random(entry.child("random"), out);
    return;
  }
  if (present.size() != 1) {
    diagnostics_.error(entry.location(), entry.path,
                       present.empty() ? "a fault needs one of kill, restart, fail-task, partition, "
                                         "outage, slow or random"
                                       : "a fault takes exactly one action, got '" + present[0] +
                                             "' and '" + present[1] + "'");
    return;
  }
  const std::string& action = present.front();
  // Which of the optional keys each action takes.
  const std::vector<std::pair<std::string, std::vector<std::string>>> extras{
      {"partition", {"for", "direction"}}, {"outage", {"for"}}, {"slow", {"for", "latency"}}};
  for (const std::string_view extra : {"for", "direction", "latency"}) {
    bool allowed = false;
    for (const auto& [name, options] : extras) {
      allowed = allowed || (name == action && std::count(options.begin(), options.end(), extra) > 0);
    }
    if (entry.child(extra).node.IsDefined() && !allowed) {
      diagnostics_.error(entry.child(extra).location(), entry.path,
                         "'" + std::string(extra) + "' does not apply to '" + action + "'");
    }
  }
  bool ok = true;
  if (entry.child("after").node.IsDefined()) {
    ok = read_moment(entry, fault);
  } else if (auto at = read_duration(entry.child("at"), diagnostics_)) {
    fault.at = *at;
    if (*at > spec_.duration) {
      diagnostics_.error(entry.child("at").location(), entry.child("at").path,
                         "fault at " + sim::format_duration(*at) + " is after the end of the run (" +
                             sim::format_duration(spec_.duration) + ")");
      ok = false;
    }
  } else {
    require(entry, "at", diagnostics_);
    ok = false;
  }
  const NodeRef target = entry.child(action);
  fault.target_location = target.location();
  fault.target_path = target.path;
  if (fault.kind == FaultKind::fail_task) {
    const std::optional<std::string> text = read_string(target, diagnostics_);
    const std::optional<TaskRef> task = text ? parse_task(*text) : std::nullopt;
    if (text && !task) {
      diagnostics_.error(target.location(), target.path,
                         "expected a task as VERTEX:SUBTASK (e.g. 'window:1'), got '" + *text + "'");
    }
    if (task) fault.task = *task;
    ok = ok && task.has_value();
  } else {
    ok = read_processes(target, fault) && ok;
  }
  if (auto lasts = read_duration(entry.child("for"), diagnostics_)) {
    if (*lasts == sim::Duration::zero()) {
      diagnostics_.error(entry.child("for").location(), entry.child("for").path,
                         "'for' must be longer than zero");
    }
    fault.lasts = *lasts;
  }
  const std::vector<std::string> directions{"both", "one-way"};
  if (auto direction = read_enum(entry.child("direction"), directions, diagnostics_)) {
    fault.direction = *direction == 0 ? PartitionDirection::both : PartitionDirection::one_way;
  }
  if (fault.kind == FaultKind::slow) {
    require(entry, "latency", diagnostics_);
    if (auto latency = read_duration(entry.child("latency"), diagnostics_)) {
      fault.extra_latency = *latency;
    }
  }
  if (ok) out.faults.push_back(std::move(fault));
}

// `after: "MOMENT [+ DURATION]"` instead of `at:` (fault_moment.h).
bool FaultReader::read_moment(const NodeRef& entry, FaultSpec& fault) {
  const NodeRef after = entry.child("after");
  fault.after_location = after.location();
  if (entry.child("at").node.IsDefined()) {
    diagnostics_.error(after.location(), after.path,
                       "a fault strikes either at a time ('at') or after a moment ('after'), not both");
    return false;
  }
  const std::optional<std::string> text = read_string(after, diagnostics_);
  if (!text) return false;
  const sim::Result<ParsedMoment> moment = parse_fault_moment(*text);
  if (!moment.ok()) {
    diagnostics_.error(after.location(), after.path, moment.error().message);
    return false;
  }
  fault.after = moment.value().moment;
  fault.after_task = moment.value().task;
  fault.after_jobmanager = moment.value().jobmanager;
  return true;
}

void FaultReader::read_random(const NodeRef& random, ScenarioSpec& out) {
  const std::vector<std::string> keys{"kill-taskmanager", "fail-task", "from", "until"};
  if (!check_keys(random, keys, diagnostics_) && !random.node.IsMap()) return;
  RandomFaultSpec fault;
  fault.location = random.location();
  fault.path = random.path;
  fault.until = spec_.duration;
  if (auto rate = read_rate_per_second(random.child("kill-taskmanager"), diagnostics_)) {
    fault.kill_taskmanager_per_second = *rate;
  }
  if (auto rate = read_rate_per_second(random.child("fail-task"), diagnostics_)) {
    fault.fail_task_per_second = *rate;
  }
  if (!random.child("kill-taskmanager").node.IsDefined() &&
      !random.child("fail-task").node.IsDefined()) {
    diagnostics_.error(random.location(), random.path,
                       "random faults need a rate: kill-taskmanager and/or fail-task");
  }
  if (auto from = read_duration(random.child("from"), diagnostics_)) fault.from = *from;
  if (auto until = read_duration(random.child("until"), diagnostics_)) fault.until = *until;
  if (fault.until < fault.from || fault.until > spec_.duration) {
    diagnostics_.error(random.location(), random.path,
                       "random faults must lie within the run: from " +
                           sim::format_duration(fault.from) + " until " +
                           sim::format_duration(fault.until) + ", duration " +
                           sim::format_duration(spec_.duration));
  }
  out.random_faults.push_back(fault);
}

bool FaultReader::read_processes(const NodeRef& ref, FaultSpec& fault) {
  const bool pair = fault.kind == FaultKind::partition || fault.kind == FaultKind::slow;
  if (!pair) {
    const std::optional<ProcessRef> process = read_process(ref, fault.kind);
    if (process) fault.processes.push_back(*process);
    return process.has_value();
  }
  if (!ref.node.IsSequence() || ref.node.size() != 2) {
    diagnostics_.error(ref.location(), ref.path,
                       "expected two processes, e.g. [jobmanager-0, taskmanager-1]");
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < 2; ++i) {
    const std::optional<ProcessRef> process = read_process(ref.element(i), fault.kind);
    if (process) fault.processes.push_back(*process);
    ok = ok && process.has_value();
  }
  if (ok && fault.processes[0].text == fault.processes[1].text) {
    diagnostics_.error(ref.location(), ref.path,
                       "the two processes are the same: '" + fault.processes[0].text + "'");
    ok = false;
  }
  return ok;
}

std::optional<ProcessRef> FaultReader::read_process(const NodeRef& ref, FaultKind kind) {
  const std::optional<std::string> text = read_string(ref, diagnostics_);
  if (!text) return std::nullopt;
  std::optional<ProcessRef> process = parse_process(*text);
  if (!process) {
    diagnostics_.error(ref.location(), ref.path,
                       "unknown process '" + *text + "'" + did_you_mean(*text, process_candidates()) +
                           "; processes are jobmanager-N, jobmanager-leader, taskmanager-N, "
                           "'taskmanager-of VERTEX:SUBTASK', zookeeper, kubernetes-api-server, "
                           "checkpoint-storage, "
                           "source-log, sink-store");
    return std::nullopt;
  }
  using Kind = ProcessRef::Kind;
  std::string problem;
  if ((kind == FaultKind::kill || kind == FaultKind::restart) && is_external_service(*process)) {
    problem = "'" + *text + "' is an external service: use 'outage' to make it fail";
  } else if (kind == FaultKind::restart &&
             (process->kind == Kind::jobmanager_leader || process->kind == Kind::taskmanager_of)) {
    problem = "restart needs a fixed process name (jobmanager-N or taskmanager-N), got '" + *text + "'";
  } else if (kind == FaultKind::outage && !is_external_service(*process)) {
    problem = "outage applies to zookeeper, kubernetes-api-server, checkpoint-storage, source-log "
              "or sink-store; use "
              "'kill' for '" + *text + "'";
  }
  if (!problem.empty()) {
    diagnostics_.error(ref.location(), ref.path, problem);
    return std::nullopt;
  }
  if (!check_process_exists(ref, *process)) return std::nullopt;
  return process;
}

bool FaultReader::check_process_exists(const NodeRef& ref, const ProcessRef& process) {
  using Kind = ProcessRef::Kind;
  const ClusterSpec& cluster = spec_.cluster;
  // On Kubernetes replacement TaskManagers continue the numbering; check_fault_timeline decides
  // whether one can exist by the time of the fault.
  if (process.kind == Kind::taskmanager && process.index >= cluster.total_taskmanagers() &&
      cluster.deployment == Deployment::standalone) {
    diagnostics_.error(ref.location(), ref.path,
                       "'" + process.text + "' does not exist: the cluster has " +
                           std::to_string(cluster.taskmanagers) + " taskmanagers and " +
                           std::to_string(cluster.standby_taskmanagers) + " standby (" +
                           taskmanager_range_text(cluster.total_taskmanagers()) + ")");
    return false;
  }
  if (process.kind == Kind::jobmanager && process.index >= cluster.jobmanagers) {
    diagnostics_.error(ref.location(), ref.path,
                       "'" + process.text + "' does not exist: the cluster has " +
                           std::to_string(cluster.jobmanagers) + " jobmanagers (jobmanager-0 .. " +
                           "jobmanager-" + std::to_string(cluster.jobmanagers - 1) + ")");
    return false;
  }
  if (process.kind == Kind::zookeeper &&
      spec_.config.get_enum("high-availability.type") != "zookeeper") {
    diagnostics_.error(ref.location(), ref.path,
                       "there is no zookeeper: high-availability.type is '" +
                           spec_.config.get_enum("high-availability.type") + "'");
    return false;
  }
  if (process.kind == Kind::kubernetes_api_server &&
      spec_.config.get_enum("high-availability.type") != "kubernetes") {
    diagnostics_.error(ref.location(), ref.path,
                       "there is no kubernetes-api-server: high-availability.type is '" +
                           spec_.config.get_enum("high-availability.type") + "'");
    return false;
  }
  return true;
}

std::vector<std::string> FaultReader::process_candidates() const {
  std::vector<std::string> names{"jobmanager-leader", "zookeeper", "kubernetes-api-server",
                                 "checkpoint-storage",
                                 "source-log", "sink-store"};
  for (int64_t i = 0; i < std::min<int64_t>(spec_.cluster.jobmanagers, 16); ++i) {
    names.push_back("jobmanager-" + std::to_string(i));
  }
  for (int64_t i = 0; i < std::min<int64_t>(spec_.cluster.total_taskmanagers(), 64); ++i) {
    names.push_back("taskmanager-" + std::to_string(i));
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// expect:

void read_expect(const NodeRef& expect, ExpectSpec& spec, Diagnostics& diagnostics) {
  const std::vector<std::string> keys{
      "exactly-once",   "final-status",   "recovery-time-max",        "tasks-restarted-max",
      "records-lost-max", "records-duplicated-max", "failovers-max", "failovers-min",
      "checkpoints-completed-min"};
  check_keys(expect, keys, diagnostics);
  spec.exactly_once = read_bool(expect.child("exactly-once"), diagnostics);
  const std::vector<std::string> statuses{"FINISHED", "RUNNING", "FAILED",
                                          "CANCELED", "LOST",    "SUSPENDED"};
  if (auto index = read_enum(expect.child("final-status"), statuses, diagnostics)) {
    spec.final_status = static_cast<FinalStatus>(*index);
  }
  spec.recovery_time_max = read_duration(expect.child("recovery-time-max"), diagnostics);
  const int64_t max = std::numeric_limits<int64_t>::max();
  spec.tasks_restarted_max = read_int(expect.child("tasks-restarted-max"), 0, max, diagnostics);
  spec.records_lost_max = read_int(expect.child("records-lost-max"), 0, max, diagnostics);
  spec.records_duplicated_max = read_int(expect.child("records-duplicated-max"), 0, max, diagnostics);
  spec.failovers_max = read_int(expect.child("failovers-max"), 0, max, diagnostics);
  spec.failovers_min = read_int(expect.child("failovers-min"), 0, max, diagnostics);
  spec.checkpoints_completed_min =
      read_int(expect.child("checkpoints-completed-min"), 0, max, diagnostics);
  if (spec.failovers_min && spec.failovers_max && *spec.failovers_min > *spec.failovers_max) {
    diagnostics.error(expect.child("failovers-min").location(), expect.path,
                      "failovers-min is larger than failovers-max");
  }
}

// ---------------------------------------------------------------------------------------------
// Checks across sections, run after loading and again after command-line overrides.

SourceLocation config_location(const ScenarioSpec& spec, const std::string& key) {
  const auto found = spec.config_locations.find(key);
  return found != spec.config_locations.end() ? found->second : SourceLocation{spec.file, 0, 0};
}

void add_warning(ScenarioSpec& spec, std::string warning) {
  // apply_overrides checks a spec again; a warning is worth saying once.
  if (std::find(spec.warnings.begin(), spec.warnings.end(), warning) == spec.warnings.end()) {
    spec.warnings.push_back(std::move(warning));
  }
}

// Walks the faults in time order and tracks which fixed-name processes are dead: killing a dead
// process or restarting one that nothing killed is a mistake in the scenario (the model would
// silently ignore it). Kills of 'jobmanager-leader', 'taskmanager-of ...' and random kills may
// hit any process, so after one of those a restart is not questioned. On Kubernetes each lost
// TaskManager may be replaced by a new one numbered after the existing ones.
void check_fault_timeline(const ScenarioSpec& spec, Diagnostics& diagnostics) {
  using Kind = ProcessRef::Kind;
  std::vector<const FaultSpec*> ordered;
  for (const FaultSpec& fault : spec.faults) ordered.push_back(&fault);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const FaultSpec* a, const FaultSpec* b) { return a->at < b->at; });
  std::map<std::string, const FaultSpec*> killed_by;  // fixed name -> the kill that took it down
  bool any_jobmanager_kill = false;
  bool any_taskmanager_kill = !spec.random_faults.empty() &&
                              spec.random_faults.front().kill_taskmanager_per_second > 0;
  int64_t taskmanager_names = spec.cluster.total_taskmanagers();
  if (spec.cluster.deployment == Deployment::kubernetes && spec.job) {
    int64_t slots_needed = 0;
    for (const graph::JobVertex& vertex : spec.job->vertices()) {
      slots_needed = std::max<int64_t>(slots_needed, vertex.parallelism);
    }
    const int64_t slots = spec.config.get_int("taskmanager.numberOfTaskSlots");
    taskmanager_names = std::max(taskmanager_names, (slots_needed + slots - 1) / slots);
  }
  for (const FaultSpec* fault : ordered) {
    if (fault->kind != FaultKind::kill && fault->kind != FaultKind::restart) continue;
    if (fault->processes.empty()) continue;
    const ProcessRef& process = fault->processes.front();
    // A fault after a moment strikes at a time only the run tells: it may kill any process, and
    // is not questioned, as a kill of 'jobmanager-leader' is not.
    if (fault->after) {
      const bool is_taskmanager =
          process.kind == Kind::taskmanager || process.kind == Kind::taskmanager_of;
      if (fault->kind == FaultKind::kill) {
        any_taskmanager_kill = any_taskmanager_kill || is_taskmanager;
        any_jobmanager_kill = any_jobmanager_kill || !is_taskmanager;
      } else {
        killed_by.erase(process.text);
      }
      continue;
    }
    const bool fixed = process.kind == Kind::jobmanager || process.kind == Kind::taskmanager;
    const std::string at = sim::format_duration(fault->at);
    if (process.kind == Kind::taskmanager && process.index >= taskmanager_names) {
      diagnostics.error(fault->target_location, fault->target_path,
                        "'" + process.text + "' does not exist at " + at +
                            ": on Kubernetes replacement TaskManagers continue the numbering, but "
                            "only " + std::to_string(taskmanager_names) +
                            " TaskManagers can exist by then (" +
                            taskmanager_range_text(taskmanager_names) + ")");
      continue;
    }
    if (fault->kind == FaultKind::kill) {
      const bool is_taskmanager =
          process.kind == Kind::taskmanager || process.kind == Kind::taskmanager_of;
      any_taskmanager_kill = any_taskmanager_kill || is_taskmanager;
      any_jobmanager_kill = any_jobmanager_kill || !is_taskmanager;
      if (is_taskmanager && spec.cluster.deployment == Deployment::kubernetes) ++taskmanager_names;
      if (!fixed) continue;
      const auto [previous, fresh] = killed_by.emplace(process.text, fault);
      if (!fresh) {
        diagnostics.error(fault->target_location, fault->target_path,
                          "'" + process.text + "' is already dead at " + at + " (killed at " +
                              sim::format_duration(previous->second->at) + " by " +
                              previous->second->path + ", not restarted since)");
      }
      continue;
    }
    // restart
    const bool maybe_killed = process.kind == Kind::taskmanager ? any_taskmanager_kill
                                                                : any_jobmanager_kill;
    if (killed_by.erase(process.text) == 0 && !maybe_killed) {
      diagnostics.error(fault->target_location, fault->target_path,
                        "restart of '" + process.text + "' at " + at +
                            ", but no earlier fault kills it (it is still running)");
    }
  }
}

void check_job_references(ScenarioSpec& spec, Diagnostics& diagnostics) {
  if (!spec.job) return;
  const graph::JobGraph& job = *spec.job;
  std::vector<std::string> names;
  for (const graph::JobVertex& vertex : job.vertices()) {
    for (const graph::ChainedOperator& op : vertex.operators) names.push_back(op.name);
  }
  const auto check_task = [&](const TaskRef& task, const FaultSpec& fault) {
    const std::optional<graph::JobVertexId> id = job.find_vertex(task.vertex);
    if (!id) {
      diagnostics.error(fault.target_location, fault.target_path,
                        "unknown vertex '" + task.vertex + "'" + did_you_mean(task.vertex, names));
    } else if (task.subtask >= job.vertex(*id).parallelism) {
      diagnostics.error(fault.target_location, fault.target_path,
                        "task '" + task.to_string() + "' does not exist: '" + task.vertex +
                            "' has parallelism " + std::to_string(job.vertex(*id).parallelism));
    }
  };
  // A moment's task: the same checks, reported at the `after:` value.
  const auto check_moment_task = [&](const TaskRef& task, const FaultSpec& fault) {
    FaultSpec at_moment;
    at_moment.target_location = fault.after_location;
    at_moment.target_path = fault.path + ".after";
    check_task(task, at_moment);
  };
  for (const FaultSpec& fault : spec.faults) {
    if (fault.kind == FaultKind::fail_task) check_task(fault.task, fault);
    if (fault.after_task) check_moment_task(*fault.after_task, fault);
    if (fault.after_jobmanager && *fault.after_jobmanager >= spec.cluster.jobmanagers) {
      diagnostics.error(fault.after_location, fault.path + ".after",
                        "the moment names 'jobmanager-" + std::to_string(*fault.after_jobmanager) +
                            "' but the cluster has " + std::to_string(spec.cluster.jobmanagers) +
                            " JobManager(s)");
    }
    for (const ProcessRef& process : fault.processes) {
      if (process.kind == ProcessRef::Kind::taskmanager_of) check_task(process.task, fault);
    }
  }
  // Flink's default slot sharing: the job needs as many slots as its largest parallelism. A
  // standalone cluster never gains TaskManagers, so more than it can ever offer cannot run.
  int64_t slots_needed = 0;
  for (const graph::JobVertex& vertex : job.vertices()) {
    slots_needed = std::max<int64_t>(slots_needed, vertex.parallelism);
  }
  const int64_t slots_available =
      spec.cluster.total_taskmanagers() * spec.config.get_int("taskmanager.numberOfTaskSlots");
  if (spec.cluster.deployment == Deployment::kubernetes && slots_needed > slots_available) {
    // Flink's active ResourceManager starts as many TaskManagers as the job lacks
    // (slotmanager.number-of-slots.max is unbounded by default), and so does the model: not an
    // error, but the job only starts once they have registered.
    const int64_t slots_per_taskmanager = spec.config.get_int("taskmanager.numberOfTaskSlots");
    const int64_t missing = slots_needed - slots_available;
    add_warning(spec, format_warning(
                          spec.job_node ? spec.job_node->location() : SourceLocation{spec.file, 0, 0},
                          "the job needs " + std::to_string(slots_needed) +
                              " slots but the cluster starts with " +
                              std::to_string(slots_available) +
                              "; the active ResourceManager will start " +
                              std::to_string((missing + slots_per_taskmanager - 1) /
                                             slots_per_taskmanager) +
                              " more TaskManagers, each ready after taskmanager-startup"));
  }
  if (spec.cluster.deployment == Deployment::standalone && slots_needed > slots_available) {
    const SourceLocation where =
        spec.job_node ? spec.job_node->location() : SourceLocation{spec.file, 0, 0};
    diagnostics.error(where, "job",
                      "the job needs " + std::to_string(slots_needed) +
                          " slots (its largest parallelism) but the standalone cluster has only " +
                          std::to_string(slots_available) + " (" +
                          std::to_string(spec.cluster.total_taskmanagers()) +
                          " taskmanagers x taskmanager.numberOfTaskSlots " +
                          std::to_string(spec.config.get_int("taskmanager.numberOfTaskSlots")) + ")");
  }
}

// The earliest-written of the explicitly set keys starting with `prefix`, for errors about a
// combination of keys.
SourceLocation first_config_location(const ScenarioSpec& spec, std::string_view prefix) {
  std::optional<SourceLocation> best;
  for (const auto& [key, location] : spec.config_locations) {
    if (!key.starts_with(prefix)) continue;
    if (!best || std::pair(location.line, location.column) < std::pair(best->line, best->column)) {
      best = location;
    }
  }
  return best.value_or(SourceLocation{spec.file, 0, 0});
}

// HeartbeatServices rejects an interval of zero and a timeout shorter than the interval.
void check_heartbeat(const ScenarioSpec& spec, Diagnostics& diagnostics) {
  const sim::Duration interval = spec.config.get_duration("heartbeat.interval");
  const sim::Duration timeout = spec.config.get_duration("heartbeat.timeout");
  if (interval == sim::Duration::zero()) {
    diagnostics.error(config_location(spec, "heartbeat.interval"), "config.heartbeat.interval",
                      "heartbeat.interval must be longer than zero");
  } else if (timeout < interval) {
    const std::string key =
        spec.config_locations.count("heartbeat.timeout") ? "heartbeat.timeout" : "heartbeat.interval";
    diagnostics.error(config_location(spec, key), "config." + key,
                      "heartbeat.timeout (" + sim::format_duration(timeout) +
                          ") is shorter than heartbeat.interval (" +
                          sim::format_duration(interval) +
                          "); Flink requires timeout >= interval");
  }
}

// The restart strategy is built here once, so that parameters Flink's factories reject (an
// initial backoff above the maximum, a zero failure-rate interval, ...) are input errors and
// never reach the model.
void check_restart_strategy(const ScenarioSpec& spec, Diagnostics& diagnostics) {
  const sim::Result<strategies::RestartStrategyOptions> options = restart_strategy_options(spec.config);
  std::string problem;
  if (!options.ok()) {
    problem = options.error().message;
  } else {
    sim::Rng rng(spec.seed);
    const auto strategy = strategies::create_restart_backoff_time_strategy(options.value(), rng);
    if (!strategy.ok()) problem = strategy.error().message;
  }
  if (problem.empty()) return;
  diagnostics.error(first_config_location(spec, "restart-strategy"), "config",
                    "invalid restart strategy (" +
                        std::string(strategies::to_string(options.ok()
                                                              ? options.value().effective_type()
                                                              : strategies::RestartStrategyType::none)) +
                        "): " + problem);
}

// Where a size error points: the key that sets it if the file has one, else the job.
SourceLocation size_location(const ScenarioSpec& spec, const NodeRef* root, const char* key) {
  if (root && root->child(key).node.IsDefined()) return root->child(key).location();
  return spec.job_node ? spec.job_node->location() : SourceLocation{spec.file, 1, 1};
}

void check_run_size(const ScenarioSpec& spec, const NodeRef* root, Diagnostics& diagnostics) {
  const RunSizeEstimate estimate = estimate_run_size(spec);
  const std::string duration = sim::format_duration(spec.duration);
  if (estimate.simulated_source_records > kMaxSimulatedSourceRecords) {
    diagnostics.error(size_location(spec, root, "duration"), "duration",
                      fmt::format("the run would simulate about {:.3g} source records (the sources' "
                                  "parallelism x rate over {}, / records-per-simulated-record {}), "
                                  "beyond the ceiling of 10^10 (hours of computation a run); "
                                  "shorten the duration, lower the rates or set "
                                  "simulation.records-per-simulated-record",
                                  estimate.simulated_source_records, duration,
                                  estimate.records_per_simulated_record));
  }
  if (estimate.heartbeat_messages > kMaxHeartbeatMessages) {
    diagnostics.error(size_location(spec, root, "cluster"), "cluster",
                      fmt::format("the run would exchange about {:.3g} heartbeat messages ({} "
                                  "TaskManagers x 4 every heartbeat.interval over {}), beyond the "
                                  "ceiling of 10^10 (hours of computation a run); use fewer "
                                  "TaskManagers or a shorter duration",
                                  estimate.heartbeat_messages, spec.cluster.total_taskmanagers(), duration));
  }
  if (estimate.tasks > kMaxTasks || estimate.input_channels > kMaxInputChannels) {
    diagnostics.error(size_location(spec, root, "job"), "job",
                      fmt::format("the job has {:.3g} tasks and {:.3g} input channels (an ALL_TO_ALL "
                                  "edge has producer x consumer parallelism of them), beyond the "
                                  "ceilings of 10^6 tasks and 10^7 channels; lower the parallelism",
                                  estimate.tasks, estimate.input_channels));
  }
}

// `execution.target` names the deployment mode too (DeploymentOptions.TARGET): an application
// or per-job target runs the job's main in the cluster. It must agree with `cluster.deployment`
// and `cluster.deployment-mode` where those are written.
void check_deployment_target(ScenarioSpec& spec, Diagnostics& diagnostics) {
  const std::optional<std::string> target = spec.config.get_optional_enum("execution.target");
  if (!target) return;
  const SourceLocation where = config_location(spec, "execution.target");
  const bool application = target->ends_with("-application") || *target == "yarn-per-job";
  const DeploymentMode implied = application ? DeploymentMode::application : DeploymentMode::session;
  if (spec.cluster.deployment_mode && *spec.cluster.deployment_mode != implied) {
    diagnostics.error(where, "config", "execution.target '" + *target + "' is " +
                                          (application ? "an application" : "a session") +
                                          " target, but cluster.deployment-mode says otherwise");
  }
  spec.cluster.deployment_mode = implied;
  if (target->starts_with("kubernetes-") && spec.cluster.deployment != Deployment::kubernetes) {
    diagnostics.error(where, "config", "execution.target '" + *target +
                                           "' deploys on Kubernetes: set cluster.deployment: "
                                           "kubernetes");
  }
  if (target->starts_with("yarn-")) {
    add_warning(spec, format_warning(where, "YARN is not simulated: execution.target '" + *target +
                                                "' runs as a standalone cluster in this mode"));
  }
}

// Kubernetes leader election (fabric8's LeaderElector) needs positive times: a zero retry
// period would retry without pause, a zero lease or renew deadline would never hold.
void check_kubernetes_leader_election(const ScenarioSpec& spec, Diagnostics& diagnostics) {
  for (const std::string name : {"lease-duration", "renew-deadline", "retry-period"}) {
    const std::string key = "high-availability.kubernetes.leader-election." + name;
    if (spec.config.get_duration(key) > sim::Duration::zero()) continue;
    diagnostics.error(config_location(spec, key), "config." + key,
                      key + " must be longer than zero");
  }
}

// Incremental checkpoints need a backend that has them: Flink's HashMapStateBackend has no
// incremental snapshot strategy and takes full snapshots whatever the option says, silently;
// flinksim says so, since the option then changes nothing.
void check_state_backend(ScenarioSpec& spec) {
  const std::string backend = spec.config.get_enum("state.backend.type");
  if (backend == "hashmap" && spec.config.get_bool("execution.checkpointing.incremental")) {
    add_warning(spec, format_warning(config_location(spec, "execution.checkpointing.incremental"),
                                     "execution.checkpointing.incremental has no effect with "
                                     "state.backend.type hashmap: its snapshots are always full"));
  }
  if (backend == "forst") {
    add_warning(spec, format_warning(config_location(spec, "state.backend.type"),
                                     "state.backend.type forst is simulated as rocksdb (its remote "
                                     "state and fast restore are not simulated)"));
  }
}

void check_consistency(ScenarioSpec& spec, const NodeRef* root, Diagnostics& diagnostics) {
  const FlinkConfiguration& config = spec.config;
  if (spec.cluster.jobmanagers > 1 && config.get_enum("high-availability.type") == "none") {
    const SourceLocation where = root ? root->child("cluster").child("jobmanagers").location()
                                      : config_location(spec, "high-availability.type");
    diagnostics.error(where, "cluster.jobmanagers",
                      std::to_string(spec.cluster.jobmanagers) +
                          " jobmanagers need high availability: set high-availability.type to "
                          "zookeeper or kubernetes");
  }
  if (config.get_bool("execution.state-recovery.approximate-local-recovery") &&
      config.get_bool("execution.checkpointing.unaligned.enabled")) {
    diagnostics.error(config_location(spec, "execution.state-recovery.approximate-local-recovery"),
                      "config",
                      "approximate local recovery cannot be combined with unaligned checkpoints "
                      "(execution.checkpointing.unaligned.enabled), as in Flink");
  }
  if (config.get_bool("execution.batch.job-recovery.enabled") &&
      config.get_enum("high-availability.type") == "none") {
    add_warning(spec, format_warning(config_location(spec, "execution.batch.job-recovery.enabled"),
                                     "execution.batch.job-recovery.enabled has no effect without "
                                     "high availability (high-availability.type is none)"));
  }
  check_deployment_target(spec, diagnostics);
  check_kubernetes_leader_election(spec, diagnostics);
  check_state_backend(spec);
  check_heartbeat(spec, diagnostics);
  check_restart_strategy(spec, diagnostics);
  check_job_references(spec, diagnostics);
  check_fault_timeline(spec, diagnostics);
  check_run_size(spec, root, diagnostics);
}

// The job as it runs: the loaded operators chained as the configuration says, every time the
// configuration may have changed (--conf, --strategy).
void chain_job(ScenarioSpec& spec) {
  if (!spec.stream_graph) return;
  spec.stream_graph->set_approximate_local_recovery(
      spec.config.get_bool("execution.state-recovery.approximate-local-recovery"));
  spec.job = graph::chain_operators(*spec.stream_graph, chaining_options(spec.config));
}

void read_job(const NodeRef& root, ScenarioSpec& spec, Diagnostics& diagnostics) {
  require(root, "job", diagnostics);
  const NodeRef job = root.child("job");
  if (!job.node.IsDefined()) return;
  spec.job_node = job;
  spec.stream_graph = load_job(job, diagnostics);
  chain_job(spec);
}

}  // namespace

std::optional<ScenarioSpec> load_scenario_text(std::string_view text, const std::string& file,
                                               Diagnostics& diagnostics) {
  const size_t errors_before = diagnostics.size();
  const std::optional<NodeRef> root = parse_yaml(text, file, diagnostics);
  if (!root) return std::nullopt;
  ScenarioSpec spec;
  spec.file = file;
  spec.content_hash = fnv1a_64_hex(text);
  const std::vector<std::string> keys{"name",   "description", "seed",   "duration", "cluster",  "network",
                                      "simulation", "config", "job", "faults", "expect"};
  if (!check_keys(*root, keys, diagnostics) && !root->node.IsMap()) return std::nullopt;
  read_header(*root, spec, diagnostics);
  read_cluster(root->child("cluster"), spec.cluster, diagnostics);
  read_network(root->child("network"), spec.network, diagnostics);
  read_simulation(root->child("simulation"), spec.simulation, diagnostics);
  if (root->child("config").node.IsDefined()) {
    ConfigReader{spec, diagnostics, {}}.read(root->child("config"), "", 0);
  }
  read_job(*root, spec, diagnostics);
  FaultReader(spec, diagnostics).read(root->child("faults"), spec);
  check_job_actions(spec, diagnostics);
  read_expect(root->child("expect"), spec.expect, diagnostics);
  check_consistency(spec, &*root, diagnostics);
  if (diagnostics.size() != errors_before) return std::nullopt;
  return spec;
}

std::optional<ScenarioSpec> load_scenario(const std::string& path, Diagnostics& diagnostics) {
  const std::optional<std::string> text = read_bounded_text(path, diagnostics);
  if (!text) return std::nullopt;
  return load_scenario_text(*text, path, diagnostics);
}

const std::vector<std::string>& strategy_names() {
  static const std::vector<std::string> names{"full", "restart-all", "region", "approximate",
                                              "approximate-local"};
  return names;
}

std::optional<ScenarioSpec> apply_overrides(const ScenarioSpec& spec,
                                            const ScenarioOverrides& overrides,
                                            Diagnostics& diagnostics) {
  const size_t errors_before = diagnostics.size();
  ScenarioSpec out = spec;
  const SourceLocation command_line{kCommandLine, 0, 0};
  const auto set = [&](const std::string& key, const std::string& value, const std::string& flag) {
    Diagnostics local;
    std::vector<std::string> warnings;
    if (out.config.set(key, value, command_line, local, &warnings)) {
      if (const ConfigOptionSpec* option = find_config_option(key)) {
        out.config_locations[option->key] = command_line;
        warn_if_not_simulated(key, option->key, command_line, out.warnings);
      }
    }
    for (const Diagnostic& diagnostic : local.errors()) {
      diagnostics.error(diagnostic.location, flag, diagnostic.message);
    }
    for (const std::string& warning : warnings) {
      out.warnings.push_back(format_warning(command_line, warning));
    }
  };
  for (const std::string& entry : overrides.conf) {
    const size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      diagnostics.error(command_line, "--conf", "expected KEY=VALUE, got '" + entry + "'");
      continue;
    }
    set(std::string(trim_spaces(entry.substr(0, equals))), entry.substr(equals + 1), "--conf");
    out.conf_overrides.push_back(entry);
  }
  if (overrides.seed) out.seed = *overrides.seed;
  if (overrides.strategy) {
    const size_t index = find_enum_value(*overrides.strategy, strategy_names());
    if (index == strategy_names().size()) {
      diagnostics.error(command_line, "--strategy",
                        "unknown strategy '" + *overrides.strategy + "'" +
                            did_you_mean(*overrides.strategy, strategy_names()) +
                            ", expected full, region or approximate");
    } else {
      const std::string& name = strategy_names()[index];
      const bool approximate = name.starts_with("approximate");
      set("jobmanager.execution.failover-strategy", approximate ? "region" : name, "--strategy");
      set("execution.state-recovery.approximate-local-recovery", approximate ? "true" : "false",
          "--strategy");
    }
  }
  chain_job(out);
  check_consistency(out, nullptr, diagnostics);
  if (diagnostics.size() != errors_before) return std::nullopt;
  return out;
}

std::optional<ScenarioSpec> apply_overrides(const ScenarioSpec& spec,
                                            std::span<const std::string> conf,
                                            Diagnostics& diagnostics) {
  ScenarioOverrides overrides;
  overrides.conf.assign(conf.begin(), conf.end());
  return apply_overrides(spec, overrides, diagnostics);
}

}  // namespace flinksim::scenarios
