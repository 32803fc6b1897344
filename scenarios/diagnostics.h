#pragma once

// Errors in user input (scenario files, job graphs, step files, --conf values). Every diagnostic
// names the file, line and column, and the path inside the document, so that a user can find the
// mistake at once; loaders collect all diagnostics of a file instead of stopping at the first.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flinksim::scenarios {

struct SourceLocation {
  std::string file;  // as given by the user; "<command line>" for --conf and flags
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  // "FILE:LINE:COL", or "FILE" when the position is unknown.
  std::string format() const;
};

// "FILE:LINE:COL: warning: MESSAGE": non-fatal findings such as deprecated Flink keys.
std::string format_warning(const SourceLocation& location, std::string_view message);

struct Diagnostic {
  SourceLocation location;
  std::string path;     // e.g. "job.vertices[2].parallelism"; empty for the document itself
  std::string message;  // one sentence, no trailing period

  // "FILE:LINE:COL: error: MESSAGE in 'PATH'" (the contract's format, SCENARIOS.md).
  std::string format() const;
};

class Diagnostics {
 public:
  void error(SourceLocation location, std::string path, std::string message);
  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  // All diagnostics, one per line, in the order they were reported.
  std::string format() const;

 private:
  std::vector<Diagnostic> errors_;
};

// The candidate closest to `word` by edit distance (case-insensitive), if it is close enough to
// be a plausible misspelling; empty otherwise.
std::string nearest_spelling(std::string_view word, std::span<const std::string> candidates);

// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

// Thrown only at the edges (loaders, CLI) to carry the diagnostics of a rejected input.
class InputError : public std::exception {
 public:
  explicit InputError(Diagnostics diagnostics);
  const char* what() const noexcept override { return text_.c_str(); }
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
  std::string text_;
};

}  // namespace flinksim::scenarios
