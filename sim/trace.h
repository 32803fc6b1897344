#pragma once

// The structured record of a run: events stamped with virtual time and component. Every event
// feeds a canonical 64-bit hash (FNV-1a over a fixed serialization), so two runs can be compared
// by one number; the events themselves are kept only when capture is on.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.h"

namespace flinksim::sim {

// How an event shows in a trace viewer: a point, or the begin/end of a slice on its track.
enum class TracePhase { instant, begin, end };

struct TraceEvent {
  Instant time;
  std::string component;  // the track: a process ("taskmanager-2") or a task ("window:1")
  std::string kind;       // what happened ("crashed", "RUNNING", "checkpoint 3")
  std::string detail;     // free text, part of the hash
  TracePhase phase = TracePhase::instant;
};

class Trace {
 public:
  void set_capture(bool capture) { capture_ = capture; }
  bool capture() const { return capture_; }

  void record(Instant time, std::string_view component, std::string_view kind,
              std::string_view detail = {}, TracePhase phase = TracePhase::instant);

  // Told of every event as it is recorded, captured or not: scenario faults that strike at a
  // protocol moment (`after: "checkpoint 3 completed"`) wait for theirs. One listener; it may
  // schedule simulation events but must not record trace events itself.
  void set_listener(std::function<void(const TraceEvent&)> listener) {
    listener_ = std::move(listener);
  }

  uint64_t hash() const { return hash_; }
  std::string hash_hex() const;
  uint64_t events_recorded() const { return events_recorded_; }
  const std::vector<TraceEvent>& events() const { return events_; }

  // "[    30.000s] taskmanager-2 crashed detail" — the golden-trace format, one event a line;
  // the stamp is right-aligned in 11 characters.
  void write_text(std::ostream& out) const;
  // One JSON object per line: {"t_ns":..,"component":..,"kind":..,"detail":..,"phase":..}.
  void write_json_lines(std::ostream& out) const;
  // Chrome/Perfetto trace-event JSON with default options (see chrome_trace.h for the rules and
  // for options that turn state events into slices).
  void write_chrome_trace(std::ostream& out, std::string_view process_name) const;

 private:
  void mix(std::string_view bytes);
  void mix_u64(uint64_t value);

  bool capture_ = false;
  uint64_t hash_ = 0xcbf29ce484222325ULL;
  uint64_t events_recorded_ = 0;
  std::vector<TraceEvent> events_;
  std::function<void(const TraceEvent&)> listener_;
};

}  // namespace flinksim::sim
