// `compare`, `sweep`, `merge` and `report`: many runs of one scenario (strategies x seeds x a
// varied key), stored in the SQLite results database, and the comparison report drawn from it.
// The work is in reports/; this file parses arguments, maps every failure to an exit code
// (2 for bad input, an unusable database or an unwritable output) and prints.

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <thread>

#include "cli/commands.h"
#include "cli/output_options.h"
#include "reports/comparison_table.h"
#include "reports/merge.h"
#include "reports/progress.h"
#include "reports/report.h"
#include "reports/results_store.h"
#include "reports/scenario_job.h"
#include "reports/store_error.h"
#include "reports/sweep_plan.h"
#include "reports/sweep_runner.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::cli {
namespace {

constexpr int kExitBadInput = 2;

// Bad input found by this file: printed as "flinksim COMMAND: MESSAGE", exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

size_t default_jobs() { return std::max<size_t>(1, std::thread::hardware_concurrency()); }

scenarios::ScenarioSpec load(const std::string& path) {
  scenarios::Diagnostics diagnostics;
  std::optional<scenarios::ScenarioSpec> spec = scenarios::load_scenario(path, diagnostics);
  if (!spec) throw scenarios::InputError(std::move(diagnostics));
  for (const std::string& warning : spec->warnings) std::cerr << warning << "\n";
  return std::move(*spec);
}

reports::SeedRange seeds_or(const std::string& text, uint64_t fallback) {
  if (text.empty()) return reports::SeedRange{fallback, fallback};
  std::string error;
  const std::optional<reports::SeedRange> seeds = reports::parse_seed_range(text, error);
  if (!seeds) throw UsageError(error);
  return *seeds;
}

std::vector<std::string> split_list(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    size_t start = 0;
    while (start <= item.size()) {
      const size_t comma = std::min(item.find(',', start), item.size());
      if (comma > start) out.push_back(item.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

// The strategies of a comma-separated list, each checked against the names `--strategy` accepts.
std::vector<std::string> strategy_list(const std::vector<std::string>& items) {
  std::vector<std::string> strategies = split_list(items);
  const std::vector<std::string>& known = scenarios::strategy_names();
  for (const std::string& strategy : strategies) {
    std::string lower;
    for (const char c : strategy) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::find(known.begin(), known.end(), lower) == known.end()) {
      throw UsageError("unknown strategy '" + strategy + "'" + scenarios::did_you_mean(strategy, known) +
                       ", expected full, region or approximate");
    }
  }
  return strategies;
}

// Runs the plan's jobs, storing each result as it arrives.
void execute(const reports::SweepPlan& plan, size_t jobs, reports::ResultsStore& store,
             std::optional<reports::ProgressStyle> style) {
  std::optional<reports::Progress> progress;
  if (style) progress.emplace(std::cerr, *style, plan.jobs.size());
  reports::run_jobs(
      plan.jobs, reports::WorkerCount{jobs},
      [&plan](const reports::SweepJob& job) { return reports::run_sweep_job(plan, job); },
      [&](reports::RunRecord&& record) {
        store.insert(record);
        if (progress) progress->advance();
      });
  if (progress) progress->finish();
}

// The stored runs of the plan (all variants, all seeds), in report order.
std::vector<reports::RunRecord> planned_records(const reports::ResultsStore& store,
                                                const reports::SweepPlan& plan) {
  std::set<reports::RunKey> keys;
  for (const reports::SweepJob& job : plan.jobs) keys.insert(job.key);
  std::vector<reports::RunRecord> records = store.records();
  std::erase_if(records, [&](const reports::RunRecord& record) { return !keys.contains(record.key); });
  return records;
}

// Writes the HTML report to `html` ("-": stdout) and the Markdown one to `markdown`, where given.
void write_reports(const reports::ResultsStore& store, const std::string& html, const std::string& markdown) {
  std::string absent;
  const std::optional<reports::Gnuplot> gnuplot = reports::Gnuplot::find(reports::process_environment(), absent);
  std::string graphs_absent;
  const std::optional<reports::Graphviz> graphviz = reports::Graphviz::find(reports::process_environment(), graphs_absent);
  const reports::Report report(store, gnuplot, absent, graphviz, graphs_absent);
  if (html == "-") {
    std::cout << reports::render_html(report);
  } else if (!html.empty()) {
    reports::write_html_report(report, html);
    std::cerr << "report: " << html << "\n";
  }
  if (!markdown.empty()) {
    reports::write_markdown_report(report, markdown);
    std::cerr << "report: " << markdown << "\n";
  }
  if (!absent.empty()) std::cerr << "report: charts are absent: " << absent << "\n";
  if (!graphs_absent.empty()) std::cerr << "report: job graphs are absent: " << graphs_absent << "\n";
}

// Runs `command`, mapping every kind of bad input to a message and exit code 2.
int guarded(const std::string& name, const std::function<int()>& command) {
  try {
    return command();
  } catch (const scenarios::InputError& e) {
    std::cerr << e.diagnostics().format();
  } catch (const reports::StoreError& e) {
    std::cerr << "flinksim " << name << ": " << e.what() << "\n";
  } catch (const UsageError& e) {
    std::cerr << "flinksim " << name << ": " << e.what() << "\n";
  } catch (const std::runtime_error& e) {
    std::cerr << "flinksim " << name << ": " << e.what() << "\n";
  }
  return kExitBadInput;
}

// ---- compare ---------------------------------------------------------------------------------

struct CompareArguments {
  std::string scenario;
  std::vector<std::string> strategies{"full", "region", "approximate"};
  std::string seeds;
  std::vector<std::string> conf;
  size_t jobs = default_jobs();
  std::string db;
  std::string report;
  std::string markdown;
  bool json = false;
  bool quiet = false;
};

void print_json(const std::vector<reports::RunRecord>& records) {
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (const reports::RunRecord& record : records) {
    nlohmann::ordered_json run = nlohmann::ordered_json::parse(record.run_json);
    // The report's details (job graph, checkpoint history) are the database's, not `run --json`'s.
    run.erase("report");
    runs.push_back(std::move(run));
  }
  std::cout << runs.dump(2) << "\n";
}

int compare_command(const CompareArguments& arguments) {
  const scenarios::ScenarioSpec scenario = load(arguments.scenario);
  reports::SweepRequest request;
  request.seeds = seeds_or(arguments.seeds, scenario.seed);
  request.strategies = strategy_list(arguments.strategies);
  request.conf = arguments.conf;
  reports::SweepPlan plan = reports::plan_sweep(scenario, request);
  for (const reports::RejectedVariant& rejected : plan.rejected) {
    std::cerr << "compare: strategy '" << rejected.strategy << "' skipped, the scenario does not allow it:\n"
              << rejected.diagnostics;
  }
  if (plan.variants.empty()) throw UsageError("no strategy left to compare");
  // Without --db the runs live in memory only, long enough to print and report them.
  reports::ResultsStore store(arguments.db.empty() ? ":memory:" : arguments.db, reports::OpenMode::read_write);
  if (!arguments.json) std::cout << "SEEDS=" << request.seeds.to_string() << "\n";
  const reports::SweepPlan complete = plan;
  reports::drop_stored(plan, store.keys());
  if (plan.jobs.size() < complete.jobs.size()) {
    std::cerr << fmt::format("compare: reusing {} runs stored in {}\n", complete.jobs.size() - plan.jobs.size(),
                             arguments.db);
  }
  execute(plan, arguments.jobs, store,
          isatty(STDERR_FILENO) ? std::optional(reports::ProgressStyle::terminal) : std::nullopt);
  const std::vector<reports::RunRecord> records = planned_records(store, complete);
  if (arguments.json) {
    print_json(records);
  } else {
    std::cout << "scenario " << scenario.name << " (" << arguments.scenario << ")\n";
    std::cout << reports::format_comparison_table(reports::group_runs(records));
  }
  if (!arguments.report.empty() || !arguments.markdown.empty()) {
    write_reports(store, arguments.report, arguments.markdown);
  }
  return 0;
}

void register_compare(CLI::App& app, ExitCode& exit_code) {
  auto arguments = std::make_shared<CompareArguments>();
  CLI::App* command = app.add_subcommand(
      "compare", "Run a scenario under several failover strategies and seeds; print them side by side.");
  command->add_option("scenario", arguments->scenario, "scenario YAML file")->required();
  command->add_option("--strategies,--strategy", arguments->strategies, "comma-separated: full,region,approximate")
      ->delimiter(',');
  command->add_option("--seeds", arguments->seeds, "seeds A..B or N (default: the scenario's seed)");
  command->add_option("--conf", arguments->conf, "KEY=VALUE Flink configuration override (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->add_option("--jobs", arguments->jobs, "runs in parallel (default: all cores)")
      ->check(CLI::Range(size_t{1}, size_t{1024}));
  command->add_option("--db", arguments->db, "also store the runs in this results database; stored runs are reused");
  command->add_option("--report", arguments->report, "write an HTML report of the database (or of these runs)");
  command->add_option("--markdown", arguments->markdown, "write a Markdown report with SVG charts beside it");
  command->add_flag("--json", arguments->json, "print the runs as a JSON list of `run --json` objects");
  add_quiet_flag(*command, arguments->quiet);
  command->footer(
      "Example: flinksim compare scenarios/library/region-failover-forward-job.yaml --strategies full,region "
      "--seeds 1..20 --report report.html\n"
      "Exit code 0 once the runs are done, whatever their expectations say (see the table); 2 for bad input.");
  command->callback([arguments, &exit_code] {
    const QuietScope quiet(arguments->quiet);
    exit_code.value = guarded("compare", [&] { return compare_command(*arguments); });
  });
}

// ---- sweep -----------------------------------------------------------------------------------

struct SweepArguments {
  std::string scenario;
  std::string seeds;
  size_t jobs = default_jobs();
  std::string shard;
  std::optional<uint64_t> shards;
  std::string db;
  bool resume = false;
  std::string vary;
  std::vector<std::string> strategies;
  std::vector<std::string> conf;
  bool quiet = false;
};

std::optional<reports::Shard> resolve_shard(const SweepArguments& arguments) {
  std::string error;
  if (!arguments.shard.empty()) {
    const std::optional<reports::Shard> shard = reports::parse_shard(arguments.shard, error);
    if (!shard) throw UsageError(error);
    return shard;
  }
  const std::optional<reports::Shard> shard =
      reports::shard_from_environment(reports::process_environment(), arguments.shards, error);
  if (!error.empty()) throw UsageError(error);
  return shard;
}

reports::SweepPlan plan_for(const scenarios::ScenarioSpec& scenario, const SweepArguments& arguments,
                            reports::SweepRequest& request) {
  if (!arguments.vary.empty()) {
    std::string error;
    request.vary = reports::parse_vary(arguments.vary, error);
    if (!request.vary) throw UsageError(error);
  }
  request.strategies = strategy_list(arguments.strategies);
  request.conf = arguments.conf;
  reports::SweepPlan plan = reports::plan_sweep(scenario, request);
  if (!plan.rejected.empty()) {
    std::string text;
    for (const reports::RejectedVariant& rejected : plan.rejected) text += rejected.diagnostics;
    throw UsageError("the scenario rejects these overrides:\n" + text);
  }
  return plan;
}

int sweep_command(const SweepArguments& arguments) {
  const scenarios::ScenarioSpec scenario = load(arguments.scenario);
  reports::SweepRequest request;
  request.seeds = seeds_or(arguments.seeds, 0);
  const std::optional<reports::Shard> shard = resolve_shard(arguments);
  reports::SweepPlan plan = plan_for(scenario, arguments, request);
  if (shard) reports::keep_shard(plan, request.seeds, *shard);
  reports::ResultsStore store(arguments.db, reports::OpenMode::read_write);
  const size_t planned = plan.jobs.size();
  const std::set<reports::RunKey> stored = store.keys();
  reports::drop_stored(plan, stored);
  const size_t already = planned - plan.jobs.size();
  if (already > 0 && !arguments.resume) {
    throw UsageError(fmt::format("{} already holds {} of these {} runs; pass --resume to run only the missing "
                                 "ones, or use another --db",
                                 arguments.db, already, planned));
  }
  std::cerr << fmt::format("sweep: {} seeds {}{} x {} variants: {} runs to do, {} already stored, {} workers\n",
                           scenario.name, request.seeds.to_string(), shard ? " shard " + shard->to_string() : "",
                           plan.variants.size(), plan.jobs.size(), already, arguments.jobs);
  const double start = reports::Progress::steady_seconds();
  std::optional<reports::ProgressStyle> style;
  if (!arguments.quiet) {
    style = isatty(STDERR_FILENO) ? reports::ProgressStyle::terminal : reports::ProgressStyle::lines;
  }
  execute(plan, arguments.jobs, store, style);
  const double seconds = reports::Progress::steady_seconds() - start;
  std::cerr << fmt::format("sweep: {} runs in {:.1f} s ({:.0f} runs/min); {} holds {} runs\n", plan.jobs.size(),
                           seconds, seconds > 0 ? static_cast<double>(plan.jobs.size()) * 60 / seconds : 0.0,
                           arguments.db, store.size());
  return 0;
}

void register_sweep(CLI::App& app, ExitCode& exit_code) {
  auto arguments = std::make_shared<SweepArguments>();
  CLI::App* command = app.add_subcommand(
      "sweep", "Run a scenario over many seeds in parallel; store one row per run in a SQLite database.");
  command->add_option("scenario", arguments->scenario, "scenario YAML file")->required();
  command->add_option("--seeds", arguments->seeds, "seeds A..B (inclusive) or N")->required();
  command->add_option("--db", arguments->db, "results database (created when missing)")->required();
  command->add_option("--jobs", arguments->jobs, "worker threads (default: all cores)")
      ->check(CLI::Range(size_t{1}, size_t{1024}));
  command->add_option("--shard", arguments->shard,
                      "K/N: run every N-th seed starting with the K-th (K counts from 0); default from "
                      "JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID");
  command->add_option("--shards", arguments->shards,
                      "shard count for JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID (or FLINKSIM_SHARDS)");
  command->add_flag("--resume", arguments->resume, "complete a sweep: run only the runs not stored yet");
  command->add_option("--vary", arguments->vary, "KEY=v1,v2,...: also run every value of a Flink configuration key");
  command->add_option("--strategy,--strategies", arguments->strategies,
                      "failover strategies, comma-separated (default: the scenario's)")
      ->delimiter(',');
  command->add_option("--conf", arguments->conf, "KEY=VALUE Flink configuration override (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->add_flag("--quiet", arguments->quiet, "no progress output");
  command->footer(
      "Example: flinksim sweep scenarios/library/region-failover-forward-job.yaml --seeds 1..1000 --jobs 2 "
      "--strategies full,region --db sweep.db\n"
      "Exit code 0 once every run is stored, whatever the runs' expectations say; 2 for bad input.");
  command->callback([arguments, &exit_code] {
    exit_code.value = guarded("sweep", [&] { return sweep_command(*arguments); });
  });
}

// ---- merge, report ---------------------------------------------------------------------------

// {"output": "sweep.db", "inputs": [{"path": "shard-0.db", "runs": 500, "new": 500}, ...]}
void print_merge_json(const std::string& output, const std::vector<reports::MergeInputSummary>& inputs) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const reports::MergeInputSummary& input : inputs) {
    list.push_back({{"path", input.path}, {"runs", input.runs}, {"new", input.inserted}});
  }
  std::cout << nlohmann::ordered_json{{"output", output}, {"inputs", list}}.dump(2) << "\n";
}

void register_merge(CLI::App& app, ExitCode& exit_code) {
  struct MergeArguments {
    std::vector<std::string> files;
    OutputOptions output;
  };
  auto arguments = std::make_shared<MergeArguments>();
  CLI::App* command = app.add_subcommand("merge", "Combine the results databases of sweep shards.");
  command->add_option("files", arguments->files, "OUT.db IN.db...")->required()->expected(2, 1 << 20);
  add_output_flags(*command, arguments->output, "print what each input added as JSON");
  command->footer("Example: flinksim merge sweep.db shard-0.db shard-1.db shard-2.db");
  command->callback([arguments, &exit_code] {
    const QuietScope quiet(arguments->output.quiet);
    exit_code.value = guarded("merge", [&] {
      const std::vector<std::string>& files = arguments->files;
      const std::vector<std::string> inputs(files.begin() + 1, files.end());
      const std::vector<reports::MergeInputSummary> merged = reports::merge_results(files.front(), inputs);
      if (arguments->output.json) {
        print_merge_json(files.front(), merged);
        return 0;
      }
      for (const reports::MergeInputSummary& input : merged) {
        std::cout << fmt::format("{}: {} runs, {} new\n", input.path, input.runs, input.inserted);
      }
      return 0;
    });
  });
}

void register_report(CLI::App& app, ExitCode& exit_code) {
  struct ReportArguments {
    std::string db;
    std::string html;
    std::string markdown;
    OutputOptions output;
  };
  auto arguments = std::make_shared<ReportArguments>();
  CLI::App* command = app.add_subcommand(
      "report", "Write the comparison report of a results database: tables per strategy, gnuplot charts.");
  command->add_option("db", arguments->db, "results database")->required();
  command->add_option("-o,--output", arguments->html, "self-contained HTML file");
  command->add_option("--markdown", arguments->markdown, "Markdown file; SVG charts are written beside it");
  add_output_flags(*command, arguments->output,
                   "print the stored runs as a JSON list of `run --json` objects (as compare --json)");
  command->footer(
      "Example: flinksim report sweep.db -o report.html --markdown report.md\n"
      "Without -o, --markdown and --json the HTML report goes to stdout: flinksim report sweep.db > report.html");
  command->callback([arguments, &exit_code] {
    const QuietScope quiet(arguments->output.quiet);
    exit_code.value = guarded("report", [&] {
      const reports::ResultsStore store(arguments->db, reports::OpenMode::read_only);
      if (arguments->output.json) print_json(store.records());
      const bool to_stdout = arguments->html.empty() && arguments->markdown.empty() && !arguments->output.json;
      const std::string html = to_stdout ? "-" : arguments->html;
      if (!html.empty() || !arguments->markdown.empty()) write_reports(store, html, arguments->markdown);
      return 0;
    });
  });
}

}  // namespace

void register_report_commands(CLI::App& app, ExitCode& exit_code) {
  register_compare(app, exit_code);
  register_sweep(app, exit_code);
  register_merge(app, exit_code);
  register_report(app, exit_code);
}

}  // namespace flinksim::cli
