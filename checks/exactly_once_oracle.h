#pragma once

// The exactly-once oracle: compares what the sinks of a faulty run made visible with what the
// same scenario and seed commit without faults.
// - `output_matches_reference`: the committed outputs are equal as multisets (commit order may
//   differ between runs; content may not).
// - records lost and duplicated, in source records: a window result reflects the records counted
//   in its lineage, so per (sink, key, window) the difference of reflected records is lost (less)
//   or duplicated (more) — a window fired twice doubles them, data lost in flight shrinks them;
//   any other output (running aggregate, map) stands for the one record that caused it, so per
//   (sink, key) the difference in the number of outputs counts.

#include <cstdint>
#include <vector>

#include "model/sink_store.h"

namespace flinksim::checks {

struct ExactlyOnceVerdict {
  bool output_matches_reference = true;
  int64_t records_lost = 0;
  int64_t records_duplicated = 0;
  bool exactly_once() const { return output_matches_reference && records_lost == 0 && records_duplicated == 0; }
};

ExactlyOnceVerdict compare_with_reference(const std::vector<model::CommittedRecord>& run,
                                          const std::vector<model::CommittedRecord>& reference);

}  // namespace flinksim::checks
