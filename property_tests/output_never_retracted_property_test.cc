// Goal: committed output is never retracted, and no JobManager leader commits after a newer one
// did (fencing), through leader kills, JobManager restarts, ZooKeeper outages and
// JobManager-ZooKeeper partitions, with and without tolerated suspension (two leaders for a
// while, once the generators may combine it with partitions again: docs/property-testing.md). Method: RapidCheck generates ZooKeeper HA scenarios whose schedules each hold a command
// that may change the leader; each runs once with its trace captured. From the trace: the
// leadership whose commits the sink store accepts (its "commit leader changed" events) only ever
// moves to a newer one, and only to one that was granted leadership before; every "commit fenced"
// names a leadership older than the newest that committed. From the committed output: the sink
// store's log only grows in time (commit instants never go back), and no window result is
// committed more often than the broadcast edges after its window copy it (once without any):
// another commit would replace the first. The job must finish.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "property_tests/property_check.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

// How many generated cases exercised what this property is about, printed at the end so that a
// generator that stopped producing leader changes shows.
struct Exercised {
  int64_t cases = 0;
  int64_t leader_changes = 0;          // cases with a second "granted leadership"
  int64_t commit_leader_changes = 0;   // cases where commits of two leaderships were accepted
  int64_t fenced_commits = 0;          // cases with a "commit fenced"
};
Exercised exercised;

// "leader session 3 -> 5" and "leader session 3 < 5" both give (3, 5).
std::pair<uint64_t, uint64_t> sessions_of(const std::string& detail) {
  const std::string prefix = "leader session ";
  const size_t first = prefix.size();
  const size_t space = detail.find(' ', first);
  const size_t second = detail.find_first_of("0123456789", space);
  return {std::stoull(detail.substr(first, space - first)), std::stoull(detail.substr(second))};
}

Violation check_fencing(const scenarios::RunOutcome& outcome) {
  std::set<uint64_t> granted;
  int64_t grants = 0;
  std::optional<uint64_t> committing;  // the leadership of the last accepted commit, once known
  bool fenced = false;
  bool changed = false;
  for (const sim::TraceEvent& event : outcome.trace) {
    const std::string at = " at " + sim::format_seconds(event.time);
    if (event.kind == "granted leadership") {
      granted.insert(std::stoull(event.detail.substr(event.detail.find(' ') + 1)));
      ++grants;
    } else if (event.component == "sink-store" && event.kind == "commit leader changed") {
      changed = true;
      const auto [from, to] = sessions_of(event.detail);
      if (to < from) {
        return "the sink store accepted a commit of leader session " + std::to_string(to) +
               " after commits of the newer session " + std::to_string(from) + at;
      }
      if (!granted.contains(to)) {
        return "the sink store accepted a commit of leader session " + std::to_string(to) +
               ", which was never granted leadership" + at;
      }
      if (committing && *committing != from) {
        return "the sink store's commit leader changed from " + std::to_string(from) +
               ", but the last accepted commit was of session " + std::to_string(*committing) + at;
      }
      committing = to;
    } else if (event.component == "sink-store" && event.kind == "commit fenced") {
      fenced = true;
      const auto [stale, newest] = sessions_of(event.detail);
      if (stale >= newest || (committing && newest != *committing)) {
        return "the sink store fenced a commit of session " + std::to_string(stale) +
               " against session " + std::to_string(newest) + at;
      }
    }
  }
  exercised.leader_changes += grants > 1 ? 1 : 0;
  exercised.commit_leader_changes += changed ? 1 : 0;
  exercised.fenced_commits += fenced ? 1 : 0;
  return std::nullopt;
}

// How many times the sinks commit each window result: once, or once per copy the broadcast
// edges after the last window make of it.
int64_t window_result_copies(const GeneratedJob& job) {
  for (auto vertex = job.vertices.rbegin(); vertex != job.vertices.rend(); ++vertex) {
    if (vertex->kind != graph::OperatorKind::window) continue;
    return job.broadcast_copies_after(vertex->name);
  }
  return 1;
}

Violation check_never_retracted(const scenarios::RunOutcome& outcome, const GeneratedJob& job) {
  const std::vector<model::CommittedRecord>& committed = outcome.metrics.committed_output;
  // Every window result of the job is one (key, window end), committed `copies` times (more
  // than once only through broadcast edges): one commit more replaces the first.
  const int64_t copies = window_result_copies(job);
  std::map<std::pair<int64_t, int64_t>, int64_t> window_results;
  for (size_t index = 0; index < committed.size(); ++index) {
    const model::CommittedRecord& record = committed[index];
    if (index > 0 && record.committed_at < committed[index - 1].committed_at) {
      return "the sink store's log went back in time at record " + std::to_string(index) +
             ": committed at " + sim::format_seconds(record.committed_at) + " after " +
             sim::format_seconds(committed[index - 1].committed_at);
    }
    if (record.record.window_end < 0) continue;
    if (++window_results[{record.record.key, record.record.window_end}] > copies) {
      return "the window result of key " + std::to_string(record.record.key) + " ending at " +
             std::to_string(record.record.window_end / 1'000'000) +
             " ms was committed again at " + sim::format_seconds(record.committed_at) +
             ", replacing the first";
    }
  }
  return std::nullopt;
}

Violation output_never_retracted(const GeneratedScenario& scenario) {
  const scenarios::RunOutcome outcome = scenarios::run_once(load_generated(scenario), true, true);
  ++exercised.cases;
  if (Violation violation = check_fencing(outcome)) return violation;
  if (Violation violation = check_never_retracted(outcome, scenario.job)) return violation;
  return expect_finished(outcome, "faulty run");
}

TEST(OutputNeverRetractedProperty, LeaderChangesNeverRetractCommittedOutputNorCommitFromAStaleLeader) {
  ScenarioShape shape;
  shape.name = "output-never-retracted";
  shape.jitter = true;
  shape.high_availability = true;
  shape.leader_change = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape),
                 output_never_retracted);
  std::cout << "output-never-retracted exercised: " << exercised.cases << " cases, "
            << exercised.leader_changes << " with a leader change, "
            << exercised.commit_leader_changes << " with commits of two leaderships, "
            << exercised.fenced_commits << " with a fenced commit" << std::endl;
}

}  // namespace
}  // namespace flinksim::property_tests
