#include "scenarios/fault_moment.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <vector>

#include "scenarios/value_syntax.h"

namespace flinksim::scenarios {
namespace {

constexpr std::string_view kForms =
    "expected 'checkpoint N triggered|completed|failed', 'VERTEX:SUBTASK pre-committed checkpoint "
    "N', 'VERTEX:SUBTASK snapshotted checkpoint N', 'VERTEX:SUBTASK deploying|initializing|"
    "running|finished|canceled|failed', 'jobmanager-N granted|revoked leadership', 'savepoint "
    "[N] completed|failed' or 'job RUNNING|FINISHED|CANCELED|FAILED', optionally followed by "
    "'+ DURATION'";

model::FaultMoment moment_of(std::string component, std::string kind, std::string detail) {
  model::FaultMoment moment;
  moment.component = std::move(component);
  moment.kind = std::move(kind);
  moment.detail = std::move(detail);
  return moment;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) words.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

sim::Error error(std::string_view text, const std::string& why) {
  return sim::Error{"cannot read the moment '" + std::string(text) + "': " + why + "; " +
                    std::string(kForms)};
}

std::optional<int64_t> checkpoint_id(const std::string& word) {
  const sim::Result<int64_t> id = parse_integer(word, 1, std::numeric_limits<int32_t>::max());
  if (!id.ok() || word.front() == '+') return std::nullopt;
  return id.value();
}

std::optional<TaskRef> task_of(const std::string& word) {
  const size_t colon = word.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  const std::string digits = word.substr(colon + 1);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return std::nullopt;
  const sim::Result<int64_t> subtask = parse_integer(digits, 0, std::numeric_limits<int32_t>::max());
  if (!subtask.ok()) return std::nullopt;
  return TaskRef{word.substr(0, colon), subtask.value()};
}

// "checkpoint N triggered|completed|failed".
sim::Result<ParsedMoment> checkpoint_moment(std::string_view text,
                                            const std::vector<std::string>& words) {
  const std::optional<int64_t> id = words.size() == 3 ? checkpoint_id(words[1]) : std::nullopt;
  const std::array<std::string, 3> events{"triggered", "completed", "failed"};
  if (!id || std::find(events.begin(), events.end(), words[2]) == events.end()) {
    return error(text, "a checkpoint moment is 'checkpoint N triggered|completed|failed'");
  }
  ParsedMoment parsed;
  parsed.moment = moment_of("checkpoint-coordinator", "checkpoint-" + words[2], "id=" + std::to_string(*id));
  return parsed;
}

std::optional<std::string> state_kind(const std::string& word) {
  const std::array<std::string, 6> states{"deploying", "initializing", "running",
                                          "finished",  "canceled",     "failed"};
  if (std::find(states.begin(), states.end(), word) == states.end()) return std::nullopt;
  std::string kind = word;
  std::transform(kind.begin(), kind.end(), kind.begin(), ::toupper);
  return kind;
}

// "TASK STATE" or "TASK pre-committed|snapshotted checkpoint N".
sim::Result<ParsedMoment> task_moment(std::string_view text, const std::vector<std::string>& words,
                                      const TaskRef& task) {
  ParsedMoment parsed;
  parsed.task = task;
  if (words.size() == 2) {
    if (const std::optional<std::string> kind = state_kind(words[1])) {
      parsed.moment = moment_of(words[0], *kind, "");
      return parsed;
    }
    return error(text, "'" + words[1] + "' is not a task state");
  }
  const bool snapshot = words.size() == 4 && (words[1] == "pre-committed" || words[1] == "snapshotted") &&
                        words[2] == "checkpoint";
  const std::optional<int64_t> id = snapshot ? checkpoint_id(words[3]) : std::nullopt;
  if (!id) return error(text, "after a task comes its state or 'pre-committed checkpoint N'");
  parsed.moment = moment_of(words[0], "barrier", "id=" + std::to_string(*id));
  return parsed;
}

// "jobmanager-N granted|revoked leadership".
sim::Result<ParsedMoment> leadership_moment(std::string_view text,
                                            const std::vector<std::string>& words) {
  const std::string digits = words[0].substr(std::string_view("jobmanager-").size());
  const sim::Result<int64_t> index = parse_integer(digits, 0, 1000);
  if (!index.ok() || words.size() != 3 || words[2] != "leadership" ||
      (words[1] != "granted" && words[1] != "revoked")) {
    return error(text, "a leadership moment is 'jobmanager-N granted|revoked leadership'");
  }
  ParsedMoment parsed;
  parsed.jobmanager = index.value();
  parsed.moment = moment_of(words[0], words[1] + " leadership", "");
  return parsed;
}

// "savepoint [N] completed|failed": the coordinator's savepoint events (any savepoint without N).
sim::Result<ParsedMoment> savepoint_moment(std::string_view text, const std::vector<std::string>& words) {
  const std::optional<int64_t> id = words.size() == 3 ? checkpoint_id(words[1]) : std::nullopt;
  const std::string& event = words.back();
  if ((words.size() == 3 && !id) || words.size() < 2 || words.size() > 3 ||
      (event != "completed" && event != "failed")) {
    return error(text, "a savepoint moment is 'savepoint [N] completed|failed'");
  }
  ParsedMoment parsed;
  parsed.moment = moment_of("checkpoint-coordinator", "savepoint-" + event,
                            id ? "id=" + std::to_string(*id) : "");
  return parsed;
}

// "job STATUS": the JobMaster's status change (the job runs on jobmanager-0: operator actions
// need a cluster without high availability).
sim::Result<ParsedMoment> job_moment(std::string_view text, const std::vector<std::string>& words) {
  const std::array<std::string, 4> statuses{"RUNNING", "FINISHED", "CANCELED", "FAILED"};
  std::string status = words.size() == 2 ? words[1] : "";
  std::transform(status.begin(), status.end(), status.begin(), ::toupper);
  if (std::find(statuses.begin(), statuses.end(), status) == statuses.end()) {
    return error(text, "a job moment is 'job RUNNING|FINISHED|CANCELED|FAILED'");
  }
  ParsedMoment parsed;
  parsed.moment = moment_of("jobmanager-0", "job " + status, "");
  return parsed;
}

sim::Result<ParsedMoment> event_moment(std::string_view text) {
  const std::vector<std::string> words = words_of(text);
  if (words.empty()) return error(text, "it is empty");
  if (words[0] == "checkpoint") return checkpoint_moment(text, words);
  if (words[0] == "savepoint") return savepoint_moment(text, words);
  if (words[0] == "job") return job_moment(text, words);
  if (words[0].starts_with("jobmanager-")) return leadership_moment(text, words);
  if (const std::optional<TaskRef> task = task_of(words[0])) return task_moment(text, words, *task);
  return error(text, "'" + words[0] + "' is neither 'checkpoint', a task nor a JobManager");
}

}  // namespace

sim::Result<ParsedMoment> parse_fault_moment(std::string_view text) {
  const std::string_view trimmed = trim_spaces(text);
  const size_t plus = trimmed.rfind('+');
  sim::Result<ParsedMoment> parsed = event_moment(trim_spaces(trimmed.substr(0, plus)));
  if (!parsed.ok()) return parsed;
  ParsedMoment moment = parsed.value();
  moment.moment.delay = sim::Duration::zero();
  moment.moment.text = std::string(trimmed);
  if (plus == std::string_view::npos) return moment;
  const sim::Result<sim::Duration> delay = parse_bounded_duration(trim_spaces(trimmed.substr(plus + 1)));
  if (!delay.ok()) return error(text, "the delay after '+': " + delay.error().message);
  moment.moment.delay = delay.value();
  return moment;
}

}  // namespace flinksim::scenarios
