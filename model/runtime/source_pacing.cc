#include "model/runtime/source_pacing.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/assert.h"

namespace flinksim::model::runtime {
namespace {

// Nanoseconds in a million hours: records due = elapsed_ns · records_per_million_hours / this.
// At most 3650 days (3.2 · 10^17 ns) times 10^9/s (3.6 · 10^18 per million hours): 1.1 · 10^36,
// well inside 128 bits.
constexpr __int128 kNanosecondsPerMillionHours = static_cast<__int128>(1'000'000'000) * 3'600'000'000;

}  // namespace

SourcePacing::SourcePacing(double records_per_second)
    : records_per_million_hours_(std::max<int64_t>(std::llround(std::min(records_per_second, 1e9) * 3.6e9), 1)) {
  FLINKSIM_ASSERT(records_per_second > 0);
}

int64_t SourcePacing::records_due(sim::Duration elapsed) const {
  if (elapsed <= sim::Duration::zero()) return 0;
  const __int128 due = static_cast<__int128>(elapsed.count_nanoseconds()) * records_per_million_hours_ /
                       kNanosecondsPerMillionHours;
  return static_cast<int64_t>(std::min<__int128>(due, std::numeric_limits<int64_t>::max()));
}

sim::Duration SourcePacing::due_after(int64_t records) const {
  if (records <= 0) return sim::Duration::zero();
  const __int128 numerator = static_cast<__int128>(records) * kNanosecondsPerMillionHours;
  const __int128 nanoseconds = (numerator + records_per_million_hours_ - 1) / records_per_million_hours_;
  return sim::Duration::nanoseconds(
      static_cast<int64_t>(std::min<__int128>(nanoseconds, std::numeric_limits<int64_t>::max())));
}

}  // namespace flinksim::model::runtime
