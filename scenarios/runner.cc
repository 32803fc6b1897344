#include "scenarios/runner.h"

#include "scenarios/job_actions_output.h"

#include "scenarios/cluster_builder.h"
#include "scenarios/record_grouping.h"
#include "scenarios/version.h"
#include "sim/assert.h"
#include "sim/context.h"

namespace flinksim::scenarios {
namespace {

std::string expected_status_name(FinalStatus status) { return std::string(to_string(status)); }

std::string job_status_name(model::JobStatus status) { return std::string(model::to_string(status)); }

void check_expectations(const ScenarioSpec& spec, RunResult& result) {
  // Always on, whatever the scenario expects: a broken safety invariant fails the run.
  if (result.run.metrics.invariant_violation) {
    result.failed_expectations.push_back("invariant: " + *result.run.metrics.invariant_violation);
  }
  const ExpectSpec& expect = spec.expect;
  const model::RunMetrics& metrics = result.run.metrics;
  if (expect.final_status) {
    const std::string expected = expected_status_name(*expect.final_status);
    const std::string actual = job_status_name(metrics.final_status);
    if (expected != actual) {
      result.failed_expectations.push_back("final-status: expected " + expected + ", got " + actual);
      // Not reaching FINISHED/RUNNING in time is a liveness failure, not a wrong answer.
      if ((expected == "FINISHED" || expected == "RUNNING") &&
          (actual == "RUNNING" || actual == "RESTARTING" || actual == "CREATED")) {
        result.liveness_failure = true;
      }
    }
  }
  if (expect.recovery_time_max) {
    if (metrics.unrecovered_episodes > 0) {
      result.failed_expectations.push_back("recovery-time-max: the job had not recovered at the end");
      result.liveness_failure = true;
    } else if (metrics.recovery_time_max && *metrics.recovery_time_max > *expect.recovery_time_max) {
      result.failed_expectations.push_back(
          "recovery-time-max: " + std::to_string(metrics.recovery_time_max->count_milliseconds()) +
          " ms > " + std::to_string(expect.recovery_time_max->count_milliseconds()) + " ms");
    }
  }
  if (expect.tasks_restarted_max && metrics.tasks_restarted > *expect.tasks_restarted_max) {
    result.failed_expectations.push_back("tasks-restarted-max: " + std::to_string(metrics.tasks_restarted) +
                                         " > " + std::to_string(*expect.tasks_restarted_max));
  }
  if (expect.failovers_max && metrics.failovers > *expect.failovers_max) {
    result.failed_expectations.push_back("failovers-max: " + std::to_string(metrics.failovers) + " > " +
                                         std::to_string(*expect.failovers_max));
  }
  if (expect.exactly_once && !result.exactly_once && !result.exactly_once_not_checked.empty()) {
    // An expectation nothing could confirm does not hold.
    result.failed_expectations.push_back(std::string("exactly-once: expected ") +
                                         (*expect.exactly_once ? "true" : "false") +
                                         ", not checked (" + result.exactly_once_not_checked + ")");
  }
  if (expect.exactly_once && result.exactly_once &&
      *expect.exactly_once != result.exactly_once->exactly_once()) {
    const checks::ExactlyOnceVerdict& v = *result.exactly_once;
    result.failed_expectations.push_back(
        std::string("exactly-once: expected ") + (*expect.exactly_once ? "true" : "false") +
        ", output matches reference: " + (v.output_matches_reference ? "yes" : "no") +
        ", records lost " + std::to_string(v.records_lost) + ", duplicated " +
        std::to_string(v.records_duplicated) + ", missing " + std::to_string(v.records_missing));
  }
  if (result.exactly_once) {
    const checks::ExactlyOnceVerdict& v = *result.exactly_once;
    // Records a job that ended never delivers are lost to whoever reads the sink.
    const int64_t undelivered = v.records_lost + v.records_missing;
    if (expect.records_lost_max && undelivered > *expect.records_lost_max) {
      result.failed_expectations.push_back(
          "records-lost-max: " + std::to_string(v.records_lost) + " lost + " +
          std::to_string(v.records_missing) + " missing > " + std::to_string(*expect.records_lost_max));
    }
    if (expect.records_duplicated_max && v.records_duplicated > *expect.records_duplicated_max) {
      result.failed_expectations.push_back("records-duplicated-max: " + std::to_string(v.records_duplicated) +
                                           " > " + std::to_string(*expect.records_duplicated_max));
    }
  }
  if (expect.checkpoints_completed_min) {
    const int64_t completed = metrics.checkpoints ? metrics.checkpoints->completed : 0;
    if (completed < *expect.checkpoints_completed_min) {
      result.failed_expectations.push_back("checkpoints-completed-min: " + std::to_string(completed) + " < " +
                                           std::to_string(*expect.checkpoints_completed_min));
    }
  }
  if (expect.failovers_min && metrics.failovers < *expect.failovers_min) {
    result.failed_expectations.push_back("failovers-min: " + std::to_string(metrics.failovers) + " < " +
                                         std::to_string(*expect.failovers_min));
  }
}

// The longest state read of the restores that began in [from, to) (unset: without that bound),
// in milliseconds; null when none did.
nlohmann::ordered_json restore_ms(const model::RunMetrics& metrics, std::optional<sim::Instant> from,
                                  std::optional<sim::Instant> to) {
  std::optional<sim::Duration> longest;
  for (const auto& [started, took] : metrics.data_plane.restores) {
    if ((from && started < *from) || (to && started >= *to)) continue;
    longest = std::max(longest.value_or(took), took);
  }
  return longest ? nlohmann::ordered_json(longest->count_milliseconds()) : nlohmann::ordered_json(nullptr);
}

std::optional<sim::Instant> next_failover_after(const model::RunMetrics& metrics, sim::Instant time) {
  for (const model::FailoverRecord& record : metrics.failover_log) {
    if (record.time > time) return record.time;
  }
  return std::nullopt;
}

// The real records a committed record stands for: a window result is one record whatever the
// pane held; any other output was caused by one simulated record and stands for as many.
int64_t real_records(const model::CommittedRecord& committed, int64_t records_per_simulated_record) {
  return committed.record.window_end >= 0 ? 1 : records_per_simulated_record;
}

// The oracle counts simulated source records; each stands for n real ones.
void scale_to_real_records(checks::ExactlyOnceVerdict& verdict, int64_t records_per_simulated_record) {
  verdict.records_lost *= records_per_simulated_record;
  verdict.records_duplicated *= records_per_simulated_record;
  verdict.records_missing *= records_per_simulated_record;
  verdict.state_records_lost *= records_per_simulated_record;
  verdict.state_records_duplicated *= records_per_simulated_record;
}

// Records the sinks made visible per second, in buckets of at least 1 s and at most 200 buckets
// over the run: what a user's dashboard of the sink would show, dips and all.
nlohmann::ordered_json output_rate_series(const model::RunMetrics& metrics, sim::Instant end,
                                          int64_t records_per_simulated_record) {
  const int64_t end_ms = std::max<int64_t>(end.milliseconds_since_start(), 1);
  const int64_t bucket_ms = std::max<int64_t>(1000, (end_ms + 199) / 200);
  std::vector<int64_t> counts(static_cast<size_t>(end_ms / bucket_ms + 1), 0);
  for (const model::CommittedRecord& c : metrics.committed_output) {
    const auto bucket = static_cast<size_t>(c.committed_at.milliseconds_since_start() / bucket_ms);
    if (bucket < counts.size()) counts[bucket] += real_records(c, records_per_simulated_record);
  }
  nlohmann::ordered_json series = nlohmann::ordered_json::array();
  for (size_t i = 0; i < counts.size(); ++i) {
    series.push_back({{"t_ms", static_cast<int64_t>(i) * bucket_ms},
                      {"value", static_cast<double>(counts[i]) * 1000.0 / static_cast<double>(bucket_ms)}});
  }
  return series;
}

}  // namespace

std::string seconds_text(sim::Duration duration) {
  const int64_t ms = duration.count_milliseconds();
  const int64_t magnitude = ms < 0 ? -ms : ms;
  std::string fraction = std::to_string(1000 + magnitude % 1000).substr(1);
  while (fraction.size() > 1 && fraction.back() == '0') fraction.pop_back();
  return (ms < 0 ? "-" : "") + std::to_string(magnitude / 1000) + "." + fraction + " s";
}

std::string seconds_text(sim::Instant instant) { return seconds_text(instant - sim::Instant::zero()); }

std::string fault_text(const model::Fault& fault) {
  if (fault.after) {
    model::Fault at_time = fault;
    at_time.after.reset();
    return fault_text(at_time) + " after '" + fault.after->text + "'";
  }
  switch (fault.kind) {
    case model::Fault::Kind::kill: return "kill " + fault.target;
    case model::Fault::Kind::restart: return "restart " + fault.target;
    case model::Fault::Kind::fail_task: return "fail-task " + fault.target;
    case model::Fault::Kind::outage: return "outage " + fault.target;
    case model::Fault::Kind::partition: return "partition " + fault.target + " <-> " + fault.peer;
    case model::Fault::Kind::slow: return "slow " + fault.target + " <-> " + fault.peer;
  }
  return fault.target;
}

RunOutcome run_once(const ScenarioSpec& spec, bool with_faults, bool capture_trace) {
  RunWatch unbounded{RunLimits{}};
  return run_once(spec, with_faults, capture_trace, unbounded, RunProgress{});
}

RunOutcome run_once(const ScenarioSpec& spec, bool with_faults, bool capture_trace, RunWatch& watch,
                    RunProgress phase) {
  const sim::ReplayHintScope hint("SEED=" + std::to_string(spec.seed) + " scenario " + spec.file);
  model::ClusterOptions options = build_cluster_options(spec);
  sim::Context context(spec.seed, options.link);
  context.trace().set_capture(capture_trace);
  if (spec.simulation.buggify) context.buggify().enable();
  model::Cluster cluster(context, std::move(options),
                         build_fault_plan(spec, with_faults ? FaultSelection::as_written
                                                            : FaultSelection::without_faults));
  phase.virtual_duration = spec.duration;
  watch.begin_phase(context.simulation(), std::move(phase));
  cluster.run();
  watch.end_phase(context.simulation());
  RunOutcome outcome;
  outcome.metrics = cluster.metrics();
  const sim::SimulationCounters counters = context.simulation().counters();
  outcome.events = counters.events_executed;
  outcome.virtual_time = counters.virtual_time;
  outcome.wall_seconds = counters.wall_seconds;
  outcome.trace_hash = context.trace().hash_hex();
  outcome.trace = context.trace().events();
  return outcome;
}

namespace {

// A run that ended in an episode it never recovered from (a FAILED job, tasks still down when
// the run stopped) stopped committing at the disruption for good: the failure-free reference
// shows how much longer the job would have made progress, and all of that is downtime too.
void extend_unrecovered_downtime(RunOutcome& run, const RunOutcome& reference) {
  if (run.metrics.unrecovered_episodes == 0) return;
  const sim::Instant reference_end = reference.metrics.finished_at.value_or(reference.virtual_time);
  if (reference_end > run.virtual_time) run.metrics.downtime += reference_end - run.virtual_time;
}

// The faulty run will never catch up with its reference: its job ended for good (LOST, FAILED,
// CANCELED), or its bounded reference finished and it did not.
bool run_ended_short(const RunResult& result) {
  const model::JobStatus status = result.run.metrics.final_status;
  if (status == model::JobStatus::finished) return false;
  return status == model::JobStatus::lost || model::is_globally_terminal(status) ||
         result.reference.metrics.final_status == model::JobStatus::finished;
}

// "job ended LOST at 30.0 s", or for a job still going when the run stopped "job RESTARTING when
// the run ended at 120.0 s; the reference FINISHED at 101.4 s".
std::string ended_short_reason(const RunResult& result) {
  const model::RunMetrics& m = result.run.metrics;
  const std::string status = job_status_name(m.final_status);
  if (m.ended_at) return "job ended " + status + " at " + seconds_text(*m.ended_at);
  const sim::Instant reference_end =
      result.reference.metrics.finished_at.value_or(result.reference.virtual_time);
  return "job " + status + " when the run ended at " + seconds_text(result.run.virtual_time) +
         "; the reference FINISHED at " + seconds_text(reference_end);
}

checks::Comparison comparison_for(const RunResult& result) {
  if (result.both_finished()) return checks::Comparison::whole;
  return run_ended_short(result) ? checks::Comparison::run_ended : checks::Comparison::common_prefix;
}

void check_exactly_once(RunResult& result) {
  const model::RunMetrics& run = result.run.metrics;
  const model::RunMetrics& reference = result.reference.metrics;
  if (run.committed_output.empty() && reference.committed_output.empty()) {
    // Vacuously equal: no verdict rather than a pass on output nobody made visible (an
    // exactly-once sink without checkpointing never commits).
    result.exactly_once_not_checked = "nothing committed in either run";
    return;
  }
  result.exactly_once = checks::compare_with_reference(run.committed_output, reference.committed_output,
                                                       comparison_for(result));
  if (result.exactly_once->records_missing > 0) result.exactly_once->missing_reason = ended_short_reason(result);
  if (result.both_finished()) {
    checks::add_final_state(*result.exactly_once, run.committed_output, reference.committed_output,
                            run.data_plane.final_keyed_state, reference.data_plane.final_keyed_state);
  }
  scale_to_real_records(*result.exactly_once, result.records_per_simulated_record);
}

// The run stops when the job ends: faults planned later are never injected.
std::string not_applied_reason(const RunResult& result) {
  const model::RunMetrics& m = result.run.metrics;
  if (result.partial()) return "the run was stopped at " + seconds_text(result.run.virtual_time);
  if (!m.ended_at) return "the run ended at " + seconds_text(result.run.virtual_time);
  return "job " + job_status_name(m.final_status) + " at " + seconds_text(*m.ended_at);
}

void note_faults_not_applied(RunResult& result) {
  for (const model::Fault& fault : result.run.metrics.faults_not_applied) {
    // A fault whose moment never came is reported where the run ended.
    if (fault.at == sim::Instant::max()) {
      result.faults_not_applied.push_back(
          {result.run.virtual_time, fault_text(fault),
           "'" + fault.after->text + "' never happened; " + not_applied_reason(result)});
      continue;
    }
    result.faults_not_applied.push_back({fault.at, fault_text(fault), not_applied_reason(result)});
  }
}

// "stopped by --max-events 1000 in the faulty run at 12.3 s of 120.0 s".
void note_partial(RunResult& result, const RunWatch& watch, const std::string& phase,
                  const RunOutcome& outcome, const ScenarioSpec& spec) {
  result.stopped = watch.stop_reason();
  result.partial_reason = watch.stop_text() + " in the " + phase + " at " +
                          seconds_text(outcome.virtual_time) + " of " + seconds_text(spec.duration);
  result.exactly_once_not_checked = "partial run";
}

}  // namespace

RunResult run_scenario(const ScenarioSpec& spec, const RunSettings& settings) {
  RunResult result;
  result.scenario = spec.name;
  result.seed = spec.seed;
  result.strategy = strategy_label(spec.config);
  result.records_per_simulated_record =
      records_per_simulated_record(spec, model::DataPlaneOptions{}.default_unbounded_rate);
  RunWatch watch(settings.limits);
  const int phases = settings.run_reference ? 2 : 1;
  result.run = run_once(spec, true, settings.capture_trace, watch, {.phase = "faulty run", .phase_index = 0, .phases = phases});
  if (watch.stop_reason() != StopReason::none) {
    note_partial(result, watch, "faulty run", result.run, spec);
    note_faults_not_applied(result);
    return result;
  }
  note_faults_not_applied(result);
  if (settings.run_reference) {
    result.reference = run_once(spec, false, false, watch, {.phase = "reference", .phase_index = 1, .phases = phases});
    if (watch.stop_reason() != StopReason::none) {
      note_partial(result, watch, "reference run", result.reference, spec);
      return result;
    }
    extend_unrecovered_downtime(result.run, result.reference);
    check_exactly_once(result);
  }
  check_expectations(spec, result);
  return result;
}

std::optional<int64_t> RunResult::caught_up_ms() const {
  const model::RunMetrics& m = run.metrics;
  if (!m.data_plane.last_caught_up || !m.last_episode_start) return std::nullopt;
  if (*m.data_plane.last_caught_up < *m.last_episode_start) return std::nullopt;
  // A restored source whose backlog fits into the network buffers reaches the head of its log
  // while the tasks behind it still read their state: the job is back at the head of its logs
  // only once every task runs again, so never before the episode recovered.
  sim::Instant caught_up = *m.data_plane.last_caught_up;
  if (m.last_episode_recovered && *m.last_episode_recovered >= *m.last_episode_start) {
    caught_up = std::max(caught_up, *m.last_episode_recovered);
  }
  return (caught_up - *m.last_episode_start).count_milliseconds();
}

bool RunResult::both_finished() const {
  return run.metrics.final_status == model::JobStatus::finished &&
         reference.metrics.final_status == model::JobStatus::finished;
}

int RunResult::exit_code() const {
  if (stopped == StopReason::interrupted) return kExitInterrupted;
  if (partial()) return kExitBudgetExhausted;
  if (liveness_failure) return 3;
  return failed_expectations.empty() ? 0 : 1;
}

namespace {

// null when nothing was checked: a comparison of two empty outputs is no pass.
nlohmann::ordered_json exactly_once_json(const RunResult& result) {
  using nlohmann::ordered_json;
  if (!result.exactly_once) {
    if (!result.exactly_once_not_checked.empty()) return nullptr;
    return {{"output_matches_reference", nullptr}, {"records_lost", nullptr}, {"records_duplicated", nullptr}};
  }
  const checks::ExactlyOnceVerdict& v = *result.exactly_once;
  return {{"output_matches_reference", v.output_matches_reference},
          {"records_lost", v.records_lost},
          {"records_duplicated", v.records_duplicated},
          {"records_missing", v.records_missing},
          {"missing_reason", v.missing_reason.empty() ? ordered_json(nullptr) : ordered_json(v.missing_reason)},
          {"state_matches_reference",
           v.state_matches_reference ? ordered_json(*v.state_matches_reference) : ordered_json(nullptr)},
          {"state_records_lost", v.state_records_lost},
          {"state_records_duplicated", v.state_records_duplicated}};
}

nlohmann::ordered_json faults_not_applied_json(const std::vector<FaultNotApplied>& faults) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const FaultNotApplied& fault : faults) {
    list.push_back({{"at_ms", fault.at.milliseconds_since_start()}, {"fault", fault.fault}, {"reason", fault.reason}});
  }
  return list;
}

}  // namespace

nlohmann::ordered_json RunResult::to_json() const {
  using nlohmann::ordered_json;
  const model::RunMetrics& m = run.metrics;
  ordered_json json;
  json["flinksim_version"] = std::string(flinksim_version());
  json["scenario"] = scenario;
  json["seed"] = seed;
  json["strategy"] = strategy;
  json["final_status"] = job_status_name(m.final_status);
  json["failure_reason"] = m.final_status == model::JobStatus::failed && m.failure_reason
                               ? ordered_json(*m.failure_reason)
                               : ordered_json(nullptr);
  // A partial run checked nothing: passed is null, not true.
  json["partial"] = partial();
  if (partial()) json["partial_reason"] = partial_reason;
  json["expectations"] = {{"passed", partial() ? ordered_json(nullptr) : ordered_json(failed_expectations.empty())},
                          {"failed", failed_expectations}};
  json["exactly_once"] = exactly_once_json(*this);
  if (!exactly_once_not_checked.empty()) json["exactly_once_not_checked"] = exactly_once_not_checked;
  ordered_json recovery;
  recovery["failovers"] = m.failovers;
  recovery["tasks_restarted"] = m.tasks_restarted;
  recovery["tasks_restarted_not_started"] = m.tasks_restarted_not_started;
  recovery["recovery_time_ms"] =
      m.recovery_time_max ? ordered_json(m.recovery_time_max->count_milliseconds()) : ordered_json(nullptr);
  recovery["downtime_ms"] = m.downtime.count_milliseconds();
  // Source records read again after restores: what the sources produced beyond the reference.
  // Only comparable when both runs read their bounded input to the end.
  const bool both_finished = this->both_finished();
  recovery["records_replayed"] =
      both_finished ? ordered_json(std::max<int64_t>(0, m.data_plane.records_generated -
                                                          reference.metrics.data_plane.records_generated) *
                                   records_per_simulated_record)
                    : ordered_json(nullptr);
  recovery["restore_ms"] = restore_ms(m, std::nullopt, std::nullopt);
  recovery["caught_up_ms"] = caught_up_ms() ? ordered_json(*caught_up_ms()) : ordered_json(nullptr);
  recovery["lag_max_records"] = m.data_plane.max_lag_records * records_per_simulated_record;
  json["recovery"] = recovery;
  if (m.checkpoints) {
    ordered_json durations = ordered_json::array();
    for (const sim::Duration& d : m.checkpoints->durations) durations.push_back(d.count_milliseconds());
    json["checkpoints"] = {{"completed", m.checkpoints->completed},
                           {"failed", m.checkpoints->failed},
                           {"restored_from", m.checkpoints->restored_from},
                           {"durations_ms", durations},
                           {"sizes_bytes", m.checkpoints->sizes_bytes}};
  } else {
    json["checkpoints"] = {{"completed", nullptr}, {"failed", nullptr}, {"restored_from", nullptr}};
  }
  ordered_json failovers = ordered_json::array();
  for (const model::FailoverRecord& record : m.failover_log) {
    failovers.push_back({{"at_ms", record.time.milliseconds_since_start()},
                         {"restore_ms", restore_ms(m, record.time, next_failover_after(m, record.time))},
                         {"failed_task", record.failed_task},
                         {"restarted", record.restarted_tasks},
                         {"delay_ms", record.delay.count_milliseconds()},
                         {"cause", record.cause},
                         {"origin", record.origin.empty() ? ordered_json(nullptr) : ordered_json(record.origin)}});
  }
  json["failovers"] = failovers;
  // The sink store's transactions aborted for their timeout (Kafka's transaction.timeout.ms):
  // what they held is lost, and the verdict counts it among records_lost.
  json["sink_store"] = {
      {"transactions_timed_out", m.sink_transactions_timed_out},
      {"records_timed_out", m.sink_records_timed_out * records_per_simulated_record}};
  json["series"] = {
      {"committed_output_rate", output_rate_series(m, run.virtual_time, records_per_simulated_record)}};
  json["finished_at_ms"] =
      m.finished_at ? ordered_json(m.finished_at->milliseconds_since_start()) : ordered_json(nullptr);
  json["ended_at_ms"] = m.ended_at ? ordered_json(m.ended_at->milliseconds_since_start()) : ordered_json(nullptr);
  json["faults_not_applied"] = faults_not_applied_json(faults_not_applied);
  if (has_job_actions(m)) json["job_actions"] = job_actions_json(m);
  json["reference"] = {{"final_status", job_status_name(reference.metrics.final_status)},
                       {"finished_at_ms", reference.metrics.finished_at
                                              ? ordered_json(reference.metrics.finished_at->milliseconds_since_start())
                                              : ordered_json(nullptr)}};
  json["simulation"] = {{"events", run.events},
                        {"virtual_time_ms", run.virtual_time.milliseconds_since_start()},
                        {"wall_time_ms", static_cast<int64_t>(run.wall_seconds * 1000)},
                        {"records_per_simulated_record", records_per_simulated_record},
                        {"trace_hash", run.trace_hash}};
  return json;
}

}  // namespace flinksim::scenarios
