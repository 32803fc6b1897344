// `regions`, `failover`, `backoff` and `graph`: the decision core of the simulator, answerable
// from the command line without running a simulation (SCENARIOS.md §3). Bad input prints
// diagnostics with file:line:col and exits 2.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/output_options.h"
#include "model/graph/execution_graph.h"
#include "model/graph/graphviz.h"
#include "model/graph/pipelined_regions.h"
#include "scenarios/flink_configuration.h"
#include "scenarios/job_loader.h"
#include "scenarios/restart_strategy_options.h"
#include "scenarios/yaml_document.h"
#include "strategies/failover_strategy.h"
#include "strategies/restart_backoff_time_strategy_factory.h"

namespace flinksim::cli {
namespace {

constexpr int kExitBadInput = 2;
const scenarios::SourceLocation kCommandLine{"<command line>", 0, 0};

void print_json(const nlohmann::json& value) { std::cout << value.dump() << "\n"; }

// Reports diagnostics and marks the command as failed with bad input.
void fail(const scenarios::Diagnostics& diagnostics, ExitCode& exit_code) {
  std::cerr << diagnostics.format();
  exit_code.value = kExitBadInput;
}

void fail(const std::string& path, const std::string& message, ExitCode& exit_code) {
  scenarios::Diagnostics diagnostics;
  diagnostics.error(kCommandLine, path, message);
  fail(diagnostics, exit_code);
}

struct LoadedJob {
  graph::ExecutionGraph graph;
  graph::PipelinedRegions regions;
};

std::optional<graph::JobGraph> load_job_or_fail(const std::string& file, ExitCode& exit_code) {
  scenarios::Diagnostics diagnostics;
  std::optional<graph::JobGraph> job = scenarios::load_chained_job_file(file, diagnostics);
  if (!job) fail(diagnostics, exit_code);
  return job;
}

std::optional<LoadedJob> expand_or_fail(const graph::JobGraph& job, ExitCode& exit_code) {
  auto graph = graph::ExecutionGraph::build(job);
  if (!graph.ok()) {
    fail("job", graph.error().message, exit_code);
    return std::nullopt;
  }
  graph::PipelinedRegions regions = graph::compute_pipelined_regions(graph.value());
  return LoadedJob{std::move(graph).value(), std::move(regions)};
}

// --- regions ---------------------------------------------------------------------------------

struct RegionsOptions {
  std::string job_file;
  std::string level = "execution";
  bool json = false;
  bool quiet = false;
};

void run_regions(const RegionsOptions& options, ExitCode& exit_code) {
  const auto job = load_job_or_fail(options.job_file, exit_code);
  if (!job) return;
  std::vector<std::vector<std::string>> regions;
  if (options.level == "logical") {
    regions = graph::logical_region_names(*job);
  } else {
    const auto loaded = expand_or_fail(*job, exit_code);
    if (!loaded) return;
    regions = graph::region_task_names(loaded->graph, loaded->regions);
  }
  if (options.json) {
    print_json(nlohmann::json{{"regions", regions}});
    return;
  }
  std::cout << regions.size() << (regions.size() == 1 ? " region" : " regions") << "\n";
  for (size_t r = 0; r < regions.size(); ++r) {
    std::cout << "region " << r << ":";
    for (const std::string& name : regions[r]) std::cout << " " << name;
    std::cout << "\n";
  }
}

void register_regions(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<RegionsOptions>();
  CLI::App* command = app.add_subcommand("regions", "Print the pipelined regions of a job");
  command->add_option("job", options->job_file, "Job file: {job: ...}, a job map or a scenario")
      ->required();
  command->add_option("--level", options->level, "execution (tasks) or logical (job vertices)")
      ->check(CLI::IsMember({"execution", "logical"}));
  command->add_flag("--json", options->json, "Print {\"regions\": [[...], ...]}");
  add_quiet_flag(*command, options->quiet);
  command->footer(
      "Regions and their members are sorted as strings (\"v:10\" before \"v:2\").\n"
      "Examples:\n"
      "  flinksim regions scenarios/library/region-failover-forward-job.yaml --json");
  command->callback([options, &exit_code] {
    const QuietScope quiet(options->quiet);
    run_regions(*options, exit_code);
  });
}

// --- failover --------------------------------------------------------------------------------

struct FailoverOptions {
  std::string job_file;
  std::string strategy = "region";
  std::string failed_task;
  std::vector<std::string> unavailable;
  std::string partition_error;
  bool json = false;
  bool quiet = false;
};

void run_failover(const FailoverOptions& options, ExitCode& exit_code) {
  const auto kind = strategies::parse_failover_strategy_kind(options.strategy);
  if (!kind) {
    fail("--strategy",
         "unknown failover strategy '" + options.strategy +
             "' (expected full, region or approximate; aliases restart-all, approximate-local)",
         exit_code);
    return;
  }
  auto job = load_job_or_fail(options.job_file, exit_code);
  if (!job) return;
  // As --strategy approximate does for `run`: enable approximate local recovery.
  if (*kind == strategies::FailoverStrategyKind::approximate) {
    job->set_approximate_local_recovery(true);
  }
  const auto loaded = expand_or_fail(*job, exit_code);
  if (!loaded) return;
  const graph::ExecutionGraph& graph = loaded->graph;

  scenarios::Diagnostics diagnostics;
  auto failed = graph.parse_task(options.failed_task);
  if (!failed.ok()) diagnostics.error(kCommandLine, "--fail", failed.error().message);
  strategies::UnavailablePartitionSet checker;
  for (const std::string& text : options.unavailable) {
    auto partition = graph.parse_partition(text);
    if (partition.ok()) {
      checker.mark_unavailable(partition.value());
    } else {
      diagnostics.error(kCommandLine, "--unavailable", partition.error().message);
    }
  }
  strategies::FailureCause cause;
  if (!options.partition_error.empty()) {
    auto partition = graph.parse_partition(options.partition_error);
    if (partition.ok()) {
      cause.partition_error = partition.value();
    } else {
      diagnostics.error(kCommandLine, "--partition-error", partition.error().message);
    }
  }
  if (!diagnostics.empty()) {
    fail(diagnostics, exit_code);
    return;
  }
  auto strategy = strategies::make_failover_strategy(*kind, graph, loaded->regions, checker);
  std::vector<std::string> restart;
  for (const auto& id : strategy->tasks_needing_restart(failed.value(), cause)) {
    restart.push_back(graph.task_name(id));
  }
  std::sort(restart.begin(), restart.end());
  if (options.json) {
    print_json(nlohmann::json{{"restart", restart}});
    return;
  }
  std::cout << restart.size() << " of " << graph.vertex_count() << " tasks restart ("
            << strategies::to_string(*kind) << " failover of " << options.failed_task << "):\n";
  for (const std::string& name : restart) std::cout << "  " << name << "\n";
}

void register_failover(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<FailoverOptions>();
  CLI::App* command =
      app.add_subcommand("failover", "Print the tasks a failover strategy restarts");
  command->add_option("job", options->job_file, "Job file: {job: ...}, a job map or a scenario")
      ->required();
  command->add_option("--strategies,--strategy", options->strategy,
                      "full (restart-all), region or approximate (approximate-local)");
  command->add_option("--fail", options->failed_task, "The failed task, VERTEX:SUBTASK")
      ->required();
  command->add_option("--unavailable", options->unavailable,
                      "A result partition the tracker no longer has, PRODUCER->CONSUMER/SUBTASK");
  command->add_option("--partition-error", options->partition_error,
                      "The failure is a PartitionException naming this partition");
  command->add_flag("--json", options->json, "Print {\"restart\": [...]}");
  add_quiet_flag(*command, options->quiet);
  command->footer(
      "Examples:\n"
      "  flinksim failover job.yaml --strategy region --fail source:1 --json\n"
      "  flinksim failover job.yaml --strategy region --fail b:0 --unavailable 'a->b/0'");
  command->callback([options, &exit_code] {
    const QuietScope quiet(options->quiet);
    run_failover(*options, exit_code);
  });
}

// --- backoff ---------------------------------------------------------------------------------

enum class BackoffOp { notify_failure, can_restart, backoff_time };

struct BackoffStep {
  sim::Instant at;
  BackoffOp op;
};

struct BackoffPlan {
  scenarios::FlinkConfiguration configuration;
  uint64_t seed = 1;
  std::vector<BackoffStep> steps;
};

void read_backoff_config(const scenarios::NodeRef& config, BackoffPlan& plan,
                         scenarios::Diagnostics& diagnostics) {
  if (!config.node.IsDefined() || config.node.IsNull()) return;
  if (!config.node.IsMap()) {
    diagnostics.error(config.location(), config.path, "'config' must be a map of Flink keys");
    return;
  }
  for (const auto& entry : config.node) {
    const std::string key = entry.first.Scalar();
    const scenarios::NodeRef value = config.child(key);
    const std::optional<std::string> text = scenarios::read_string(value, diagnostics);
    if (text) plan.configuration.set(key, *text, value.location(), diagnostics);
  }
}

std::optional<BackoffPlan> load_backoff_plan(const std::string& file,
                                             scenarios::Diagnostics& diagnostics) {
  const auto root = scenarios::load_yaml_file(file, diagnostics);
  if (!root) return std::nullopt;
  static const std::vector<std::string> keys = {"config", "seed", "steps"};
  static const std::vector<std::string> step_keys = {"at", "op"};
  static const std::vector<std::string> ops = {"notify_failure", "can_restart", "backoff_time"};
  if (!scenarios::check_keys(*root, keys, diagnostics) && !root->node.IsMap()) return std::nullopt;
  BackoffPlan plan;
  read_backoff_config(root->child("config"), plan, diagnostics);
  if (auto seed = scenarios::read_int(root->child("seed"), 0, INT64_MAX, diagnostics)) {
    plan.seed = static_cast<uint64_t>(*seed);
  }
  const scenarios::NodeRef steps = root->child("steps");
  if (!steps.node.IsDefined() || !steps.node.IsSequence()) {
    diagnostics.error(steps.node.IsDefined() ? steps.location() : root->location(), steps.path,
                      "'steps' must be a list of {at, op}");
    return std::nullopt;
  }
  sim::Instant previous = sim::Instant::zero();
  for (size_t i = 0; i < steps.node.size(); ++i) {
    const scenarios::NodeRef step = steps.element(i);
    if (!scenarios::check_keys(step, step_keys, diagnostics) && !step.node.IsMap()) continue;
    const scenarios::NodeRef at_node = step.child("at");
    const auto at = scenarios::read_duration(at_node, diagnostics);
    const auto op = scenarios::read_enum(step.child("op"), ops, diagnostics);
    if (!at_node.node.IsDefined()) diagnostics.error(step.location(), step.path, "missing key 'at'");
    if (!step.child("op").node.IsDefined()) {
      diagnostics.error(step.location(), step.path, "missing key 'op'");
    }
    if (!at || !op) continue;
    const sim::Instant instant = sim::Instant::zero() + *at;
    if (instant < previous) {
      diagnostics.error(at_node.location(), at_node.path, "step times must not decrease");
    }
    previous = instant;
    plan.steps.push_back(BackoffStep{instant, static_cast<BackoffOp>(*op)});
  }
  if (!diagnostics.empty()) return std::nullopt;
  return plan;
}

struct BackoffOptions {
  std::string steps_file;
  bool json = false;
  bool quiet = false;
};

void run_backoff(const BackoffOptions& options, ExitCode& exit_code) {
  scenarios::Diagnostics diagnostics;
  auto plan = load_backoff_plan(options.steps_file, diagnostics);
  if (!plan) {
    fail(diagnostics, exit_code);
    return;
  }
  const scenarios::SourceLocation config_location{options.steps_file, 0, 0};
  auto restart_options = scenarios::restart_strategy_options(plan->configuration);
  if (!restart_options.ok()) {
    diagnostics.error(config_location, "config", restart_options.error().message);
    fail(diagnostics, exit_code);
    return;
  }
  sim::Rng rng(plan->seed);
  auto strategy = strategies::create_restart_backoff_time_strategy(restart_options.value(), rng);
  if (!strategy.ok()) {
    diagnostics.error(config_location, "config", strategy.error().message);
    fail(diagnostics, exit_code);
    return;
  }
  nlohmann::json results = nlohmann::json::array();
  for (const BackoffStep& step : plan->steps) {
    nlohmann::json result;
    std::string text;
    switch (step.op) {
      case BackoffOp::notify_failure: {
        const bool new_attempt = strategy.value()->notify_failure(step.at);
        result = {{"new_attempt", new_attempt}};
        text = std::string("notify_failure -> ") + (new_attempt ? "new attempt" : "merged");
        break;
      }
      case BackoffOp::can_restart: {
        const bool value = strategy.value()->can_restart(step.at);
        result = {{"value", value}};
        text = std::string("can_restart -> ") + (value ? "true" : "false");
        break;
      }
      case BackoffOp::backoff_time: {
        const auto backoff = strategy.value()->backoff_time(step.at);
        if (backoff.ok()) {
          result = {{"ms", backoff.value().count_milliseconds()}};
          text = "backoff_time -> " + std::to_string(backoff.value().count_milliseconds()) + " ms";
        } else {
          result = {{"error", backoff.error().message}};
          text = "backoff_time -> error: " + backoff.error().message;
        }
        break;
      }
    }
    results.push_back(result);
    if (!options.json) std::cout << sim::format_duration(step.at.since_start()) << ": " << text << "\n";
  }
  if (options.json) print_json(nlohmann::json{{"results", results}});
}

void register_backoff(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<BackoffOptions>();
  CLI::App* command =
      app.add_subcommand("backoff", "Replay restart-backoff decisions over a timeline");
  command->add_option("steps", options->steps_file, "STEPS file: {config, seed, steps: [{at, op}]}")
      ->required();
  command->add_flag("--json", options->json, "Print {\"results\": [...]}");
  add_quiet_flag(*command, options->quiet);
  command->footer(
      "Examples:\n"
      "  flinksim backoff steps.yaml --json, where steps.yaml is\n"
      "  config: {restart-strategy.type: fixed-delay, restart-strategy.fixed-delay.attempts: 1}\n"
      "  steps: [{at: 0 ms, op: notify_failure}, {at: 0 ms, op: can_restart}]");
  command->callback([options, &exit_code] {
    const QuietScope quiet(options->quiet);
    run_backoff(*options, exit_code);
  });
}

// --- graph -----------------------------------------------------------------------------------

struct GraphOptions {
  std::string file;
  bool dot = false;
  OutputOptions output;
};

void print_graph_text(const LoadedJob& loaded) {
  const graph::JobGraph& job = loaded.graph.job_graph();
  std::cout << "job " << (job.name().empty() ? "job" : job.name()) << " ("
            << graph::to_string(job.mode()) << ")\n";
  for (const graph::JobVertex& v : job.vertices()) {
    std::cout << "  vertex " << v.name << ": parallelism " << v.parallelism
              << ", max parallelism " << v.max_parallelism;
    if (v.is_chain()) {
      std::cout << ", chain " << graph::display_name(v);
    } else if (v.operator_spec.kind != graph::OperatorKind::none) {
      std::cout << ", operator " << graph::to_string(v.operator_spec.kind);
    }
    std::cout << "\n";
  }
  for (uint32_t e = 0; e < job.edges().size(); ++e) {
    const graph::JobEdge& edge = job.edges()[e];
    std::cout << "  edge " << job.vertex(edge.producer).name << " -> "
              << job.vertex(edge.consumer).name << ": " << graph::to_string(edge.distribution)
              << ", " << graph::flink_name(job.result_type_of(graph::JobEdgeId{e})) << "\n";
  }
  const auto regions = graph::region_task_names(loaded.graph, loaded.regions);
  std::cout << loaded.graph.vertex_count() << " tasks, " << loaded.graph.partition_count()
            << " result partitions, " << regions.size() << " pipelined regions\n";
  for (size_t r = 0; r < regions.size(); ++r) {
    std::cout << "  region " << r << ":";
    for (const std::string& name : regions[r]) std::cout << " " << name;
    std::cout << "\n";
  }
}

// The text output's content, for scripts: vertices and edges as the job declares them.
nlohmann::json graph_json(const LoadedJob& loaded) {
  const graph::JobGraph& job = loaded.graph.job_graph();
  nlohmann::json vertices = nlohmann::json::array();
  for (const graph::JobVertex& v : job.vertices()) {
    // A chain's operators, head first ({name, operator}); an unchained vertex has one.
    nlohmann::json operators = nlohmann::json::array();
    for (const graph::ChainedOperator& op : v.operators) {
      operators.push_back({{"name", op.name}, {"operator", std::string(graph::to_string(op.spec.kind))}});
    }
    vertices.push_back({{"name", v.name},
                        {"parallelism", v.parallelism},
                        {"max_parallelism", v.max_parallelism},
                        {"operator", std::string(graph::to_string(v.operator_spec.kind))},
                        {"task_name", graph::display_name(v)},
                        {"operators", operators}});
  }
  nlohmann::json edges = nlohmann::json::array();
  for (uint32_t e = 0; e < job.edges().size(); ++e) {
    const graph::JobEdge& edge = job.edges()[e];
    edges.push_back({{"from", job.vertex(edge.producer).name},
                     {"to", job.vertex(edge.consumer).name},
                     {"distribution", std::string(graph::to_string(edge.distribution))},
                     {"result", std::string(graph::flink_name(job.result_type_of(graph::JobEdgeId{e})))}});
  }
  return {{"job", job.name().empty() ? "job" : job.name()},
          {"mode", std::string(graph::to_string(job.mode()))},
          {"vertices", vertices},
          {"edges", edges},
          {"tasks", loaded.graph.vertex_count()},
          {"result_partitions", loaded.graph.partition_count()},
          {"regions", graph::region_task_names(loaded.graph, loaded.regions)}};
}

void run_graph(const GraphOptions& options, ExitCode& exit_code) {
  const auto job = load_job_or_fail(options.file, exit_code);
  if (!job) return;
  const auto loaded = expand_or_fail(*job, exit_code);
  if (!loaded) return;
  if (options.dot) {
    std::cout << graph::to_dot(loaded->graph, loaded->regions);
  } else if (options.output.json) {
    print_json(graph_json(*loaded));
  } else {
    print_graph_text(*loaded);
  }
}

void register_graph(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<GraphOptions>();
  CLI::App* command =
      app.add_subcommand("graph", "Show the job and execution graph with its pipelined regions");
  command->add_option("file", options->file, "Job or scenario file")->required();
  command->add_flag("--dot", options->dot, "Print Graphviz DOT, tasks coloured by region");
  add_output_flags(*command, options->output,
                   "Print {\"job\", \"mode\", \"vertices\", \"edges\", \"tasks\", "
                   "\"result_partitions\", \"regions\"}");
  command->footer("Example: flinksim graph job.yaml --dot | dot -Tsvg > job.svg");
  command->callback([options, &exit_code] {
    const QuietScope quiet(options->output.quiet);
    run_graph(*options, exit_code);
  });
}

}  // namespace

void register_graph_commands(CLI::App& app, ExitCode& exit_code) {
  register_regions(app, exit_code);
  register_failover(app, exit_code);
  register_backoff(app, exit_code);
  register_graph(app, exit_code);
}

}  // namespace flinksim::cli
