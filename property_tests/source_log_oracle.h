#pragma once

// The absolute oracle (issue 22): a run's committed output against the source log itself, not
// against a reference run of the same model, so that a bug that hits failure-free runs as well
// is named for what it is. For a bounded job whose every source record reaches the sinks (no
// `filter`): each source record is committed exactly once per copy the broadcast edges after its
// source make (GeneratedJob::broadcast_copies_after), so
//   - without an aggregate, the committed records' lineage counts (window results count every
//     record of their window, pass-through records one) add up to that total;
//   - with a keyed aggregate (and no window), which emits one update per input record, the
//     committed records number that total.
// Jobs with a filter, or an aggregate and a window, are not checked (nullopt, "no verdict").

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/sink_store.h"
#include "property_tests/generated_job.h"

namespace flinksim::property_tests {

struct SourceLogExpectation {
  int64_t records = 0;  // the total every committed record's effect must add up to
  bool count_lineage = true;  // false: count the committed records themselves
};

std::optional<SourceLogExpectation> source_log_expectation(const GeneratedJob& job);

// A message naming the shortfall or excess, or nullopt when the output matches the source log.
std::optional<std::string> check_against_source_log(
    const GeneratedJob& job, const std::vector<model::CommittedRecord>& committed);

}  // namespace flinksim::property_tests
