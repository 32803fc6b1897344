#include "reports/seed_range.h"

#include <charconv>
#include <limits>

namespace flinksim::reports {
namespace {

constexpr uint64_t kSeedMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
// A sweep plans every run before it starts: more seeds than this would take more memory than a
// machine has, and longer than anyone waits (a million runs of the smallest scenario take hours).
constexpr uint64_t kSeedCountMax = 1'000'000;

std::optional<uint64_t> parse_seed(std::string_view text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [pointer, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || pointer != end || value > kSeedMax) return std::nullopt;
  return value;
}

}  // namespace

std::string SeedRange::to_string() const {
  return first == last ? std::to_string(first) : std::to_string(first) + ".." + std::to_string(last);
}

std::optional<SeedRange> parse_seed_range(std::string_view text, std::string& error) {
  const size_t dots = text.find("..");
  const std::string_view first_text = dots == std::string_view::npos ? text : text.substr(0, dots);
  const std::string_view last_text = dots == std::string_view::npos ? text : text.substr(dots + 2);
  const std::optional<uint64_t> first = parse_seed(first_text);
  const std::optional<uint64_t> last = parse_seed(last_text);
  if (!first || !last) {
    error = "bad seed range '" + std::string(text) + "': expected A..B or N with 0 <= A <= B <= " +
            std::to_string(kSeedMax);
    return std::nullopt;
  }
  if (*first > *last) {
    error = "bad seed range '" + std::string(text) + "': the first seed is larger than the last";
    return std::nullopt;
  }
  // Seeds fit in int64, so the count (at most 2^63) fits in uint64.
  if (const uint64_t count = *last - *first + 1; count > kSeedCountMax) {
    error = "bad seed range '" + std::string(text) + "': " + std::to_string(count) +
            " seeds, at most " + std::to_string(kSeedCountMax) + " in one range";
    return std::nullopt;
  }
  return SeedRange{*first, *last};
}

}  // namespace flinksim::reports
