#include "reports/progress.h"

#include <fmt/format.h>

#include <cmath>
#include <ostream>

namespace flinksim::reports {
namespace {

constexpr double kTerminalInterval = 0.1;  // seconds between redraws
constexpr double kLinesInterval = 10;      // seconds between log lines
constexpr size_t kBarWidth = 24;

}  // namespace

std::string format_clock(double seconds) {
  const int64_t total = std::max<int64_t>(0, std::llround(seconds));
  const int64_t hours = total / 3600;
  const int64_t minutes = total / 60 % 60;
  const int64_t rest = total % 60;
  if (hours > 0) return fmt::format("{}:{:02}:{:02}", hours, minutes, rest);
  return fmt::format("{}:{:02}", minutes, rest);
}

std::string format_progress(ProgressStyle style, size_t done, size_t total, double elapsed_seconds) {
  const double rate = elapsed_seconds > 0 ? static_cast<double>(done) / elapsed_seconds : 0;
  const std::string eta =
      done == 0 || rate <= 0 ? "?" : format_clock(static_cast<double>(total - done) / rate);
  const size_t percent = total == 0 ? 100 : done * 100 / total;
  if (style == ProgressStyle::lines) {
    return fmt::format("sweep: {}/{} runs ({}%), {:.1f} runs/s, ETA {}", done, total, percent, rate, eta);
  }
  const size_t filled = total == 0 ? kBarWidth : done * kBarWidth / total;
  return fmt::format("[{}{}] {:>{}}/{}  {:.1f} runs/s  ETA {}", std::string(filled, '#'),
                     std::string(kBarWidth - filled, '-'), done, std::to_string(total).size(), total,
                     rate, eta);
}

double Progress::steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Progress::Progress(std::ostream& out, ProgressStyle style, size_t total, Clock clock)
    : out_(out), style_(style), total_(total), clock_(std::move(clock)), start_(clock_()),
      last_print_(start_) {}

void Progress::advance() {
  ++done_;
  const double interval = style_ == ProgressStyle::terminal ? kTerminalInterval : kLinesInterval;
  if (clock_() - last_print_ >= interval) print(false);
}

void Progress::finish() { print(true); }

void Progress::print(bool final) {
  last_print_ = clock_();
  const std::string line = format_progress(style_, done_, total_, last_print_ - start_);
  if (style_ == ProgressStyle::terminal) {
    out_ << "\r" << line << "\x1b[K" << (final ? "\n" : "") << std::flush;
  } else {
    out_ << line << "\n" << std::flush;
  }
}

}  // namespace flinksim::reports
