#pragma once

// Reads operator actions written among the faults (SCENARIOS.md §2, docs/savepoints.md):
//   {at: 20 s, savepoint: job, format: native}
//   {at: 20 s, stop-with-savepoint: job, drain: true}
//   {after: "savepoint completed", cancel: job}
//   {after: "job CANCELED + 5 s", start-from-savepoint: latest, claim-mode: no-claim}
//   {at: 30 s, start-from-checkpoint: latest, allow-non-restored-state: true}
// Every mistake is a diagnostic at its file:line:col.

#include "scenarios/diagnostics.h"
#include "scenarios/scenario_spec.h"
#include "scenarios/yaml_document.h"

namespace flinksim::scenarios {

// Whether `entry` names an operator action; if so it is read into `out.job_actions`.
bool read_job_action(const NodeRef& entry, ScenarioSpec& out, Diagnostics& diagnostics);

// Checks that need the whole scenario (checkpointing on, no high availability); after the config
// and the job were read.
void check_job_actions(const ScenarioSpec& spec, Diagnostics& diagnostics);

}  // namespace flinksim::scenarios
