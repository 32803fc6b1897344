#pragma once

// Progress of a sweep on stderr: a progress bar with rate and ETA redrawn in place on a terminal,
// plain periodic lines otherwise (logs of batch jobs). Wall-clock time only decides when to print;
// it never touches a simulation.

#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>

namespace flinksim::reports {

enum class ProgressStyle { terminal, lines };

// "0:07", "12:05", "1:02:03".
std::string format_clock(double seconds);
// "[##########----------]  50/100  12.5 runs/s  ETA 0:04" (terminal) or
// "sweep: 50/100 runs (50%), 12.5 runs/s, ETA 0:04" (lines).
std::string format_progress(ProgressStyle style, size_t done, size_t total, double elapsed_seconds);

class Progress {
 public:
  using Clock = std::function<double()>;  // seconds since some fixed moment

  Progress(std::ostream& out, ProgressStyle style, size_t total, Clock clock = steady_seconds);
  // One more run finished.
  void advance();
  // The final line (always printed).
  void finish();

  static double steady_seconds();

 private:
  void print(bool final);

  std::ostream& out_;
  ProgressStyle style_;
  size_t total_;
  size_t done_ = 0;
  Clock clock_;
  double start_;
  double last_print_;
};

}  // namespace flinksim::reports
