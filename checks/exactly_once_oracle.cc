#include "checks/exactly_once_oracle.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace flinksim::checks {
namespace {

using OutputKey = std::tuple<graph::ExecutionVertexId, int64_t, int64_t, int64_t, uint64_t, uint64_t>;

// Sinks are compared per job vertex, not per subtask: a restarted job may route a key to the
// same subtask only by the same partitioner, which holds, but the vertex is what users read.
// A window result reflects a set of records, which does not depend on the order they arrived
// in, so its lineage hash is compared. A running aggregate's n-th update reflects whichever n
// records of the key came first; after a recovery the channels interleave differently than in
// the reference, so only (key, value, count) are compared — the hash would flag an order, not a
// loss.
OutputKey canonical(const model::CommittedRecord& c) {
  const graph::ExecutionVertexId sink{c.sink.vertex, 0};
  const uint64_t hash = c.record.window_end >= 0 ? c.record.lineage.hash : 0;
  return {sink, c.record.key, c.record.window_end, c.record.value, c.record.lineage.count, hash};
}

std::vector<OutputKey> canonical_multiset(const std::vector<model::CommittedRecord>& records) {
  std::vector<OutputKey> keys;
  keys.reserve(records.size());
  for (const auto& c : records) keys.push_back(canonical(c));
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Source records reflected per logical output: (sink vertex, key, window end or -1).
using LogicalKey = std::tuple<uint32_t, int64_t, int64_t>;

std::map<LogicalKey, int64_t> reflected(const std::vector<model::CommittedRecord>& records) {
  std::map<LogicalKey, int64_t> counts;
  for (const auto& c : records) {
    const LogicalKey key{c.sink.vertex.index, c.record.key, c.record.window_end};
    counts[key] += c.record.window_end >= 0 ? static_cast<int64_t>(c.record.lineage.count) : 1;
  }
  return counts;
}

// The latest window end, and per (sink vertex, key) the largest running-aggregate lineage.
struct Progress {
  int64_t window_end = -1;
  std::map<std::pair<uint32_t, int64_t>, uint64_t> updates;
};

Progress progress_of(const std::vector<model::CommittedRecord>& records) {
  Progress progress;
  for (const auto& c : records) {
    if (c.record.window_end >= 0) {
      progress.window_end = std::max(progress.window_end, c.record.window_end);
    } else {
      uint64_t& n = progress.updates[{c.sink.vertex.index, c.record.key}];
      n = std::max(n, c.record.lineage.count);
    }
  }
  return progress;
}

// Keeps what both runs reached: windows ending before the last one both committed (that one
// may be partly committed), and updates no further than the other run's progress on the key.
std::vector<model::CommittedRecord> common_prefix(const std::vector<model::CommittedRecord>& records,
                                                  const Progress& own, const Progress& other) {
  const int64_t window_limit = std::min(own.window_end, other.window_end);
  std::vector<model::CommittedRecord> kept;
  for (const auto& c : records) {
    if (c.record.window_end >= 0) {
      if (c.record.window_end < window_limit) kept.push_back(c);
      continue;
    }
    const auto found = other.updates.find({c.sink.vertex.index, c.record.key});
    if (found != other.updates.end() && c.record.lineage.count <= found->second) kept.push_back(c);
  }
  return kept;
}

}  // namespace

bool same_final_state(const FinalKeyedState& run, const FinalKeyedState& reference) { return run == reference; }

ExactlyOnceVerdict compare_with_reference(const std::vector<model::CommittedRecord>& run_output,
                                          const std::vector<model::CommittedRecord>& reference_output,
                                          Comparison comparison) {
  std::vector<model::CommittedRecord> run = run_output;
  std::vector<model::CommittedRecord> reference = reference_output;
  if (comparison == Comparison::common_prefix) {
    const Progress run_progress = progress_of(run_output);
    const Progress reference_progress = progress_of(reference_output);
    run = common_prefix(run_output, run_progress, reference_progress);
    reference = common_prefix(reference_output, reference_progress, run_progress);
  }
  ExactlyOnceVerdict verdict;
  verdict.output_matches_reference = canonical_multiset(run) == canonical_multiset(reference);
  const auto in_run = reflected(run);
  const auto in_reference = reflected(reference);
  auto r = in_run.begin();
  auto f = in_reference.begin();
  // Walk both ordered maps together; a key missing on one side counts as zero there.
  while (r != in_run.end() || f != in_reference.end()) {
    int64_t run_count = 0;
    int64_t reference_count = 0;
    if (f == in_reference.end() || (r != in_run.end() && r->first < f->first)) {
      run_count = (r++)->second;
    } else if (r == in_run.end() || f->first < r->first) {
      reference_count = (f++)->second;
    } else {
      run_count = (r++)->second;
      reference_count = (f++)->second;
    }
    if (run_count > reference_count) verdict.records_duplicated += run_count - reference_count;
    if (run_count < reference_count) verdict.records_lost += reference_count - run_count;
  }
  return verdict;
}

}  // namespace flinksim::checks
