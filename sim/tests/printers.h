#pragma once

// GoogleTest printers for the kernel's value types, so a failed comparison shows "11000000ns"
// rather than a byte dump. Found by argument-dependent lookup; tests include this header.

#include <ostream>

#include "sim/time.h"

namespace flinksim::sim {

inline void PrintTo(Instant instant, std::ostream* out) {
  *out << instant.nanoseconds_since_start() << "ns";
}

inline void PrintTo(Duration duration, std::ostream* out) {
  *out << duration.count_nanoseconds() << "ns";
}

}  // namespace flinksim::sim
