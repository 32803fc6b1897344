#include "scenarios/job_action_reader.h"

#include <algorithm>
#include <array>

#include "scenarios/fault_moment.h"

namespace flinksim::scenarios {
namespace {

using Kind = model::JobAction::Kind;

struct ActionName {
  std::string key;
  Kind kind;
  std::string target;  // the value it takes
};

const std::array<ActionName, 5>& action_names() {
  static const std::array<ActionName, 5> names{{
      {"savepoint", Kind::savepoint, "job"},
      {"stop-with-savepoint", Kind::stop_with_savepoint, "job"},
      {"cancel", Kind::cancel, "job"},
      {"start-from-savepoint", Kind::start_from_savepoint, "latest"},
      {"start-from-checkpoint", Kind::start_from_checkpoint, "latest"},
  }};
  return names;
}

// The keys each action takes besides `at`/`after` and itself.
std::vector<std::string> extras_of(Kind kind) {
  switch (kind) {
    case Kind::savepoint: return {"format"};
    case Kind::stop_with_savepoint: return {"format", "drain"};
    case Kind::cancel: return {};
    case Kind::start_from_savepoint:
    case Kind::start_from_checkpoint:
      return {"claim-mode", "allow-non-restored-state", "parallelism", "max-parallelism"};
  }
  return {};
}

bool read_when(const NodeRef& entry, const ScenarioSpec& spec, model::JobAction& action,
               Diagnostics& diagnostics) {
  const NodeRef after = entry.child("after");
  if (after.node.IsDefined()) {
    if (entry.child("at").node.IsDefined()) {
      diagnostics.error(after.location(), after.path,
                        "an action happens either at a time ('at') or after a moment ('after'), not both");
      return false;
    }
    const std::optional<std::string> text = read_string(after, diagnostics);
    if (!text) return false;
    const sim::Result<ParsedMoment> moment = parse_fault_moment(*text);
    if (!moment.ok()) {
      diagnostics.error(after.location(), after.path, moment.error().message);
      return false;
    }
    action.after = moment.value().moment;
    action.at = sim::Instant::max();
    return true;
  }
  const std::optional<sim::Duration> at = read_duration(entry.child("at"), diagnostics);
  if (!at) {
    if (!entry.child("at").node.IsDefined()) {
      diagnostics.error(entry.location(), entry.path, "missing required key 'at' (or 'after')");
    }
    return false;
  }
  if (*at > spec.duration) {
    diagnostics.error(entry.child("at").location(), entry.child("at").path,
                      "action at " + sim::format_duration(*at) + " is after the end of the run (" +
                          sim::format_duration(spec.duration) + ")");
    return false;
  }
  action.at = sim::Instant::zero() + *at;
  return true;
}

bool read_target(const NodeRef& target, const ActionName& name, Diagnostics& diagnostics) {
  const std::optional<std::string> text = read_string(target, diagnostics);
  if (!text) return false;
  if (*text == name.target) return true;
  diagnostics.error(target.location(), target.path,
                    "'" + name.key + "' takes '" + name.target + "', got '" + *text + "'");
  return false;
}

void read_options(const NodeRef& entry, model::JobAction& action, Diagnostics& diagnostics) {
  static const std::vector<std::string> formats{"canonical", "native"};
  if (auto format = read_enum(entry.child("format"), formats, diagnostics)) action.native_format = *format == 1;
  if (auto drain = read_bool(entry.child("drain"), diagnostics)) action.drain = *drain;
  static const std::vector<std::string> claim_modes{"no-claim", "claim"};
  if (auto claim = read_enum(entry.child("claim-mode"), claim_modes, diagnostics)) {
    action.claim_mode = *claim == 1 ? model::ClaimMode::claim : model::ClaimMode::no_claim;
  }
  if (auto allow = read_bool(entry.child("allow-non-restored-state"), diagnostics)) {
    action.allow_non_restored_state = *allow;
  }
  for (const char* key : {"parallelism", "max-parallelism"}) {
    const NodeRef node = entry.child(key);
    if (!node.node.IsDefined()) continue;
    diagnostics.error(node.location(), node.path,
                      std::string("'") + key +
                          "' on restore (rescaling by key groups) is not simulated yet: the job "
                          "restarts with the parallelism it was written with");
  }
}

}  // namespace

bool read_job_action(const NodeRef& entry, ScenarioSpec& out, Diagnostics& diagnostics) {
  if (!entry.node.IsMap()) return false;
  std::vector<const ActionName*> present;
  for (const ActionName& name : action_names()) {
    if (entry.child(name.key).node.IsDefined()) present.push_back(&name);
  }
  if (present.empty()) return false;
  if (present.size() > 1) {
    diagnostics.error(entry.location(), entry.path,
                      "an action takes exactly one of savepoint, stop-with-savepoint, cancel, "
                      "start-from-savepoint, start-from-checkpoint; got '" + present[0]->key +
                          "' and '" + present[1]->key + "'");
    return true;
  }
  const ActionName& name = *present.front();
  std::vector<std::string> keys{"at", "after", name.key};
  for (const std::string& extra : extras_of(name.kind)) keys.push_back(extra);
  bool ok = check_keys(entry, keys, diagnostics);
  JobActionSpec spec;
  spec.location = entry.location();
  spec.path = entry.path;
  spec.action.kind = name.kind;
  spec.action.text = name.key + ": " + name.target;
  ok = read_when(entry, out, spec.action, diagnostics) && ok;
  ok = read_target(entry.child(name.key), name, diagnostics) && ok;
  const size_t errors = diagnostics.size();
  read_options(entry, spec.action, diagnostics);
  if (spec.action.drain) spec.action.text += " (drain)";
  if (ok && diagnostics.size() == errors) out.job_actions.push_back(std::move(spec));
  return true;
}

void check_job_actions(const ScenarioSpec& spec, Diagnostics& diagnostics) {
  if (spec.job_actions.empty()) return;
  const JobActionSpec& first = spec.job_actions.front();
  if (!spec.config.get_optional_duration("execution.checkpointing.interval")) {
    diagnostics.error(first.location, first.path,
                      "operator actions need execution.checkpointing.interval: savepoints of a job "
                      "without periodic checkpoints are not simulated");
  }
  const std::string ha_type = spec.config.get_enum("high-availability.type");
  if (ha_type == "none") return;
  // savepoint, stop-with-savepoint and cancel go to the leader's Dispatcher as without HA; the
  // job's end is recorded in the job result store and its HA data cleaned up. A resubmission
  // is not modelled with HA: Flink gives the new submission its own JobID (its own execution
  // plan, checkpoint store and job result), while the model's HA stores hold the one job, whose
  // FINISHED result would make a later leader drop the resubmitted job.
  for (const JobActionSpec& action : spec.job_actions) {
    if (!action.action.submits()) continue;
    diagnostics.error(action.location, action.path,
                      "'" + action.action.text + "' with high-availability.type '" + ha_type +
                          "' is not simulated yet: the new submission needs its own job id in "
                          "the HA stores (execution plan, checkpoints, job result) and they hold "
                          "one job; savepoint, stop-with-savepoint and cancel are simulated");
  }
}

}  // namespace flinksim::scenarios
