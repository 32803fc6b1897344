#pragma once

// `flinksim merge OUT.db IN.db...`: combines the databases of sweep shards. Every run of every
// input is copied with its series unless OUT already holds a run with the same key, so merging
// the shards of a sweep gives the same rows as running it unsharded, and merging twice changes
// nothing. Each input is copied in one transaction: an interrupted merge leaves OUT with whole
// inputs only, and running it again completes it.

#include <string>
#include <vector>

namespace flinksim::reports {

struct MergeInputSummary {
  std::string path;
  size_t runs = 0;      // runs in the input
  size_t inserted = 0;  // runs new to the output
};

// Throws StoreError (naming the file) for an unusable input or output; inputs are checked before
// anything is written. Merging a file into itself is refused.
std::vector<MergeInputSummary> merge_results(const std::string& output, const std::vector<std::string>& inputs);

}  // namespace flinksim::reports
