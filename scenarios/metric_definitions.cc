#include "scenarios/metric_definitions.h"

#include <sstream>

namespace flinksim::scenarios {
namespace {

// Where a definition has to say how a figure is measured, it follows the code that measures it:
// model/cluster.cc (episodes, recovery, downtime), scenarios/runner.cc and
// checks/exactly_once_oracle.h (the verdict).
std::vector<MetricDefinition> make_definitions() {
  return {
      {"final status", {"final_status", "failure_reason"},
       "The job's status when the run ended: FINISHED, FAILED (with Flink's reason, e.g. \"Recovery "
       "is suppressed by NoRestartBackoffTimeStrategy\"), CANCELED, LOST (its only JobManager died "
       "without high availability: no JobManager knows the job any more), or RUNNING or RESTARTING "
       "when the scenario's duration ran out."},
      {"finished at", {"finished_at_ms", "ended_at_ms"},
       "When a bounded job reached FINISHED, printed against the failure-free reference's finish: "
       "what the faults cost it. ended_at_ms: when the job reached its final status or was lost."},
      {"failovers", {"recovery.failovers", "failovers"},
       "Failures the JobMaster handled by restarting tasks. A lost TaskManager fails each task it "
       "ran, and each is a failover of its own (one per pipelined region that still runs); a global "
       "failure and a new JobManager leader recovering the job are one each. The summary prints one "
       "line per instant, cause and restart delay; failovers[] in --json lists every one with its "
       "cause and origin (\"taskmanager-2 lost (heartbeat timeout)\")."},
      {"tasks restarted", {"recovery.tasks_restarted", "recovery.tasks_restarted_not_started"},
       "Subtask restarts summed over all failovers. Of those, tasks_restarted_not_started counts "
       "restarts of tasks not deployed since they were last scheduled (a batch consumer waiting for "
       "its blocking input, a task waiting for a slot): reset with their region, they lose no work. "
       "The rest re-ran; the summary prints \"(1 re-ran, 2 never started)\" when any never started."},
      {"recovery time", {"recovery.recovery_time_ms"},
       "A failure episode starts at the fault that leads to a failover (at the failover when no "
       "fault preceded it) and ends when every task is RUNNING or FINISHED again. Recovery time is "
       "the longest episode. null when no episode ended: no failover, or the job never recovered."},
      {"downtime", {"recovery.downtime_ms"},
       "Time without committed progress attributable to failures, summed over episodes: from the "
       "disruption until every task runs again. The disruption is the fault itself when it stops "
       "tasks (a killed TaskManager that ran tasks, a failed task, a JobManager failover), however "
       "long its detection takes; for a fault that leaves tasks running (a partition, a slow link, "
       "an outage) it is the failover. An episode the job never recovers from (FAILED, or tasks "
       "still down when the run stops) lasts until the reference ends (its finish or the duration); "
       "a LOST job is down from its loss or its orphaned tasks' last commit, whichever is later, to "
       "the end of the run. The whole job counts as down even where other pipelines go on "
       "committing."},
      {"caught up", {"recovery.caught_up_ms", "recovery.lag_max_records"},
       "From the last failure episode's fault until every source that restored with a backlog "
       "(backlog: log) was back at the head of its log, and never before every task ran again "
       "(a source whose backlog fits into the network buffers is at the head while the tasks "
       "behind it still restore); null when none had to catch up. "
       "lag_max_records (\"max lag\"): the largest backlog such a source had, in records."},
      {"records replayed", {"recovery.records_replayed"},
       "Source records read beyond what the reference read: read again after the sources rewound "
       "to a checkpoint. null unless both runs read their bounded input to the end."},
      {"restore time", {"recovery.restore_ms", "failovers[].restore_ms"},
       "The longest state read of a restore (INITIALIZING: a round trip to the checkpoint storage "
       "plus the snapshot's bytes at its read bandwidth, or a TaskManager's local copy), over the "
       "run and per failover; null when nothing was restored."},
      {"checkpoints", {"checkpoints.completed", "checkpoints.failed", "checkpoints.restored_from"},
       "Checkpoints completed and failed (declined, expired, aborted by a failover or subsumed, or "
       "not written), and the "
       "checkpoint each restore used, in order (\"[2 x25]\": 25 restores from checkpoint 2)."},
      {"exactly-once", {"exactly_once", "exactly_once.output_matches_reference"},
       "The run against its failure-free reference (the same scenario and seed without faults): "
       "\"yes\" when the committed outputs are equal as multisets (commit order aside), no record is "
       "lost, duplicated or missing, and the final keyed state matches; \"NO\" otherwise; \"not "
       "checked\" (exactly_once null) when nothing was committed in either run or the run is "
       "partial."},
      {"records lost", {"exactly_once.records_lost", "exactly_once.records_duplicated"},
       "Source records the faulty run's committed output reflects fewer (lost) or more "
       "(duplicated) times than the reference's, within the part both runs reached: per sink, key "
       "and window the records a window result reflects; per source record for a pass-through "
       "sink; per key for a running aggregate, the larger of the updates the run committed fewer "
       "(more) of and what its final count lacks (holds in excess), so that a restore that dropped "
       "counted records from state is a loss. In real records where a simulated record stands for "
       "several."},
      {"records missing", {"exactly_once.records_missing", "exactly_once.missing_reason"},
       "What the reference committed beyond where a faulty run that ended for good stopped (LOST, "
       "FAILED, CANCELED, or short of a reference that finished): it will never be delivered. "
       "missing_reason says why (\"job ended LOST at 10.0 s\")."},
      {"final state", {"exactly_once.state_matches_reference", "exactly_once.state_records_lost",
                       "exactly_once.state_records_duplicated"},
       "Whether every operator subtask ended with the same keyed state as in the reference "
       "(\"final state differs\" in the summary); null unless both runs finished. "
       "state_records_lost and state_records_duplicated: source records the running aggregates' "
       "final counts reflect fewer or more than the reference's, summed over keys."},
      {"committed output rate", {"series.committed_output_rate"},
       "Records the sinks made visible per second, in buckets of at least 1 s and at most 200 over "
       "the run: what a dashboard of the sink would show, dips and all."},
  };
}

// `text` broken into lines of at most `width` characters, each after `indent`.
std::string wrapped(std::string_view text, size_t width, const std::string& indent) {
  std::istringstream words{std::string(text)};
  std::string out;
  std::string line;
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string joined(const std::vector<std::string_view>& keys, std::string_view quote) {
  std::string out;
  for (std::string_view key : keys) {
    out += (out.empty() ? "" : ", ") + std::string(quote) + std::string(key) + std::string(quote);
  }
  return out;
}

}  // namespace

const std::vector<MetricDefinition>& metric_definitions() {
  static const std::vector<MetricDefinition> definitions = make_definitions();
  return definitions;
}

std::string metrics_help_text() {
  std::string out;
  for (const MetricDefinition& metric : metric_definitions()) {
    out += std::string(metric.name) + " (--json: " + joined(metric.json_keys, "") + ")\n";
    out += wrapped(metric.definition, 94, "    ") + "\n";
  }
  return out;
}

std::string metrics_markdown() {
  std::string out;
  for (const MetricDefinition& metric : metric_definitions()) {
    out += "- **" + std::string(metric.name) + "** (" + joined(metric.json_keys, "`") + "):\n";
    out += wrapped(metric.definition, 96, "  ");
  }
  return out;
}

}  // namespace flinksim::scenarios
