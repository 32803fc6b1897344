#include "sim/assert.h"

#include <cstdio>
#include <cstdlib>

namespace flinksim::sim {
namespace {
// The only thread-local in the project: a pointer to diagnostic text for crash reports.
thread_local const std::string* current_hint = nullptr;
}  // namespace

void assertion_failed(const char* expression, const char* file, int line,
                      const std::string& message) {
  std::fprintf(stderr, "%s:%d: assertion failed: %s", file, line, expression);
  if (!message.empty()) std::fprintf(stderr, " (%s)", message.c_str());
  std::fprintf(stderr, "\n");
  if (current_hint != nullptr) std::fprintf(stderr, "replay: %s\n", current_hint->c_str());
  std::fflush(stderr);
  std::abort();
}

ReplayHintScope::ReplayHintScope(std::string hint) : hint_(std::move(hint)), previous_(current_hint) {
  current_hint = &hint_;
}

ReplayHintScope::~ReplayHintScope() { current_hint = previous_; }

}  // namespace flinksim::sim
