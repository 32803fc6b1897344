#include "scenarios/diagnostics.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace flinksim::scenarios {

std::string SourceLocation::format() const {
  const std::string& name = file.empty() ? std::string("<input>") : file;
  // fmt rather than operator+: g++ 12 at -O3 warns falsely (-Wrestrict, GCC bug 105329) on
  // `":" + std::to_string(...)`.
  if (line <= 0) return name;
  return fmt::format("{}:{}:{}", name, line, column);
}

std::string format_warning(const SourceLocation& location, std::string_view message) {
  return fmt::format("{}: warning: {}", location.format(), message);
}

std::string Diagnostic::format() const {
  std::string out = fmt::format("{}: error: {}", location.format(), message);
  if (!path.empty()) out += " in '" + path + "'";
  return out;
}

void Diagnostics::error(SourceLocation location, std::string path, std::string message) {
  errors_.push_back(Diagnostic{std::move(location), std::move(path), std::move(message)});
}

std::string Diagnostics::format() const {
  std::string out;
  for (const Diagnostic& diagnostic : errors_) out += diagnostic.format() + "\n";
  return out;
}

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string nearest_spelling(std::string_view word, std::span<const std::string> candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& candidate : candidates) {
    const size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  // Allow about one typo per three characters, at least two.
  const size_t allowed = std::max<size_t>(2, word.size() / 3);
  return best_distance <= allowed ? best : std::string();
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
  const std::string nearest = nearest_spelling(word, candidates);
  return nearest.empty() ? std::string() : " (did you mean '" + nearest + "'?)";
}

InputError::InputError(Diagnostics diagnostics)
    : diagnostics_(std::move(diagnostics)), text_(diagnostics_.format()) {}

}  // namespace flinksim::scenarios
