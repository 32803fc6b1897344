#include "model/invariant_monitor.h"

#include <charconv>

namespace flinksim::model {
namespace {

// The integer at the start of `text` ("12 ..." or "12"), if any.
std::optional<int64_t> leading_integer(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end == text.data()) return std::nullopt;
  return value;
}

std::string at(const sim::TraceEvent& event) {
  return " at " + sim::format_seconds(event.time) + " (" + event.component + " " + event.kind +
         " " + event.detail + ")";
}

}  // namespace

std::optional<std::string> InvariantMonitor::on_event(const sim::TraceEvent& event) {
  if (violation_) return std::nullopt;
  // A new submission is a new job (a new JobID in Flink) with its own checkpoint id counter,
  // which a restore from a savepoint sets to the savepoint's id + 1; so is the job an application
  // cluster submits again after its JobManager restarted without high availability.
  if (event.kind == "job submitted" || event.kind == "job submitted again") last_completed_.reset();
  if (event.kind == "checkpoint-completed") violation_ = check_checkpoint_completed(event);
  if (event.kind == "commit leader changed") violation_ = check_commit_leader_changed(event);
  return violation_;
}

// "id=N".
std::optional<std::string> InvariantMonitor::check_checkpoint_completed(const sim::TraceEvent& event) {
  if (!event.detail.starts_with("id=")) return std::nullopt;
  const std::optional<int64_t> id = leading_integer(std::string_view(event.detail).substr(3));
  if (!id) return std::nullopt;
  if (last_completed_ && *id <= *last_completed_) {
    return "checkpoint " + std::to_string(*id) + " completed after checkpoint " +
           std::to_string(*last_completed_) + at(event);
  }
  last_completed_ = id;
  return std::nullopt;
}

// "leader session A -> B".
std::optional<std::string> InvariantMonitor::check_commit_leader_changed(const sim::TraceEvent& event) {
  const std::string_view prefix = "leader session ";
  const size_t arrow = event.detail.find(" -> ");
  if (!event.detail.starts_with(prefix) || arrow == std::string::npos) return std::nullopt;
  const std::string_view detail = event.detail;
  const std::optional<int64_t> from = leading_integer(detail.substr(prefix.size()));
  const std::optional<int64_t> to = leading_integer(detail.substr(arrow + 4));
  if (!from || !to || *to > *from) return std::nullopt;
  return "the sink store took a commit of leader session " + std::to_string(*to) +
         " after one of session " + std::to_string(*from) + at(event);
}

}  // namespace flinksim::model
