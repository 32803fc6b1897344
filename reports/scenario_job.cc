#include "reports/scenario_job.h"

#include "reports/build_commit.h"
#include "reports/metric_columns.h"
#include "reports/run_details.h"
#include "scenarios/runner.h"

namespace flinksim::reports {

std::string build_commit() { return kBuildCommit; }

RunRecord run_sweep_job(const SweepPlan& plan, const SweepJob& job) {
  const SweepVariant& variant = plan.variants.at(job.variant);
  scenarios::ScenarioSpec spec = variant.spec;
  // The same as `run --seed`: apply_overrides only sets the seed.
  spec.seed = job.seed;
  scenarios::RunSettings settings;
  // The trace is kept only to derive the report's details (checkpoint history, failed tasks):
  // the control plane's events, a few thousand a run; the data plane traces no records.
  settings.capture_trace = true;
  const scenarios::RunResult result = scenarios::run_scenario(spec, settings);
  nlohmann::ordered_json json = result.to_json();
  json["report"] = run_details(spec, result);

  RunRecord record;
  record.key = job.key;
  record.scenario = spec.name;
  record.vary_key = variant.vary_key;
  record.vary_value = variant.vary_value;
  record.commit = build_commit();
  record.exit_code = result.exit_code();
  record.run_json = json.dump();
  record.metrics = extract_metrics(json);
  record.series = extract_series(json);
  return record;
}

}  // namespace flinksim::reports
