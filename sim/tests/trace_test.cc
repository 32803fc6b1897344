// Goal: the trace hash is a faithful fingerprint of a run (equal for identical records, different
// when any field or the order changes, independent of capture), and the three writers produce
// exactly the documented formats.
// Method: pairs of traces differing in one field; golden text lines written by hand; the JSON
// writers' output parsed back with nlohmann::json and checked field by field.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/context.h"
#include "sim/trace.h"

namespace flinksim::sim {
namespace {

Instant at_ms(int64_t ms) { return Instant::zero() + Duration::milliseconds(ms); }

struct Record {
  Instant time;
  std::string component;
  std::string kind;
  std::string detail;
  TracePhase phase;
};

uint64_t hash_of(const std::vector<Record>& records) {
  Trace trace;
  for (const Record& r : records) trace.record(r.time, r.component, r.kind, r.detail, r.phase);
  return trace.hash();
}

const Record kBase{at_ms(1500), "taskmanager-2", "crashed", "exit 137", TracePhase::instant};

TEST(TraceHash, IdenticalRecordsGiveEqualHashes) {
  const std::vector<Record> run = {kBase, {at_ms(2000), "jobmaster", "RESTARTING", "", TracePhase::begin}};
  EXPECT_EQ(hash_of(run), hash_of(run));
  Trace empty_a;
  Trace empty_b;
  EXPECT_EQ(empty_a.hash(), empty_b.hash());
  EXPECT_NE(hash_of(run), empty_a.hash());
}

TEST(TraceHash, ChangingAnyFieldChangesTheHash) {
  const uint64_t base = hash_of({kBase});
  Record time = kBase;
  time.time = time.time + Duration::nanoseconds(1);
  Record component = kBase;
  component.component = "taskmanager-3";
  Record kind = kBase;
  kind.kind = "started";
  Record detail = kBase;
  detail.detail = "exit 138";
  Record phase = kBase;
  phase.phase = TracePhase::begin;
  Record no_detail = kBase;
  no_detail.detail = "";
  std::set<uint64_t> hashes = {base};
  for (const Record& changed : {time, component, kind, detail, phase, no_detail}) {
    const uint64_t hash = hash_of({changed});
    EXPECT_NE(hash, base) << changed.component << " " << changed.kind << " " << changed.detail;
    hashes.insert(hash);
  }
  EXPECT_EQ(hashes.size(), 7u);  // all pairwise different, too
}

TEST(TraceHash, FieldBoundariesAndOrderMatter) {
  // Moving a character across a field boundary must change the hash.
  EXPECT_NE(hash_of({{at_ms(1), "ab", "c", "", TracePhase::instant}}),
            hash_of({{at_ms(1), "a", "bc", "", TracePhase::instant}}));
  EXPECT_NE(hash_of({{at_ms(1), "a", "b", "c", TracePhase::instant}}),
            hash_of({{at_ms(1), "a", "bc", "", TracePhase::instant}}));
  // The same events in another order are another run.
  const Record other{at_ms(1500), "jobmaster", "RUNNING", "", TracePhase::instant};
  EXPECT_NE(hash_of({kBase, other}), hash_of({other, kBase}));
}

TEST(TraceHash, CaptureDoesNotAffectTheHash) {
  Trace captured;
  captured.set_capture(true);
  Trace uncaptured;
  for (Trace* trace : {&captured, &uncaptured}) {
    trace->record(kBase.time, kBase.component, kBase.kind, kBase.detail);
    trace->record(at_ms(9), "x", "y");
  }
  EXPECT_EQ(captured.hash(), uncaptured.hash());
  EXPECT_EQ(captured.events().size(), 2u);
  EXPECT_TRUE(uncaptured.events().empty());
  EXPECT_EQ(uncaptured.events_recorded(), 2u);
  EXPECT_EQ(captured.hash_hex().size(), 16u);
  EXPECT_EQ(captured.hash_hex(), fmt::format("{:016x}", captured.hash()));
}

TEST(TraceText, GoldenLineFormat) {
  Trace trace;
  trace.set_capture(true);
  trace.record(at_ms(30'000), "taskmanager-2", "crashed");
  trace.record(at_ms(250), "jobmaster", "RUNNING", "attempt 2");
  trace.record(at_ms(12'345'678), "dispatcher", "stopped");
  trace.record(at_ms(7), "checkpoint", "completed", "id=3", TracePhase::end);
  std::ostringstream out;
  trace.write_text(out);
  // The stamp is right-aligned in 11 characters: "30.000s" is 7, so 4 spaces lead.
  EXPECT_EQ(out.str(),
            "[    30.000s] taskmanager-2 crashed\n"
            "[     0.250s] jobmaster RUNNING attempt 2\n"
            "[ 12345.678s] dispatcher stopped\n"
            "[     0.007s] checkpoint completed id=3\n");
}

TEST(TraceJsonLines, OneParsableObjectPerEvent) {
  Trace trace;
  trace.set_capture(true);
  trace.record(at_ms(1), "a \"quoted\" component", "kind", "detail\nwith newline");
  trace.record(at_ms(2), "b", "slice", "", TracePhase::begin);
  trace.record(at_ms(3), "b", "slice", "", TracePhase::end);
  std::ostringstream out;
  trace.write_json_lines(out);
  std::istringstream lines(out.str());
  std::vector<nlohmann::json> parsed;
  for (std::string line; std::getline(lines, line);) parsed.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0]["t_ns"], 1'000'000);
  EXPECT_EQ(parsed[0]["component"], "a \"quoted\" component");
  EXPECT_EQ(parsed[0]["kind"], "kind");
  EXPECT_EQ(parsed[0]["detail"], "detail\nwith newline");
  EXPECT_EQ(parsed[0]["phase"], "instant");
  EXPECT_EQ(parsed[1]["phase"], "begin");
  EXPECT_EQ(parsed[2]["phase"], "end");
  EXPECT_EQ(parsed[2]["t_ns"], 3'000'000);
}

TEST(TraceChrome, ParsesAndNamesEveryTrack) {
  Trace trace;
  trace.set_capture(true);
  trace.record(at_ms(30'000), "taskmanager-2", "crashed", "exit 137");
  trace.record(at_ms(30'001), "jobmaster", "RESTARTING", "", TracePhase::begin);
  trace.record(at_ms(30'500), "jobmaster", "RESTARTING", "", TracePhase::end);
  trace.record(at_ms(31'000), "taskmanager-2", "started");
  std::ostringstream out;
  trace.write_chrome_trace(out, "scenario-x seed=1");
  const nlohmann::json document = nlohmann::json::parse(out.str());
  ASSERT_TRUE(document.contains("traceEvents"));
  const nlohmann::json& events = document["traceEvents"];
  ASSERT_TRUE(events.is_array());

  std::map<int, std::string> thread_names;
  std::vector<nlohmann::json> timed;
  bool process_named = false;
  for (const nlohmann::json& event : events) {
    if (event["ph"] == "M" && event["name"] == "thread_name") {
      thread_names[event["tid"].get<int>()] = event["args"]["name"].get<std::string>();
    } else if (event["ph"] == "M" && event["name"] == "process_name") {
      process_named = event["args"]["name"] == "scenario-x seed=1";
    } else {
      timed.push_back(event);
    }
  }
  EXPECT_TRUE(process_named);
  ASSERT_EQ(thread_names.size(), 2u);
  ASSERT_EQ(timed.size(), 4u);
  // Each timed event sits on the track named after its component.
  EXPECT_EQ(thread_names[timed[0]["tid"].get<int>()], "taskmanager-2");
  EXPECT_EQ(thread_names[timed[1]["tid"].get<int>()], "jobmaster");
  EXPECT_EQ(timed[3]["tid"], timed[0]["tid"]);
  // Timestamps are microseconds: 30 s = 3e7 µs.
  EXPECT_DOUBLE_EQ(timed[0]["ts"].get<double>(), 30'000'000.0);
  EXPECT_DOUBLE_EQ(timed[2]["ts"].get<double>(), 30'500'000.0);
  EXPECT_EQ(timed[0]["ph"], "i");
  EXPECT_EQ(timed[0]["args"]["detail"], "exit 137");
  EXPECT_EQ(timed[1]["ph"], "B");
  EXPECT_EQ(timed[2]["ph"], "E");
  EXPECT_EQ(timed[1]["name"], "RESTARTING");
}

TEST(Context, TraceEventsAreStampedWithTheClockAndRngForksAreNamed) {
  Context context(2024);
  context.trace().set_capture(true);
  context.simulation().schedule_at(at_ms(42), [&] { context.trace_event("jobmaster", "RUNNING"); });
  context.simulation().run_until_idle();
  ASSERT_EQ(context.trace().events().size(), 1u);
  EXPECT_EQ(context.trace().events()[0].time, at_ms(42));
  EXPECT_EQ(context.seed(), 2024u);
  Rng from_context = context.fork_rng("jobmaster");
  Rng by_hand = Rng(2024).fork("jobmaster");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(from_context.next_u64(), by_hand.next_u64());
}

}  // namespace
}  // namespace flinksim::sim
