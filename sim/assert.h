#pragma once

// Assertions that stay on in every build. A failed assertion prints the replay hint of the
// simulation running on this thread (seed and scenario), so the failure can be reproduced.

#include <string>

namespace flinksim::sim {

[[noreturn]] void assertion_failed(const char* expression, const char* file, int line,
                                   const std::string& message);

// While alive, makes `hint` part of every assertion failure on this thread. Runs nest; the
// innermost hint wins. This is diagnostic output only and never affects behaviour.
class ReplayHintScope {
 public:
  explicit ReplayHintScope(std::string hint);
  ~ReplayHintScope();
  ReplayHintScope(const ReplayHintScope&) = delete;
  ReplayHintScope& operator=(const ReplayHintScope&) = delete;

 private:
  std::string hint_;
  const std::string* previous_;
};

}  // namespace flinksim::sim

#define FLINKSIM_ASSERT(condition)                                                 \
  do {                                                                             \
    if (!(condition)) [[unlikely]]                                                 \
      ::flinksim::sim::assertion_failed(#condition, __FILE__, __LINE__, {});       \
  } while (false)

#define FLINKSIM_ASSERT_MSG(condition, message)                                    \
  do {                                                                             \
    if (!(condition)) [[unlikely]]                                                 \
      ::flinksim::sim::assertion_failed(#condition, __FILE__, __LINE__, (message)); \
  } while (false)
