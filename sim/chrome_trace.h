#pragma once

// Chrome/Perfetto trace-event JSON from the structured trace of a run, for people to look at in
// ui.perfetto.dev or chrome://tracing. The exporter knows nothing about Flink; the caller says
// which event kinds are states and which components form which group, and the rules below turn
// a flat list of events into tracks, slices, spans and markers:
//
// - Tracks: one thread track per component, grouped into processes by `group_of` (for flinksim:
//   "cluster" for processes, "tasks" for VERTEX:SUBTASK components). Metadata names every
//   process ("TITLE: GROUP") and thread; ids follow the order of first appearance.
// - States: an instant event whose kind is in `state_kinds` ends the previous state slice of its
//   component and begins a new one, so a task shows as DEPLOYING | INITIALIZING | RUNNING | ...
//   Open slices close at the end of the trace.
// - Spans: "X-triggered" with detail "id=N ..." opens the asynchronous span "X N" on its
//   component; "X-completed", "X-failed", "X-aborted" or "X-expired" with the same id closes it
//   (the outcome goes to args.result). Spans still open at the end close with "unfinished".
//   Async events allow overlapping spans (several concurrent checkpoints).
// - Marks: kinds in `global_kinds` (faults, failovers) are instants with global scope, drawn
//   across every track; all other events are thread-scoped instants.
// - Explicit begin/end phases recorded by the model pass through as B/E slices.
// - Hosts: a state event of kind `placement_kind` names in its detail the component its track
//   runs on; an event of a kind in `host_end_kinds` on that component ends the track's open
//   state there (a task on a crashed TaskManager stops at the crash, not when it is redeployed).
// - One lane: spans of a category in `single_lane_spans` are named after the category alone and
//   share one async id per component, so they stack in one lane; their id goes to args.id.
// - Counters: `counters` samples become "C" events on their component's process, in time order
//   with the events.
// - Flows: an event of a kind in `flow_steps[0]` starts a flow named `flow_name`; the next event
//   of a kind in each following step continues it, the last step ends it (ph s, t, f). Each
//   flow event has the pid, tid, ts and cat of the event it marks, which gets that cat too, so
//   viewers draw an arrow from one to the next (a fault, its detection, the failover, the first
//   redeployment). A new start abandons a flow that did not reach its end.
// Timestamps are microseconds of virtual time.

#include <functional>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/trace.h"

namespace flinksim::sim {

struct CounterSample {
  Instant time;
  std::string component;  // whose process group shows the counter
  std::string name;
  int64_t value = 0;
};

struct ChromeTraceOptions {
  std::string title;  // shown as the name of the first process group, e.g. the scenario
  std::vector<std::string> state_kinds;
  std::vector<std::string> global_kinds;
  // Name of the process group a component belongs to; every component in one group if unset.
  std::function<std::string(std::string_view component)> group_of;
  std::string placement_kind;
  std::vector<std::string> host_end_kinds;
  std::vector<std::string> single_lane_spans;
  std::vector<CounterSample> counters;  // in time order
  std::vector<std::vector<std::string>> flow_steps;
  std::string flow_name = "flow";
};

void write_chrome_trace(std::span<const TraceEvent> events, const ChromeTraceOptions& options,
                        std::ostream& out);

}  // namespace flinksim::sim
