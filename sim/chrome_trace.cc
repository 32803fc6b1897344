#include "sim/chrome_trace.h"

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

namespace flinksim::sim {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kSpanBegin = "-triggered";
constexpr std::array<std::string_view, 4> kSpanEnds{"-completed", "-failed", "-aborted",
                                                    "-expired"};

double microseconds(Instant time) {
  return static_cast<double>(time.nanoseconds_since_start()) / 1000.0;
}

bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// "id=17 ..." -> "17"; nullopt without a leading id.
std::optional<std::string> span_id(std::string_view detail) {
  if (!detail.starts_with("id=")) return std::nullopt;
  detail.remove_prefix(3);
  const size_t end = std::min(detail.find(' '), detail.size());
  if (end == 0) return std::nullopt;
  return std::string(detail.substr(0, end));
}

struct Track {
  int pid = 0;
  int tid = 0;
  std::optional<std::string> open_state;  // the state slice currently open on this track
  std::string host;                       // the component it runs on (placement_kind's detail)
};

struct OpenSpan {
  int pid = 0;
  int tid = 0;
  std::string category;
  std::string id;
  std::string component;
};

class Exporter {
 public:
  explicit Exporter(const ChromeTraceOptions& options) : options_(options) {}

  void add(const TraceEvent& event);
  void add_counter(const CounterSample& sample);
  // Marks the event just written (events_.back()) as the next point of the current flow, if
  // `event` is one.
  void advance_flow(const TraceEvent& event);
  Json finish(Instant end);

 private:
  Track& track(const std::string& component);
  Json timed(const char* phase, const std::string& name, const Track& where, Instant time) const;
  bool add_span(const TraceEvent& event, const Track& where);
  void add_state(const TraceEvent& event, Track& where);
  void end_hosted_states(const std::string& host, Instant time);
  Json span_event(const char* phase, const std::string& category, const std::string& id,
                  const std::string& component, const Track& where, Instant time) const;

  const ChromeTraceOptions& options_;
  Json events_ = Json::array();
  std::map<std::string, int> groups_;      // group name -> pid
  std::map<std::string, Track> tracks_;    // component -> track
  std::vector<std::string> track_order_;   // components in order of first appearance
  std::map<std::string, OpenSpan> spans_;  // async id -> open span
  int flows_started_ = 0;
  std::optional<size_t> flow_step_;        // the step the current flow waits for
};

Track& Exporter::track(const std::string& component) {
  if (auto found = tracks_.find(component); found != tracks_.end()) return found->second;
  const std::string group = options_.group_of ? options_.group_of(component) : std::string("events");
  auto [group_entry, new_group] = groups_.emplace(group, static_cast<int>(groups_.size()) + 1);
  const int pid = group_entry->second;
  if (new_group) {
    std::string label = group;
    if (!options_.title.empty()) label = options_.group_of ? options_.title + ": " + group : options_.title;
    events_.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"tid", 0},
                       {"args", {{"name", label}}}});
  }
  const int tid = static_cast<int>(tracks_.size()) + 1;
  events_.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", tid},
                     {"args", {{"name", component}}}});
  track_order_.push_back(component);
  return tracks_.emplace(component, Track{pid, tid, std::nullopt, ""}).first->second;
}

Json Exporter::timed(const char* phase, const std::string& name, const Track& where,
                     Instant time) const {
  Json event;
  event["name"] = name;
  event["ph"] = phase;
  event["ts"] = microseconds(time);
  event["pid"] = where.pid;
  event["tid"] = where.tid;
  return event;
}

bool Exporter::add_span(const TraceEvent& event, const Track& where) {
  const std::string_view kind = event.kind;
  const std::optional<std::string> id = span_id(event.detail);
  if (!id) return false;
  if (kind.ends_with(kSpanBegin)) {
    const std::string category(kind.substr(0, kind.size() - kSpanBegin.size()));
    const std::string key = event.component + "/" + category + "/" + *id;
    if (spans_.count(key)) return false;  // a second trigger of one id: keep it an instant
    Json begin = span_event("b", category, *id, event.component, where, event.time);
    begin["args"]["detail"] = event.detail;
    events_.push_back(std::move(begin));
    spans_.emplace(key, OpenSpan{where.pid, where.tid, category, *id, event.component});
    return true;
  }
  for (const std::string_view suffix : kSpanEnds) {
    if (!kind.ends_with(suffix)) continue;
    const std::string category(kind.substr(0, kind.size() - suffix.size()));
    const std::string key = event.component + "/" + category + "/" + *id;
    const auto open = spans_.find(key);
    if (open == spans_.end()) return false;  // an end without a begin stays an instant
    Json end = span_event("e", category, *id, event.component, where, event.time);
    end["args"]["result"] = std::string(suffix.substr(1));
    end["args"]["detail"] = event.detail;
    events_.push_back(std::move(end));
    spans_.erase(open);
    return true;
  }
  return false;
}

// "checkpoint 3" with async id "COMPONENT/checkpoint/3", or, for a single-lane category,
// "checkpoint" with async id "COMPONENT/checkpoint" and args.id 3.
Json Exporter::span_event(const char* phase, const std::string& category, const std::string& id,
                          const std::string& component, const Track& where, Instant time) const {
  const bool single_lane = contains(options_.single_lane_spans, category);
  Json event = timed(phase, single_lane ? category : category + " " + id, where, time);
  event["cat"] = category;
  event["id"] = component + "/" + category + (single_lane ? "" : "/" + id);
  event["args"] = Json::object();
  if (single_lane) event["args"]["id"] = id;
  return event;
}

// The crash of `host` ends the state of every track running on it, at the crash.
void Exporter::end_hosted_states(const std::string& host, Instant time) {
  for (const std::string& component : track_order_) {
    Track& hosted = tracks_.at(component);
    if (hosted.host != host || !hosted.open_state) continue;
    events_.push_back(timed("E", *hosted.open_state, hosted, time));
    hosted.open_state.reset();
    hosted.host.clear();
  }
}

void Exporter::advance_flow(const TraceEvent& event) {
  const auto& steps = options_.flow_steps;
  if (steps.empty() || events_.empty()) return;
  const bool starts = contains(steps.front(), event.kind);
  if (!starts && (!flow_step_ || !contains(steps[*flow_step_], event.kind))) return;
  if (starts) {
    ++flows_started_;
    flow_step_ = 0;
  }
  const bool last = *flow_step_ + 1 == steps.size();
  Json& marked = events_.back();
  marked["cat"] = options_.flow_name;
  Json point{{"name", options_.flow_name}, {"cat", options_.flow_name},
             {"ph", starts ? "s" : (last ? "f" : "t")}, {"id", flows_started_},
             {"ts", marked.at("ts")}, {"pid", marked.at("pid")}, {"tid", marked.at("tid")}};
  if (last) point["bp"] = "e";
  events_.push_back(std::move(point));
  if (last) {
    flow_step_.reset();
  } else {
    ++*flow_step_;
  }
}

void Exporter::add_counter(const CounterSample& sample) {
  const Track& where = track(sample.component);
  Json counter = timed("C", sample.name, where, sample.time);
  counter["args"] = {{sample.name, sample.value}};
  events_.push_back(std::move(counter));
}

void Exporter::add_state(const TraceEvent& event, Track& where) {
  if (where.open_state) events_.push_back(timed("E", *where.open_state, where, event.time));
  Json begin = timed("B", event.kind, where, event.time);
  if (!event.detail.empty()) begin["args"] = {{"detail", event.detail}};
  events_.push_back(std::move(begin));
  where.open_state = event.kind;
  if (!options_.placement_kind.empty() && event.kind == options_.placement_kind) where.host = event.detail;
}

void Exporter::add(const TraceEvent& event) {
  Track& where = track(event.component);
  if (event.phase != TracePhase::instant) {
    Json slice = timed(event.phase == TracePhase::begin ? "B" : "E", event.kind, where, event.time);
    if (!event.detail.empty()) slice["args"] = {{"detail", event.detail}};
    events_.push_back(std::move(slice));
    return;
  }
  if (contains(options_.state_kinds, event.kind)) {
    add_state(event, where);
    return;
  }
  if (contains(options_.host_end_kinds, event.kind)) end_hosted_states(event.component, event.time);
  if (add_span(event, where)) return;
  Json instant = timed("i", event.kind, where, event.time);
  instant["s"] = contains(options_.global_kinds, event.kind) ? "g" : "t";
  if (!event.detail.empty()) instant["args"] = {{"detail", event.detail}};
  events_.push_back(std::move(instant));
}

Json Exporter::finish(Instant end) {
  // Close what is still open, in a deterministic order (first appearance, then span id).
  for (const std::string& component : track_order_) {
    Track& where = tracks_.at(component);
    if (!where.open_state) continue;
    events_.push_back(timed("E", *where.open_state, where, end));
    where.open_state.reset();
  }
  for (const auto& [key, span] : spans_) {
    const Track where{span.pid, span.tid, std::nullopt, ""};
    Json close = span_event("e", span.category, span.id, span.component, where, end);
    close["args"]["result"] = "unfinished";
    events_.push_back(std::move(close));
  }
  spans_.clear();
  Json document;
  document["traceEvents"] = std::move(events_);
  document["displayTimeUnit"] = "ms";
  return document;
}

}  // namespace

void write_chrome_trace(std::span<const TraceEvent> events, const ChromeTraceOptions& options,
                        std::ostream& out) {
  Exporter exporter(options);
  Instant end = Instant::zero();
  auto counter = options.counters.begin();
  for (const TraceEvent& event : events) {
    // Counter samples go in time order with the events, before those of the same instant.
    for (; counter != options.counters.end() && counter->time <= event.time; ++counter) {
      exporter.add_counter(*counter);
    }
    exporter.add(event);
    exporter.advance_flow(event);
    end = std::max(end, event.time);
  }
  for (; counter != options.counters.end(); ++counter) {
    exporter.add_counter(*counter);
    end = std::max(end, counter->time);
  }
  out << exporter.finish(end).dump() << '\n';
}

}  // namespace flinksim::sim
