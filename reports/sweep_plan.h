#pragma once

// What a sweep or comparison runs: every (variant, seed) pair of a scenario, where a variant is one
// strategy and one value of the varied configuration key. Planning applies all command-line
// overrides before anything runs, so a bad `--conf` or `--vary` value is reported at once, and it
// computes every run's key, so that `--resume` and `--shard` are plain filters over the plan.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reports/run_record.h"
#include "reports/seed_range.h"
#include "reports/shard.h"
#include "scenarios/scenario_spec.h"

namespace flinksim::reports {

// `--vary KEY=v1,v2,...`: one Flink configuration key and the values to try, in order.
struct VarySpec {
  std::string key;
  std::vector<std::string> values;
};

std::optional<VarySpec> parse_vary(std::string_view text, std::string& error);

struct SweepRequest {
  SeedRange seeds;
  // Strategy names as given (full, region, approximate, aliases); empty = the scenario's own.
  std::vector<std::string> strategies;
  std::vector<std::string> conf;  // "KEY=VALUE", applied in order before the varied key
  std::optional<VarySpec> vary;
};

// One strategy and one varied value, with every override applied to the scenario.
struct SweepVariant {
  scenarios::ScenarioSpec spec;
  std::string strategy;    // the label stored with the runs
  std::string overrides;   // JSON array of the "KEY=VALUE" overrides, part of the run key
  std::optional<std::string> vary_key;
  std::optional<std::string> vary_value;
};

// A strategy the scenario does not allow (e.g. approximate recovery with unaligned checkpoints).
struct RejectedVariant {
  std::string strategy;     // as requested
  std::string diagnostics;  // formatted, one per line
};

struct SweepJob {
  size_t variant = 0;  // index into SweepPlan::variants
  uint64_t seed = 1;
  RunKey key;
};

struct SweepPlan {
  std::vector<SweepVariant> variants;
  std::vector<RejectedVariant> rejected;
  std::vector<SweepJob> jobs;  // seed by seed, each seed under every variant
};

// Plans every run of `request` over `scenario`; variants the scenario rejects are listed in
// `rejected` rather than thrown.
SweepPlan plan_sweep(const scenarios::ScenarioSpec& scenario, const SweepRequest& request);

// Keeps the jobs of `shard` (see shard.h).
void keep_shard(SweepPlan& plan, const SeedRange& seeds, const Shard& shard);
// Drops the jobs whose key is stored already (`sweep --resume`).
void drop_stored(SweepPlan& plan, const std::set<RunKey>& stored);

}  // namespace flinksim::reports
