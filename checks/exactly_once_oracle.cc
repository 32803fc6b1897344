#include "checks/exactly_once_oracle.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "model/runtime/record.h"

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

// Sink vertices whose every output in both runs reflects exactly one source record and is not a
// window result: a pass-through pipeline (maps, filters), where each output stands for its record.
std::set<uint32_t> pass_through_sinks(const std::vector<model::CommittedRecord>& run,
                                      const std::vector<model::CommittedRecord>& reference) {
  std::set<uint32_t> sinks;
  std::set<uint32_t> others;
  for (const auto* records : {&run, &reference}) {
    for (const auto& c : *records) {
      const bool single = c.record.window_end < 0 && c.record.lineage.count == 1;
      (single ? sinks : others).insert(c.sink.vertex.index);
    }
  }
  for (uint32_t sink : others) sinks.erase(sink);
  return sinks;
}

// (sink vertex, source partition) and the source offset of a pass-through output.
std::pair<std::pair<uint32_t, uint32_t>, int64_t> source_position(const model::CommittedRecord& c) {
  const uint64_t id = model::runtime::unmix64(c.record.lineage.hash);
  return {{c.sink.vertex.index, model::runtime::source_partition_of(id)},
          model::runtime::source_offset_of(id)};
}

// The latest window end; per (sink vertex, key) the largest running-aggregate lineage; and per
// (sink vertex, source partition) the largest offset a pass-through sink committed.
struct Progress {
  int64_t window_end = -1;
  std::map<std::pair<uint32_t, int64_t>, uint64_t> updates;
  std::map<std::pair<uint32_t, uint32_t>, int64_t> offsets;
};

Progress progress_of(const std::vector<model::CommittedRecord>& records,
                     const std::set<uint32_t>& pass_through) {
  Progress progress;
  for (const auto& c : records) {
    if (c.record.window_end >= 0) {
      progress.window_end = std::max(progress.window_end, c.record.window_end);
    } else if (pass_through.contains(c.sink.vertex.index)) {
      const auto [position, offset] = source_position(c);
      const auto [it, inserted] = progress.offsets.emplace(position, offset);
      if (!inserted) it->second = std::max(it->second, offset);
    } else {
      uint64_t& n = progress.updates[{c.sink.vertex.index, c.record.key}];
      n = std::max(n, c.record.lineage.count);
    }
  }
  return progress;
}

// Whether an output lies in what both runs reached: a window ending before the last one both
// committed (that one may be partly committed); an update no further than the other run's
// progress on the key; a pass-through output of a source record no further than the other run's
// progress in its source partition. (Every plain record has lineage count 1, so the per-key rule
// would keep all of them and count a run that is merely behind as losing records.)
bool within_common_prefix(const model::CommittedRecord& c, int64_t window_limit,
                          const Progress& other, const std::set<uint32_t>& pass_through) {
  if (c.record.window_end >= 0) return c.record.window_end < window_limit;
  if (pass_through.contains(c.sink.vertex.index)) {
    const auto [position, offset] = source_position(c);
    const auto found = other.offsets.find(position);
    return found != other.offsets.end() && offset <= found->second;
  }
  const auto found = other.updates.find({c.sink.vertex.index, c.record.key});
  return found != other.updates.end() && c.record.lineage.count <= found->second;
}

// One run's output split at the prefix both runs reached.
struct Split {
  std::vector<model::CommittedRecord> kept;
  std::vector<model::CommittedRecord> beyond;
};

Split split_at_common_prefix(const std::vector<model::CommittedRecord>& records,
                             const Progress& own, const Progress& other,
                             const std::set<uint32_t>& pass_through) {
  const int64_t window_limit = std::min(own.window_end, other.window_end);
  Split split;
  for (const auto& c : records) {
    (within_common_prefix(c, window_limit, other, pass_through) ? split.kept : split.beyond)
        .push_back(c);
  }
  return split;
}

// Source records reflected per logical output: (sink vertex, key, window end or -1, source
// record id + 1 for a pass-through sink's output, else 0). A pass-through output is counted per
// source record, so that a record lost and another of the same key duplicated do not cancel.
using LogicalKey = std::tuple<uint32_t, int64_t, int64_t, uint64_t>;

std::map<LogicalKey, int64_t> reflected(const std::vector<model::CommittedRecord>& records,
                                        const std::set<uint32_t>& pass_through) {
  std::map<LogicalKey, int64_t> counts;
  for (const auto& c : records) {
    const bool single = pass_through.contains(c.sink.vertex.index);
    const uint64_t source = single ? model::runtime::unmix64(c.record.lineage.hash) + 1 : 0;
    const LogicalKey key{c.sink.vertex.index, c.record.key, c.record.window_end, source};
    counts[key] += c.record.window_end >= 0 ? static_cast<int64_t>(c.record.lineage.count) : 1;
  }
  return counts;
}

// Two counts side by side, per key of either: (run, reference), zero where a side lacks the key.
template <typename Key>
std::map<Key, std::pair<int64_t, int64_t>> side_by_side(const std::map<Key, int64_t>& run,
                                                        const std::map<Key, int64_t>& reference) {
  std::map<Key, std::pair<int64_t, int64_t>> both;
  for (const auto& [key, count] : run) both[key].first = count;
  for (const auto& [key, count] : reference) both[key].second = count;
  return both;
}

// Source records lost (the run reflects fewer than the reference) and duplicated (more).
struct Difference {
  int64_t lost = 0;
  int64_t duplicated = 0;

  void add(const std::pair<int64_t, int64_t>& run_and_reference) {
    const auto [run, reference] = run_and_reference;
    if (run > reference) duplicated += run - reference;
    if (run < reference) lost += reference - run;
  }
};

// Adds the difference of two outputs to `verdict`: whether they are equal as multisets, and per
// logical output the source records one reflects more (duplicated) or fewer (lost) than the other.
void add_difference(ExactlyOnceVerdict& verdict, const std::vector<model::CommittedRecord>& run,
                    const std::vector<model::CommittedRecord>& reference,
                    const std::set<uint32_t>& pass_through) {
  verdict.output_matches_reference = canonical_multiset(run) == canonical_multiset(reference);
  Difference difference;
  for (const auto& [key, counts] : side_by_side(reflected(run, pass_through), reflected(reference, pass_through))) {
    difference.add(counts);
  }
  verdict.records_lost += difference.lost;
  verdict.records_duplicated += difference.duplicated;
}

using KeyDifferences = std::map<int64_t, Difference>;

// Per key, the running-aggregate updates (one per record reaching the aggregate) the run
// committed fewer or more of than the reference, over every sink.
KeyDifferences update_differences(const std::vector<model::CommittedRecord>& run,
                                  const std::vector<model::CommittedRecord>& reference) {
  const std::set<uint32_t> pass_through = pass_through_sinks(run, reference);
  KeyDifferences differences;
  for (const auto& [output, counts] : side_by_side(reflected(run, pass_through), reflected(reference, pass_through))) {
    const auto [sink, key, window_end, source] = output;
    if (window_end < 0 && source == 0) differences[key].add(counts);
  }
  return differences;
}

// Per (job vertex, key), the source records a running aggregate's final state reflects. A
// window's state is left out: what it held reaches the output whole when the window fires, and
// the output's lineage already counts it.
std::map<std::pair<uint32_t, int64_t>, int64_t> state_counts(const FinalKeyedState& state) {
  std::map<std::pair<uint32_t, int64_t>, int64_t> counts;
  for (const auto& [task, entries] : state) {
    for (const model::operators::KeyedStateEntry& entry : entries) {
      if (entry.window_end < 0) counts[{task.vertex.index, entry.key}] += static_cast<int64_t>(entry.lineage.count);
    }
  }
  return counts;
}

KeyDifferences state_differences(const FinalKeyedState& run, const FinalKeyedState& reference) {
  KeyDifferences differences;
  for (const auto& [state, counts] : side_by_side(state_counts(run), state_counts(reference))) {
    differences[state.second].add(counts);
  }
  return differences;
}

}  // namespace

bool same_final_state(const FinalKeyedState& run, const FinalKeyedState& reference) { return run == reference; }

void add_final_state(ExactlyOnceVerdict& verdict, const std::vector<model::CommittedRecord>& run_output,
                     const std::vector<model::CommittedRecord>& reference_output,
                     const FinalKeyedState& run_state, const FinalKeyedState& reference_state) {
  verdict.state_matches_reference = same_final_state(run_state, reference_state);
  const KeyDifferences shown = update_differences(run_output, reference_output);
  for (const auto& [key, state] : state_differences(run_state, reference_state)) {
    verdict.state_records_lost += state.lost;
    verdict.state_records_duplicated += state.duplicated;
    const auto found = shown.find(key);
    const Difference output = found == shown.end() ? Difference{} : found->second;
    verdict.records_lost += std::max<int64_t>(0, state.lost - output.lost);
    verdict.records_duplicated += std::max<int64_t>(0, state.duplicated - output.duplicated);
  }
}

ExactlyOnceVerdict compare_with_reference(const std::vector<model::CommittedRecord>& run_output,
                                          const std::vector<model::CommittedRecord>& reference_output,
                                          Comparison comparison) {
  const std::set<uint32_t> pass_through = pass_through_sinks(run_output, reference_output);
  ExactlyOnceVerdict verdict;
  if (comparison == Comparison::whole) {
    add_difference(verdict, run_output, reference_output, pass_through);
    return verdict;
  }
  const Progress run_progress = progress_of(run_output, pass_through);
  const Progress reference_progress = progress_of(reference_output, pass_through);
  const Split run = split_at_common_prefix(run_output, run_progress, reference_progress, pass_through);
  const Split reference =
      split_at_common_prefix(reference_output, reference_progress, run_progress, pass_through);
  add_difference(verdict, run.kept, reference.kept, pass_through);
  if (comparison == Comparison::run_ended) {
    // The run will never commit what lies beyond the prefix: the reference's surplus there is
    // missing, and the run's own surplus (ahead of the reference somewhere) duplicated.
    ExactlyOnceVerdict rest;
    add_difference(rest, run.beyond, reference.beyond, pass_through);
    verdict.output_matches_reference &= rest.output_matches_reference;
    verdict.records_missing = rest.records_lost;
    verdict.records_duplicated += rest.records_duplicated;
  }
  return verdict;
}

}  // namespace flinksim::checks
