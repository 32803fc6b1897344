// libFuzzer target: any bytes fed to the scenario loader end in a ScenarioSpec or in diagnostics,
// never in a crash, an assertion, undefined behaviour, a hang or unbounded memory. An accepted
// spec is also turned into ClusterOptions and a FaultPlan, because whatever the loader accepts the
// builder must be able to use (build_cluster_options asserts on what validation missed).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "scenarios/cluster_builder.h"
#include "scenarios/job_loader.h"
#include "scenarios/scenario_loader.h"
#include "sim/assert.h"

namespace {

void check_accepted(const flinksim::scenarios::ScenarioSpec& spec) {
  (void)flinksim::scenarios::build_cluster_options(spec);
  (void)flinksim::scenarios::build_fault_plan(spec, flinksim::scenarios::FaultSelection::as_written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace flinksim::scenarios;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Diagnostics diagnostics;
  const std::optional<ScenarioSpec> spec = load_scenario_text(text, "fuzz.yaml", diagnostics);
  // Exactly one of the two outcomes: a spec without errors, or errors without a spec.
  FLINKSIM_ASSERT(spec.has_value() == diagnostics.empty());
  for (const Diagnostic& diagnostic : diagnostics.errors()) {
    FLINKSIM_ASSERT(!diagnostic.message.empty());
    FLINKSIM_ASSERT(diagnostic.location.file == "fuzz.yaml");
  }
  if (spec) check_accepted(*spec);

  // The same bytes as a standalone job document (`flinksim regions`/`failover`/`graph`).
  Diagnostics job_diagnostics;
  if (const std::optional<NodeRef> root = parse_yaml(text, "fuzz.yaml", job_diagnostics)) {
    const std::optional<flinksim::graph::JobGraph> job = load_job_document(*root, job_diagnostics);
    FLINKSIM_ASSERT(job.has_value() == job_diagnostics.empty());
  }
  return 0;
}
