#include "reports/sweep_plan.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "scenarios/scenario_loader.h"

namespace flinksim::reports {
namespace {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string overrides_json(const std::vector<std::string>& conf) {
  return nlohmann::json(conf).dump();
}

// The variant for one strategy (nullopt: the scenario's own) and one varied value.
std::optional<SweepVariant> make_variant(const scenarios::ScenarioSpec& scenario,
                                         const SweepRequest& request,
                                         const std::optional<std::string>& strategy,
                                         const std::optional<std::string>& vary_value,
                                         std::string& diagnostics_text) {
  scenarios::ScenarioOverrides overrides;
  overrides.conf = request.conf;
  if (vary_value) overrides.conf.push_back(request.vary->key + "=" + *vary_value);
  overrides.strategy = strategy;
  scenarios::Diagnostics diagnostics;
  std::optional<scenarios::ScenarioSpec> spec = scenarios::apply_overrides(scenario, overrides, diagnostics);
  if (!spec) {
    diagnostics_text = diagnostics.format();
    return std::nullopt;
  }
  SweepVariant variant;
  variant.strategy = scenarios::strategy_label(spec->config);
  variant.overrides = overrides_json(overrides.conf);
  if (vary_value) {
    variant.vary_key = request.vary->key;
    variant.vary_value = vary_value;
  }
  variant.spec = std::move(*spec);
  // Runs never reread the YAML; dropping it means worker threads copying the spec share no
  // yaml-cpp nodes at all.
  variant.spec.job_node.reset();
  return variant;
}

}  // namespace

std::optional<VarySpec> parse_vary(std::string_view text, std::string& error) {
  const size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size()) {
    error = "bad --vary '" + std::string(text) + "': expected KEY=v1,v2,...";
    return std::nullopt;
  }
  VarySpec vary{std::string(text.substr(0, equals)), split(text.substr(equals + 1), ',')};
  for (const std::string& value : vary.values) {
    if (value.empty()) {
      error = "bad --vary '" + std::string(text) + "': empty value in the list";
      return std::nullopt;
    }
  }
  return vary;
}

SweepPlan plan_sweep(const scenarios::ScenarioSpec& scenario, const SweepRequest& request) {
  std::vector<std::optional<std::string>> strategies(request.strategies.begin(), request.strategies.end());
  if (strategies.empty()) strategies.push_back(std::nullopt);
  std::vector<std::optional<std::string>> vary_values;
  if (request.vary) vary_values.assign(request.vary->values.begin(), request.vary->values.end());
  if (vary_values.empty()) vary_values.push_back(std::nullopt);

  SweepPlan plan;
  for (const std::optional<std::string>& strategy : strategies) {
    for (const std::optional<std::string>& value : vary_values) {
      std::string diagnostics;
      std::optional<SweepVariant> variant = make_variant(scenario, request, strategy, value, diagnostics);
      if (variant) {
        plan.variants.push_back(std::move(*variant));
      } else if (std::none_of(plan.rejected.begin(), plan.rejected.end(), [&](const RejectedVariant& r) {
                   return r.strategy == strategy.value_or("") && r.diagnostics == diagnostics;
                 })) {
        plan.rejected.push_back({strategy.value_or(""), diagnostics});
      }
    }
  }
  for (uint64_t seed = request.seeds.first;; ++seed) {
    for (size_t index = 0; index < plan.variants.size(); ++index) {
      const SweepVariant& variant = plan.variants[index];
      plan.jobs.push_back({index, seed, RunKey{scenario.content_hash, seed, variant.strategy, variant.overrides}});
    }
    if (seed == request.seeds.last) break;
  }
  return plan;
}

void keep_shard(SweepPlan& plan, const SeedRange& seeds, const Shard& shard) {
  std::erase_if(plan.jobs, [&](const SweepJob& job) { return !shard.contains(seeds, job.seed); });
}

void drop_stored(SweepPlan& plan, const std::set<RunKey>& stored) {
  std::erase_if(plan.jobs, [&](const SweepJob& job) { return stored.contains(job.key); });
}

}  // namespace flinksim::reports
