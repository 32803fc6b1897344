#include "property_tests/run_verdicts.h"

#include <string>

#include "sim/time.h"

namespace flinksim::property_tests {

Violation expect_finished(const scenarios::RunOutcome& outcome, std::string_view which) {
  if (outcome.metrics.invariant_violation) {
    return std::string(which) + " broke an invariant: " + *outcome.metrics.invariant_violation;
  }
  if (outcome.metrics.final_status == model::JobStatus::finished) return std::nullopt;
  return std::string(which) + " ended " +
         std::string(model::to_string(outcome.metrics.final_status)) + " at " +
         sim::format_seconds(outcome.virtual_time) + " after " +
         std::to_string(outcome.metrics.failovers) + " failovers, expected FINISHED";
}

Violation expect_exactly_once(const scenarios::RunResult& result) {
  // Two empty outputs prove nothing: a generated case that commits nothing is no pass.
  if (!result.exactly_once) {
    return "the runner gave no exactly-once verdict" +
           (result.exactly_once_not_checked.empty() ? "" : ": " + result.exactly_once_not_checked);
  }
  const checks::ExactlyOnceVerdict& verdict = *result.exactly_once;
  if (verdict.exactly_once()) return std::nullopt;
  return "not exactly once: output " +
         std::string(verdict.output_matches_reference ? "matches" : "differs from") +
         " the reference, " + std::to_string(verdict.records_lost) + " records lost, " +
         std::to_string(verdict.records_duplicated) + " duplicated, " +
         std::to_string(verdict.records_missing) + " missing, after " +
         std::to_string(result.run.metrics.failovers) + " failovers";
}

Violation expect_no_record_lost(const scenarios::RunResult& result) {
  if (!result.exactly_once) return "the runner gave no verdict against the reference";
  if (result.exactly_once->records_lost == 0) return std::nullopt;
  return "lost " + std::to_string(result.exactly_once->records_lost) + " records after " +
         std::to_string(result.run.metrics.failovers) + " failovers";
}

int64_t checkpoint_id_of(const sim::TraceEvent& event) {
  return std::stoll(event.detail.substr(event.detail.find('=') + 1));
}

std::vector<CompletedCheckpoint> completed_checkpoints(const scenarios::RunOutcome& outcome) {
  std::vector<CompletedCheckpoint> completed;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.component != "checkpoint-coordinator" || event.kind != "checkpoint-completed") {
      continue;
    }
    completed.push_back({event.time, checkpoint_id_of(event)});
  }
  return completed;
}

}  // namespace flinksim::property_tests
