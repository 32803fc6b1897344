#include "scenarios/job_actions_output.h"

#include <fmt/format.h>

namespace flinksim::scenarios {
namespace {

using nlohmann::ordered_json;

std::string seconds(sim::Instant instant) {
  return fmt::format("{:.3f} s", static_cast<double>(instant.milliseconds_since_start()) / 1000);
}

ordered_json optional_ms(const std::optional<sim::Duration>& duration) {
  return duration ? ordered_json(duration->count_milliseconds()) : ordered_json(nullptr);
}

ordered_json savepoint_json(const model::SavepointRecord& savepoint) {
  return {{"id", savepoint.id == 0 ? ordered_json(nullptr) : ordered_json(savepoint.id)},
          {"type", savepoint.type},
          {"triggered_at_ms", savepoint.triggered.milliseconds_since_start()},
          {"duration_ms", optional_ms(savepoint.duration)},
          {"size_bytes", savepoint.size_bytes},
          {"failure", savepoint.failure.empty() ? ordered_json(nullptr) : ordered_json(savepoint.failure)}};
}

ordered_json submission_json(const model::JobSubmission& submission) {
  return {{"submitted_at_ms", submission.submitted.milliseconds_since_start()},
          {"restored_from", submission.restored_from ? ordered_json(*submission.restored_from) : ordered_json(nullptr)},
          {"restored_kind", submission.restored_kind.empty() ? ordered_json(nullptr) : ordered_json(submission.restored_kind)},
          {"status", std::string(model::to_string(submission.status))},
          {"ended_at_ms", submission.ended_at ? ordered_json(submission.ended_at->milliseconds_since_start())
                                              : ordered_json(nullptr)},
          {"downtime_ms", optional_ms(submission.downtime)}};
}

}  // namespace

bool has_job_actions(const model::RunMetrics& metrics) {
  return !metrics.savepoints.empty() || metrics.submissions.size() > 1 || !metrics.actions_refused.empty();
}

ordered_json job_actions_json(const model::RunMetrics& metrics) {
  ordered_json savepoints = ordered_json::array();
  for (const model::SavepointRecord& savepoint : metrics.savepoints) savepoints.push_back(savepoint_json(savepoint));
  ordered_json submissions = ordered_json::array();
  for (const model::JobSubmission& submission : metrics.submissions) submissions.push_back(submission_json(submission));
  return {{"savepoints", savepoints}, {"submissions", submissions}, {"refused", metrics.actions_refused}};
}

std::string job_actions_text(const model::RunMetrics& metrics) {
  std::string text;
  for (const model::SavepointRecord& s : metrics.savepoints) {
    text += fmt::format("savepoint     {} {} at {}: {}\n", s.id == 0 ? std::string("-") : std::to_string(s.id), s.type,
                        seconds(s.triggered),
                        s.duration ? fmt::format("completed in {} ms, {} bytes", s.duration->count_milliseconds(), s.size_bytes)
                                   : "failed: " + s.failure);
  }
  for (size_t i = 0; i < metrics.submissions.size(); ++i) {
    const model::JobSubmission& s = metrics.submissions[i];
    text += fmt::format("submission {}  at {}{}: {}{}\n", i + 1, seconds(s.submitted),
                        s.restored_from ? fmt::format(" from {} {}", s.restored_kind, *s.restored_from) : "",
                        model::to_string(s.status),
                        s.downtime ? fmt::format(", upgrade downtime {} ms", s.downtime->count_milliseconds()) : "");
  }
  for (const std::string& refused : metrics.actions_refused) text += "refused       " + refused + "\n";
  return text;
}

}  // namespace flinksim::scenarios
