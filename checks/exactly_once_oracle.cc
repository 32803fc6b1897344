#include "checks/exactly_once_oracle.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace flinksim::checks {
namespace {

using OutputKey = std::tuple<graph::ExecutionVertexId, int64_t, int64_t, int64_t, uint64_t, uint64_t>;

// Sinks are compared per job vertex, not per subtask: a restarted job may route a key to the
// same subtask only by the same partitioner, which holds, but the vertex is what users read.
OutputKey canonical(const model::CommittedRecord& c) {
  const graph::ExecutionVertexId sink{c.sink.vertex, 0};
  return {sink, c.record.key, c.record.window_end, c.record.value, c.record.lineage.count, c.record.lineage.hash};
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

}  // namespace

ExactlyOnceVerdict compare_with_reference(const std::vector<model::CommittedRecord>& run,
                                          const std::vector<model::CommittedRecord>& reference) {
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
