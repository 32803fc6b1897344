#pragma once

// The seeds a sweep or comparison runs: `A..B` (inclusive) or a single seed `N`, as written on
// the command line (`--seeds 1..20`).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flinksim::reports {

struct SeedRange {
  uint64_t first = 1;
  uint64_t last = 1;  // inclusive

  uint64_t size() const { return last - first + 1; }
  std::string to_string() const;
};

// Parses "A..B" or "N". Seeds are stored as SQLite integers, so they must fit in int64; a range
// holds at most 1,000,000 seeds. On failure returns nullopt and sets `error` to one sentence
// naming the text.
std::optional<SeedRange> parse_seed_range(std::string_view text, std::string& error);

}  // namespace flinksim::reports
