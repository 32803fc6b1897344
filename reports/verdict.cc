#include "reports/verdict.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>

#include "reports/statistics.h"

namespace flinksim::reports {
namespace {

std::optional<int64_t> median(std::vector<int64_t> values) {
  const std::optional<Distribution> summary = summarize(values);
  if (!summary) return std::nullopt;
  return summary->median;
}

std::optional<int64_t> column_median(const RunGroup& group, const std::string& column) {
  std::vector<int64_t> values;
  for (const RunRecord* run : group.runs) {
    if (const std::optional<int64_t> value = run->metric_integer(column)) values.push_back(*value);
  }
  return median(std::move(values));
}

// A value the run JSON has and no metric column: records missing, the job's task count.
std::optional<int64_t> json_median(const RunGroup& group, const nlohmann::json::json_pointer& pointer) {
  std::vector<int64_t> values;
  for (const RunRecord* run : group.runs) {
    const nlohmann::json json = nlohmann::json::parse(run->run_json, nullptr, false);
    if (json.contains(pointer) && json[pointer].is_number_integer()) values.push_back(json[pointer].get<int64_t>());
  }
  return median(std::move(values));
}

int exactly_once_rank(ExactlyOnce value) {
  switch (value) {
    case ExactlyOnce::held: return 0;
    case ExactlyOnce::not_checked: return 1;
    case ExactlyOnce::violated: return 2;
  }
  return 2;
}

auto rank(const StrategyVerdict& verdict) {
  return std::tuple(exactly_once_rank(verdict.exactly_once), verdict.downtime_ms.value_or(INT64_MAX),
                    verdict.tasks_restarted.value_or(INT64_MAX));
}

std::string restarts_text(const StrategyVerdict& verdict, bool with_total) {
  if (!verdict.tasks_restarted) return verdict.label + " restarts n/a tasks";
  const int64_t restarted = *verdict.tasks_restarted;
  std::string text = fmt::format("{} restarts {}", verdict.label, with_thousands(restarted));
  if (with_total && verdict.tasks) text += fmt::format(" of {}", with_thousands(*verdict.tasks));
  return text + (restarted == 1 ? " task" : " tasks");
}

std::string downtime_text(const StrategyVerdict& verdict) {
  if (!verdict.downtime_ms) return "";
  return fmt::format(", down {:.3f} s", static_cast<double>(*verdict.downtime_ms) / 1000);
}

// "loses 1,204 records and duplicates 12", or "" when nothing went wrong.
std::string damage_text(const StrategyVerdict& verdict) {
  std::vector<std::string> parts;
  if (verdict.records_lost.value_or(0) > 0) parts.push_back("loses " + with_thousands(*verdict.records_lost) + " records");
  if (verdict.records_duplicated.value_or(0) > 0) {
    parts.push_back("duplicates " + with_thousands(*verdict.records_duplicated));
  }
  if (verdict.records_missing.value_or(0) > 0) parts.push_back("misses " + with_thousands(*verdict.records_missing));
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i) text += (i == 0 ? "" : " and ") + parts[i];
  return text;
}

// What follows "region restarts 3 of 12 tasks": its exactly-once outcome.
std::string outcome_text(const StrategyVerdict& verdict) {
  if (verdict.exactly_once == ExactlyOnce::held) return " and keeps exactly-once";
  if (verdict.exactly_once == ExactlyOnce::not_checked) return " (exactly-once not checked)";
  const std::string damage = damage_text(verdict);
  return damage.empty() ? " but breaks exactly-once" : " but " + damage;
}

}  // namespace

StrategyVerdict verdict_of(const RunGroup& group) {
  StrategyVerdict verdict;
  verdict.label = group.label();
  verdict.runs = group.runs.size();
  for (const RunRecord* run : group.runs) {
    const std::optional<int64_t> matches = run->metric_integer("output_matches_reference");
    if (!matches) continue;
    ++verdict.runs_checked;
    verdict.runs_violated += *matches == 0 ? 1 : 0;
  }
  verdict.exactly_once = verdict.runs_checked == 0  ? ExactlyOnce::not_checked
                         : verdict.runs_violated > 0 ? ExactlyOnce::violated
                                                     : ExactlyOnce::held;
  verdict.records_lost = column_median(group, "records_lost");
  verdict.records_duplicated = column_median(group, "records_duplicated");
  verdict.records_missing = json_median(group, nlohmann::json::json_pointer("/exactly_once/records_missing"));
  verdict.downtime_ms = column_median(group, "downtime_ms");
  verdict.tasks_restarted = column_median(group, "tasks_restarted");
  verdict.tasks = json_median(group, nlohmann::json::json_pointer("/report/tasks"));
  return verdict;
}

std::string exactly_once_text(const StrategyVerdict& verdict) {
  const size_t unchecked = verdict.runs - verdict.runs_checked;
  const std::string suffix = unchecked > 0 && verdict.runs_checked > 0 ? fmt::format(" ({} not checked)", unchecked) : "";
  switch (verdict.exactly_once) {
    case ExactlyOnce::not_checked: return "not checked";
    case ExactlyOnce::held: return "held" + suffix;
    case ExactlyOnce::violated:
      if (verdict.runs_checked == 1) return "NO" + suffix;
      return fmt::format("NO in {} of {} runs", verdict.runs_violated, verdict.runs_checked) + suffix;
  }
  return "not checked";
}

std::string with_thousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<size_t>(at), ",");
  return (value < 0 ? "-" : "") + digits;
}

std::string winner_sentence(std::span<const StrategyVerdict> verdicts) {
  if (verdicts.empty()) return "";
  std::vector<const StrategyVerdict*> order;
  for (const StrategyVerdict& verdict : verdicts) order.push_back(&verdict);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return rank(*a) < rank(*b); });
  std::string sentence = restarts_text(*order.front(), true) + outcome_text(*order.front()) + downtime_text(*order.front());
  for (size_t i = 1; i < order.size(); ++i) {
    sentence += "; " + restarts_text(*order[i], false) + outcome_text(*order[i]) + downtime_text(*order[i]);
  }
  if (order.size() == 1) return sentence + ".";
  const bool tie = rank(*order[0]) == rank(*order[1]);
  const std::string lead = tie ? fmt::format("No single winner: {} and {} do equally well. ", order[0]->label, order[1]->label)
                               : fmt::format("Choose {}: ", order[0]->label);
  return lead + sentence + ".";
}

}  // namespace flinksim::reports
