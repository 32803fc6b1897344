#include "sim/trace.h"

#include "sim/chrome_trace.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

namespace flinksim::sim {
namespace {

const char* phase_name(TracePhase phase) {
  switch (phase) {
    case TracePhase::instant:
      return "instant";
    case TracePhase::begin:
      return "begin";
    case TracePhase::end:
      return "end";
  }
  return "instant";
}

}  // namespace

void Trace::mix(std::string_view bytes) {
  for (char c : bytes) {
    hash_ ^= static_cast<unsigned char>(c);
    hash_ *= 0x100000001b3ULL;
  }
  // A separator, so that ("ab","c") and ("a","bc") hash differently.
  hash_ ^= 0xff;
  hash_ *= 0x100000001b3ULL;
}

void Trace::mix_u64(uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    hash_ ^= (value >> (8 * i)) & 0xff;
    hash_ *= 0x100000001b3ULL;
  }
}

void Trace::record(Instant time, std::string_view component, std::string_view kind,
                   std::string_view detail, TracePhase phase) {
  ++events_recorded_;
  mix_u64(static_cast<uint64_t>(time.nanoseconds_since_start()));
  mix(component);
  mix(kind);
  mix(detail);
  mix_u64(static_cast<uint64_t>(phase));
  if (!capture_ && !listener_) return;
  TraceEvent event{time, std::string(component), std::string(kind), std::string(detail), phase};
  if (listener_) listener_(event);
  if (capture_) events_.push_back(std::move(event));
}

std::string Trace::hash_hex() const { return fmt::format("{:016x}", hash_); }

void Trace::write_text(std::ostream& out) const {
  for (const TraceEvent& event : events_) {
    out << fmt::format("[{:>11}] {} {}", format_seconds(event.time), event.component, event.kind);
    if (!event.detail.empty()) out << ' ' << event.detail;
    out << '\n';
  }
}

void Trace::write_json_lines(std::ostream& out) const {
  for (const TraceEvent& event : events_) {
    nlohmann::ordered_json line;
    line["t_ns"] = event.time.nanoseconds_since_start();
    line["component"] = event.component;
    line["kind"] = event.kind;
    line["detail"] = event.detail;
    line["phase"] = phase_name(event.phase);
    out << line.dump() << '\n';
  }
}

void Trace::write_chrome_trace(std::ostream& out, std::string_view process_name) const {
  ChromeTraceOptions options;
  options.title = std::string(process_name);
  sim::write_chrome_trace(events_, options, out);
}

}  // namespace flinksim::sim
