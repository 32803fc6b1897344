#include "reports/statistics.h"

#include <algorithm>
#include <vector>

namespace flinksim::reports {

int64_t nearest_rank(std::span<const int64_t> sorted, int percent) {
  // ceil(percent * n / 100) in integers, at least rank 1.
  const size_t n = sorted.size();
  const size_t rank = std::max<size_t>(1, (static_cast<size_t>(percent) * n + 99) / 100);
  return sorted[std::min(rank, n) - 1];
}

std::optional<Distribution> summarize(std::span<const int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::vector<int64_t> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return Distribution{sorted.size(), sorted.front(), nearest_rank(sorted, 50), nearest_rank(sorted, 90),
                      sorted.back()};
}

}  // namespace flinksim::reports
