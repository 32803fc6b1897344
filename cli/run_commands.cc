// `flinksim run`: runs a scenario and its failure-free reference, checks the expectations and
// prints a summary (or the contract's JSON object with --json).

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>

#include "cli/commands.h"
#include "scenarios/job_actions_output.h"
#include "cli/output_options.h"
#include "model/execution_state.h"
#include "scenarios/committed_output.h"
#include "scenarios/failover_groups.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"
#include "sim/chrome_trace.h"

namespace flinksim::cli {
namespace {

struct RunArguments {
  std::string scenario;
  std::optional<uint64_t> seed;
  std::optional<std::string> strategy;
  std::vector<std::string> conf;
  OutputOptions output;
  bool progress = false;
  std::optional<uint64_t> max_events;
  std::optional<double> max_wall_seconds;
  std::string trace_file;
  std::string trace_text_file;
  std::string output_file;
  bool buggify = false;
};

// "[1 x355, 2]": consecutive restores from the same checkpoint counted, so that a run with
// hundreds of failovers still fits a line.
template <typename Id>
std::string restore_runs(const std::vector<Id>& restored) {
  std::vector<std::string> runs;
  for (size_t i = 0; i < restored.size();) {
    size_t j = i;
    while (j < restored.size() && restored[j] == restored[i]) ++j;
    runs.push_back(j - i == 1 ? fmt::format("{}", restored[i])
                              : fmt::format("{} x{}", restored[i], j - i));
    i = j;
  }
  return fmt::format("[{}]", fmt::join(runs, ", "));
}

// The summary lists this many lines of failovers (one per cause); --json has all of them.
constexpr size_t kFailoversListed = 20;

// "FAILED: Recovery is suppressed by NoRestartBackoffTimeStrategy" — Flink's reason with the
// status, so a failed job never reads like a finished one.
std::string final_status_text(const model::RunMetrics& m) {
  const std::string status(model::to_string(m.final_status));
  if (m.final_status != model::JobStatus::failed || !m.failure_reason) return status;
  return status + ": " + *m.failure_reason;
}

// "finished at 181.4 s (reference 101.4 s, +80.0 s)": what the faults cost a bounded job.
void print_finish(const scenarios::RunResult& result) {
  const std::optional<sim::Instant>& finished = result.run.metrics.finished_at;
  const std::optional<sim::Instant>& reference = result.reference.metrics.finished_at;
  if (!finished || !reference) return;
  const sim::Duration late = *finished - *reference;
  std::cout << fmt::format("finished at {} (reference {}, {}{})\n", scenarios::seconds_text(*finished),
                           scenarios::seconds_text(*reference), late < sim::Duration::zero() ? "" : "+",
                           scenarios::seconds_text(late));
}

// " (5 re-ran, 3 never started)": a batch region's consumers still waiting for their input are
// reset with it but lose no work. Nothing when every restarted task had started.
std::string restarted_split(const model::RunMetrics& m) {
  if (m.tasks_restarted_not_started == 0) return "";
  return fmt::format(" ({} re-ran, {} never started)", m.tasks_restarted - m.tasks_restarted_not_started,
                     m.tasks_restarted_not_started);
}

void print_exactly_once(const scenarios::RunResult& result) {
  if (!result.exactly_once_not_checked.empty()) {
    std::cout << fmt::format("exactly-once  not checked ({})\n", result.exactly_once_not_checked);
    return;
  }
  if (!result.exactly_once) return;
  const checks::ExactlyOnceVerdict& v = *result.exactly_once;
  const std::string missing =
      v.records_missing == 0 ? ""
                             : fmt::format(", {} missing: {}", v.records_missing, v.missing_reason);
  // The final state is named only when it differs: a restart dropped records from it (or counted
  // them twice into it) that the output alone may not show.
  const bool state_differs = !v.state_matches_reference.value_or(true);
  std::cout << fmt::format(
      "exactly-once  {} (output {} the reference{}; {} records lost, {} duplicated{})\n",
      v.exactly_once() ? "yes" : "NO", v.output_matches_reference ? "matches" : "differs from",
      state_differs ? ", final state differs" : "", v.records_lost, v.records_duplicated, missing);
}

// One line per cause (the tasks of a lost TaskManager together), at most kFailoversListed.
void print_failovers(const model::RunMetrics& m) {
  const std::vector<scenarios::FailoverGroup> groups = scenarios::group_failovers(m.failover_log);
  size_t listed = 0;
  for (size_t i = 0; i < groups.size() && i < kFailoversListed; ++i) {
    std::cout << "  " << scenarios::failover_line(groups[i]) << "\n";
    listed += groups[i].failovers;
  }
  if (m.failover_log.size() > listed) {
    std::cout << fmt::format("  ... {} more failovers (--json lists all)\n",
                             m.failover_log.size() - listed);
  }
}

void print_expectations(const scenarios::RunResult& result) {
  if (result.partial()) {
    std::cout << "expectations  not checked (partial run)\n";
  } else if (result.failed_expectations.empty()) {
    std::cout << "expectations  all hold\n";
  }
  for (const std::string& failure : result.failed_expectations) {
    std::cout << "EXPECTATION FAILED: " << failure << "\n";
  }
}

void print_summary(const scenarios::RunResult& result) {
  const model::RunMetrics& m = result.run.metrics;
  if (result.partial()) {
    std::cout << fmt::format("PARTIAL       {}: the figures below cover only the part that ran\n",
                             result.partial_reason);
  }
  std::cout << fmt::format("scenario      {}\n", result.scenario);
  std::cout << fmt::format("strategy      {}\n", result.strategy);
  std::cout << fmt::format("final status  {}\n", final_status_text(m));
  print_finish(result);
  std::cout << fmt::format("failovers     {}\n", m.failovers);
  std::cout << fmt::format("tasks restarted {}{}\n", m.tasks_restarted, restarted_split(m));
  if (m.recovery_time_max) {
    std::cout << fmt::format("recovery time {} ms\n", m.recovery_time_max->count_milliseconds());
  }
  std::cout << fmt::format("downtime      {} ms\n", m.downtime.count_milliseconds());
  if (const std::optional<int64_t> caught_up = result.caught_up_ms()) {
    std::cout << fmt::format("caught up     {:.1f} s after the fault (max lag {} records)\n",
                             static_cast<double>(*caught_up) / 1000,
                             m.data_plane.max_lag_records * result.records_per_simulated_record);
  }
  if (m.checkpoints) {
    std::cout << fmt::format("checkpoints   {} completed, {} failed, restored from {}\n",
                             m.checkpoints->completed, m.checkpoints->failed,
                             restore_runs(m.checkpoints->restored_from));
  }
  std::cout << scenarios::job_actions_text(m);
  print_exactly_once(result);
  if (m.sink_transactions_timed_out > 0) {
    std::cout << fmt::format("sink store    {} transactions timed out and aborted ({} records)\n",
                             m.sink_transactions_timed_out,
                             m.sink_records_timed_out * result.records_per_simulated_record);
  }
  print_failovers(m);
  for (const scenarios::FaultNotApplied& fault : result.faults_not_applied) {
    std::cout << fmt::format("warning       fault at {} not applied: {} ({})\n",
                             scenarios::seconds_text(fault.at), fault.reason, fault.fault);
  }
  std::cout << fmt::format("simulation    {} events, {} virtual s, {:.0f} ms wall, trace {}\n",
                           result.run.events,
                           result.run.virtual_time.milliseconds_since_start() / 1000,
                           result.run.wall_seconds * 1000, result.run.trace_hash);
  if (result.records_per_simulated_record > 1) {
    std::cout << fmt::format("              a simulated record stood for {} records of its key; counts are in records\n",
                             result.records_per_simulated_record);
  }
  print_expectations(result);
}

// --- bounded runs ----------------------------------------------------------------------------

// Set by the SIGINT handler and read by the run between events. Global because a signal handler
// can reach nothing else; std::atomic<bool> is lock-free, so storing to it is async-signal-safe.
std::atomic<bool> interrupt_requested{false};

extern "C" void on_interrupt(int) {
  interrupt_requested.store(true, std::memory_order_relaxed);
  // A second Ctrl-C ends the process at once, as the user expects of a run that seems stuck.
  std::signal(SIGINT, SIG_DFL);
}

// Installs on_interrupt for the lifetime of the scope and puts back what was there.
class InterruptScope {
 public:
  InterruptScope() {
    interrupt_requested.store(false);
    previous_ = std::signal(SIGINT, on_interrupt);
  }
  ~InterruptScope() { std::signal(SIGINT, previous_); }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  void (*previous_)(int) = SIG_DFL;
};

// "faulty run 123.4 s of 600.0 s virtual (10%), 2.1 M events/s, ETA 45 s".
std::string progress_text(const scenarios::RunProgress& progress) {
  const double rate = progress.wall_seconds > 0 ? progress.events / progress.wall_seconds : 0;
  const std::optional<double> eta = progress.eta_seconds();
  return fmt::format("{} {} of {} virtual ({:.1f}%), {:.1f} M events/s, ETA {}", progress.phase,
                     scenarios::seconds_text(progress.virtual_time),
                     scenarios::seconds_text(progress.virtual_duration),
                     progress.fraction_done() * 100, rate / 1e6,
                     eta ? fmt::format("{:.0f} s", *eta) : std::string("unknown"));
}

// Progress goes to stderr when it is a terminal (one line, rewritten) or with --progress (one
// line per report), never with --quiet.
std::function<void(const scenarios::RunProgress&)> progress_printer(const RunArguments& arguments) {
  if (arguments.output.quiet) return nullptr;
  const bool terminal = isatty(STDERR_FILENO) == 1;
  if (!terminal && !arguments.progress) return nullptr;
  return [terminal](const scenarios::RunProgress& progress) {
    std::cerr << (terminal ? "\r\033[K" : "") << "progress: " << progress_text(progress)
              << (terminal ? "" : "\n") << std::flush;
  };
}

scenarios::RunLimits run_limits(const RunArguments& arguments) {
  scenarios::RunLimits limits;
  limits.max_events = arguments.max_events;
  limits.max_wall_seconds = arguments.max_wall_seconds;
  limits.interrupted = &interrupt_requested;
  limits.on_progress = progress_printer(arguments);
  return limits;
}

scenarios::RunResult run_bounded(const scenarios::ScenarioSpec& spec, scenarios::RunSettings settings,
                                 const RunArguments& arguments) {
  settings.limits = run_limits(arguments);
  const bool terminal_progress = settings.limits.on_progress && isatty(STDERR_FILENO) == 1;
  InterruptScope interrupt_scope;
  scenarios::RunResult result = scenarios::run_scenario(spec, settings);
  // Ends the rewritten progress line (an empty line when none was printed is harmless).
  if (terminal_progress) std::cerr << "\r\033[K" << std::flush;
  if (result.partial()) {
    std::cerr << fmt::format("flinksim: PARTIAL run, {} (exit {})\n", result.partial_reason,
                             result.exit_code());
  }
  return result;
}

// The sinks' committed records so far, one sample per commit instant, on the sink store's track.
std::vector<sim::CounterSample> committed_records_counter(const scenarios::RunResult& result) {
  std::vector<sim::CounterSample> samples;
  int64_t committed = 0;
  for (const model::CommittedRecord& record : result.run.metrics.committed_output) {
    committed += record.record.window_end >= 0 ? 1 : result.records_per_simulated_record;
    if (!samples.empty() && samples.back().time == record.committed_at) {
      samples.back().value = committed;
    } else {
      samples.push_back({record.committed_at, "sink-store", "committed records", committed});
    }
  }
  return samples;
}

// How flinksim's trace maps onto Perfetto tracks: task components (VERTEX:SUBTASK) show their
// ExecutionState as slices, ended by the crash of the TaskManager they were deployed on;
// processes and the fault injector are the "cluster" group; injected faults and failovers are
// drawn across all tracks; checkpoints share one lane; committed records are a counter.
sim::ChromeTraceOptions chrome_trace_options(const scenarios::RunResult& result) {
  sim::ChromeTraceOptions options;
  options.title = result.scenario;
  options.placement_kind = std::string(model::to_string(model::ExecutionState::deploying));
  options.host_end_kinds = {"crashed"};
  options.single_lane_spans = {"checkpoint"};
  options.counters = committed_records_counter(result);
  // Arrows from each injected fault to the JobMaster noticing it (a lost TaskManager, a failed
  // task), the failover it decided and the first task deployed again.
  options.flow_steps = {{"inject"}, {"disconnect taskmanager", "task failed"}, {"failover"},
                        {std::string(model::to_string(model::ExecutionState::deploying))}};
  options.flow_name = "recovery";
  for (int state = 0; state <= static_cast<int>(model::ExecutionState::failed); ++state) {
    options.state_kinds.emplace_back(model::to_string(static_cast<model::ExecutionState>(state)));
  }
  options.global_kinds = {"inject", "heal", "failover"};
  options.group_of = [](std::string_view component) {
    return std::string(component.find(':') != std::string_view::npos ? "tasks" : "cluster");
  };
  return options;
}

void write_traces(const scenarios::RunResult& result, const RunArguments& arguments) {
  if (!arguments.trace_file.empty()) {
    std::ofstream out(arguments.trace_file);
    sim::write_chrome_trace(result.run.trace, chrome_trace_options(result), out);
  }
  if (!arguments.trace_text_file.empty()) {
    sim::Trace trace;
    trace.set_capture(true);
    for (const sim::TraceEvent& e : result.run.trace) {
      trace.record(e.time, e.component, e.kind, e.detail, e.phase);
    }
    std::ofstream out(arguments.trace_text_file);
    trace.write_text(out);
  }
}

int run_command(const RunArguments& arguments) {
  scenarios::Diagnostics diagnostics;
  std::optional<scenarios::ScenarioSpec> spec =
      scenarios::load_scenario(arguments.scenario, diagnostics);
  if (spec) {
    scenarios::ScenarioOverrides overrides{arguments.conf, arguments.seed, arguments.strategy};
    spec = scenarios::apply_overrides(*spec, overrides, diagnostics);
  }
  if (!spec) {
    std::cerr << diagnostics.format();
    return 2;
  }
  // Deprecated keys and similar findings: FILE:LINE:COL: warning: ..., never on stdout (--json).
  for (const std::string& warning : spec->warnings) std::cerr << warning << "\n";
  if (arguments.buggify) spec->simulation.buggify = true;
  if (!arguments.output.json) std::cout << "SEED=" << spec->seed << "\n";
  scenarios::RunSettings settings;
  settings.capture_trace = !arguments.trace_file.empty() || !arguments.trace_text_file.empty();
  const scenarios::RunResult result = run_bounded(*spec, settings, arguments);
  write_traces(result, arguments);
  if (!arguments.output_file.empty()) {
    std::ofstream out(arguments.output_file);
    scenarios::write_committed_output(*spec->job, result.run.metrics.committed_output, out);
  }
  if (arguments.output.json) {
    std::cout << result.to_json().dump(2) << "\n";
  } else {
    print_summary(result);
  }
  return result.exit_code();
}

}  // namespace

void register_run_commands(CLI::App& app, ExitCode& exit_code) {
  auto arguments = std::make_shared<RunArguments>();
  CLI::App* run = app.add_subcommand(
      "run", "Run a scenario and its failure-free reference, check its expectations");
  run->footer(
      "Examples:\n"
      "  flinksim run scenarios/library/tm-kill-standby.yaml\n"
      "  flinksim run scenarios/library/tm-kill-standby.yaml --strategy full --seed 7 --json\n"
      "  flinksim run my.yaml --conf heartbeat.timeout=10s --trace run.json   (open in "
      "ui.perfetto.dev)\n"
      "  flinksim run long.yaml --max-wall 60 --progress   (stop after a minute, with what it has)\n"
      "Exit codes: 0 expectations hold, 1 an expectation failed, 2 bad input, 3 liveness failure,\n"
      "4 internal error, 5 stopped by --max-events or --max-wall, 130 interrupted (Ctrl-C); a\n"
      "stopped run prints PARTIAL (\"partial\": true in --json) and checks no expectation.\n"
      "Progress (virtual time, events/s, ETA) goes to stderr after 2 s when it is a terminal.\n"
      "What each figure means (recovery time, downtime, records lost...): flinksim help metrics.");
  run->add_option("scenario", arguments->scenario, "scenario YAML file")->required();
  // The scenario's `seed:` and --seeds allow 0 .. 2^63-1; CLI11 would read -1 as 2^64-1.
  run->add_option("--seed", arguments->seed, "seed 0..9223372036854775807 (overrides the scenario's)")
      ->check(CLI::Range(uint64_t{0}, static_cast<uint64_t>(std::numeric_limits<int64_t>::max())));
  run->add_option("--strategies,--strategy", arguments->strategy,
                  "full | region | approximate (one: run runs one strategy)");
  run->add_option("--conf", arguments->conf, "KEY=VALUE Flink configuration override");
  add_output_flags(*run, arguments->output, "print the result as JSON");
  run->add_flag("--buggify", arguments->buggify,
                "switch on the code-level fault sites (sim/buggify.h) the seed enables, as "
                "`simulation: {buggify: true}` does");
  run->add_flag("--progress", arguments->progress,
                "report progress on stderr even when it is not a terminal (never with --quiet)");
  run->add_option("--max-events", arguments->max_events,
                  "stop after N simulated events (both runs together): partial, exit 5")
      ->check(CLI::Range(uint64_t{1}, std::numeric_limits<uint64_t>::max()));
  run->add_option("--max-wall", arguments->max_wall_seconds,
                  "stop after SECONDS of wall-clock time: partial, exit 5")
      ->check(CLI::Range(0.001, 1e9));
  run->add_option("--trace", arguments->trace_file, "write a Chrome/Perfetto trace-event file");
  run->add_option("--trace-text", arguments->trace_text_file, "write the one-line-per-event trace");
  run->add_option("--output", arguments->output_file,
                  "write the committed sink output, one JSON object per line in commit order");
  run->callback([arguments, &exit_code] {
    const QuietScope quiet(arguments->output.quiet);
    exit_code.value = run_command(*arguments);
  });
}

}  // namespace flinksim::cli
