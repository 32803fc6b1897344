// Goal: the Chrome/Perfetto export is structurally valid (what Perfetto's importer needs) and
// turns flinksim's flat events into the slices, spans and marks people expect. Method: a small
// hand-written run — a task's states, three checkpoints (completed, failed, still open), a
// barrier, a fault and a failover — whose expected slices are written out by hand.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/chrome_trace.h"

namespace flinksim::sim {
namespace {

Instant at_ms(int64_t ms) { return Instant::zero() + Duration::milliseconds(ms); }

ChromeTraceOptions flinksim_like_options() {
  ChromeTraceOptions options;
  options.title = "demo";
  options.state_kinds = {"DEPLOYING", "INITIALIZING", "RUNNING", "CANCELED", "FAILED"};
  options.global_kinds = {"inject", "failover"};
  options.group_of = [](std::string_view component) {
    return std::string(component.find(':') != std::string_view::npos ? "tasks" : "cluster");
  };
  return options;
}

std::vector<TraceEvent> sample_run() {
  return {
      {at_ms(0), "jobmanager-0", "started", "", TracePhase::instant},
      {at_ms(8), "src:0", "DEPLOYING", "taskmanager-0", TracePhase::instant},
      {at_ms(58), "src:0", "INITIALIZING", "", TracePhase::instant},
      {at_ms(158), "src:0", "RUNNING", "", TracePhase::instant},
      {at_ms(10'000), "checkpoint-coordinator", "checkpoint-triggered", "id=1", TracePhase::instant},
      {at_ms(10'005), "src:0", "barrier", "id=1", TracePhase::instant},
      {at_ms(11'000), "checkpoint-coordinator", "checkpoint-completed", "id=1 size=3 kb",
       TracePhase::instant},
      {at_ms(20'000), "checkpoint-coordinator", "checkpoint-triggered", "id=2", TracePhase::instant},
      {at_ms(30'000), "faults", "inject", "taskmanager-0", TracePhase::instant},
      {at_ms(30'000), "checkpoint-coordinator", "checkpoint-failed", "id=2 expired",
       TracePhase::instant},
      {at_ms(40'002), "src:0", "FAILED", "lost taskmanager-0", TracePhase::instant},
      {at_ms(40'002), "jobmanager-0", "failover", "src:0 restarts 1 tasks", TracePhase::instant},
      {at_ms(45'000), "checkpoint-coordinator", "checkpoint-triggered", "id=3", TracePhase::instant},
      {at_ms(50'003), "src:0", "DEPLOYING", "taskmanager-1", TracePhase::instant},
      {at_ms(60'000), "jobmanager-0", "job", "", TracePhase::instant},
  };
}

nlohmann::json export_json(const std::vector<TraceEvent>& events) {
  std::ostringstream out;
  write_chrome_trace(events, flinksim_like_options(), out);
  return nlohmann::json::parse(out.str());
}

// The structural rules a viewer relies on; returns a description of the first violation.
std::string structure_problem(const nlohmann::json& document) {
  std::map<int, bool> process_named;
  std::map<std::pair<int, int>, bool> thread_named;
  std::map<std::pair<int, int>, std::vector<std::string>> open_slices;
  std::map<std::pair<int, int>, double> last_ts;
  std::map<std::string, int> open_spans;
  for (const nlohmann::json& event : document.at("traceEvents")) {
    const std::string phase = event.at("ph");
    const std::pair<int, int> track{event.at("pid").get<int>(), event.at("tid").get<int>()};
    if (phase == "M") {
      if (event.at("name") == "process_name") process_named[track.first] = true;
      if (event.at("name") == "thread_name") thread_named[track] = true;
      continue;
    }
    if (!process_named[track.first]) return "unnamed process " + std::to_string(track.first);
    if (!thread_named[track]) return "unnamed thread " + std::to_string(track.second);
    const double ts = event.at("ts").get<double>();
    if (last_ts.count(track) && ts < last_ts[track]) return "time goes back on a track";
    last_ts[track] = ts;
    if (phase == "B") open_slices[track].push_back(event.at("name"));
    if (phase == "E") {
      if (open_slices[track].empty()) return "E without B";
      if (open_slices[track].back() != event.at("name")) return "E closes another slice";
      open_slices[track].pop_back();
    }
    if (phase == "b") ++open_spans[event.at("id").get<std::string>()];
    if (phase == "e" && --open_spans[event.at("id").get<std::string>()] < 0) return "e without b";
  }
  for (const auto& [track, stack] : open_slices) {
    if (!stack.empty()) return "B without E: " + stack.back();
  }
  for (const auto& [id, count] : open_spans) {
    if (count != 0) return "b without e: " + id;
  }
  return "";
}

// Timed events of one component, as "PH NAME@MS".
std::vector<std::string> track_of(const nlohmann::json& document, const std::string& component) {
  int tid = -1;
  for (const nlohmann::json& event : document.at("traceEvents")) {
    if (event.at("ph") == "M" && event.at("name") == "thread_name" &&
        event.at("args").at("name") == component) {
      tid = event.at("tid");
    }
  }
  std::vector<std::string> out;
  for (const nlohmann::json& event : document.at("traceEvents")) {
    if (event.at("ph") == "M" || event.at("tid") != tid) continue;
    out.push_back(event.at("ph").get<std::string>() + " " + event.at("name").get<std::string>() +
                  "@" + std::to_string(static_cast<int64_t>(event.at("ts").get<double>() / 1000)));
  }
  return out;
}

TEST(ChromeTrace, OutputIsStructurallyValid) {
  const nlohmann::json document = export_json(sample_run());
  EXPECT_EQ(structure_problem(document), "");
  EXPECT_EQ(document.at("displayTimeUnit"), "ms");
}

TEST(ChromeTrace, TaskStatesBecomeConsecutiveSlicesClosedAtTheEnd) {
  const nlohmann::json document = export_json(sample_run());
  const std::vector<std::string> expected{
      "B DEPLOYING@8",        "E DEPLOYING@58",     "B INITIALIZING@58", "E INITIALIZING@158",
      "B RUNNING@158",        "i barrier@10005",    "E RUNNING@40002",   "B FAILED@40002",
      "E FAILED@50003",       "B DEPLOYING@50003",  "E DEPLOYING@60000"};
  EXPECT_EQ(track_of(document, "src:0"), expected);
}

TEST(ChromeTrace, CheckpointsBecomeSpansWithTheirOutcome) {
  const nlohmann::json document = export_json(sample_run());
  EXPECT_EQ(track_of(document, "checkpoint-coordinator"),
            (std::vector<std::string>{"b checkpoint 1@10000", "e checkpoint 1@11000",
                                      "b checkpoint 2@20000", "e checkpoint 2@30000",
                                      "b checkpoint 3@45000", "e checkpoint 3@60000"}));
  std::vector<std::string> results;
  for (const nlohmann::json& event : document.at("traceEvents")) {
    if (event.at("ph") == "e") results.push_back(event.at("args").at("result"));
  }
  EXPECT_EQ(results, (std::vector<std::string>{"completed", "failed", "unfinished"}));
}

TEST(ChromeTrace, FaultsAndFailoversAreGlobalMarksOtherEventsThreadInstants) {
  const nlohmann::json document = export_json(sample_run());
  std::map<std::string, std::string> scope;
  for (const nlohmann::json& event : document.at("traceEvents")) {
    if (event.at("ph") == "i") scope[event.at("name")] = event.at("s");
  }
  EXPECT_EQ(scope["inject"], "g");
  EXPECT_EQ(scope["failover"], "g");
  EXPECT_EQ(scope["barrier"], "t");
  EXPECT_EQ(scope["started"], "t");
}

TEST(ChromeTrace, TasksAndProcessesAreSeparateGroups) {
  const nlohmann::json document = export_json(sample_run());
  std::map<int, std::string> processes;
  std::map<std::string, int> pid_of_thread;
  for (const nlohmann::json& event : document.at("traceEvents")) {
    if (event.at("ph") != "M") continue;
    if (event.at("name") == "process_name") processes[event.at("pid")] = event.at("args").at("name");
    if (event.at("name") == "thread_name") pid_of_thread[event.at("args").at("name")] = event.at("pid");
  }
  EXPECT_EQ(processes, (std::map<int, std::string>{{1, "demo: cluster"}, {2, "demo: tasks"}}));
  EXPECT_EQ(pid_of_thread["src:0"], 2);
  EXPECT_EQ(pid_of_thread["jobmanager-0"], 1);
  EXPECT_EQ(pid_of_thread["checkpoint-coordinator"], 1);
  EXPECT_EQ(pid_of_thread.size(), 4u);  // jobmanager-0, src:0, checkpoint-coordinator, faults
}

TEST(ChromeTrace, EndsWithoutBeginsAndIdlessTriggersStayInstants) {
  const nlohmann::json document = export_json({
      {at_ms(1), "c", "checkpoint-completed", "id=9", TracePhase::instant},
      {at_ms(2), "c", "checkpoint-triggered", "no id", TracePhase::instant},
  });
  EXPECT_EQ(structure_problem(document), "");
  EXPECT_EQ(track_of(document, "c"),
            (std::vector<std::string>{"i checkpoint-completed@1", "i checkpoint-triggered@2"}));
}

// The sample run with taskmanager-0 crashing at 30 s (the fault injected then), as flinksim's
// options draw it: placement by DEPLOYING, crashes end hosted states, one checkpoint lane, and a
// committed-records counter with samples at 5 s, 30 s (same instant as the crash) and 55 s.
nlohmann::json export_with_hosts_lanes_and_counters() {
  std::vector<TraceEvent> events = sample_run();
  events.insert(events.begin() + 9, {at_ms(30'000), "taskmanager-0", "crashed", "", TracePhase::instant});
  ChromeTraceOptions options = flinksim_like_options();
  options.placement_kind = "DEPLOYING";
  options.host_end_kinds = {"crashed"};
  options.single_lane_spans = {"checkpoint"};
  options.counters = {{at_ms(5'000), "jobmanager-0", "committed records", 100},
                      {at_ms(30'000), "jobmanager-0", "committed records", 600},
                      {at_ms(55'000), "jobmanager-0", "committed records", 700}};
  std::ostringstream out;
  write_chrome_trace(events, options, out);
  return nlohmann::json::parse(out.str());
}

TEST(ChromeTrace, ATaskOnACrashedHostEndsAtTheCrashNotWhenRedeployed) {
  // src:0 was deployed on taskmanager-0, which crashes at 30 s: its RUNNING slice ends there,
  // not at the FAILED report (40.002 s); it has no slice until FAILED, and the redeployment on
  // taskmanager-1 is not ended by the crash.
  const nlohmann::json document = export_with_hosts_lanes_and_counters();
  EXPECT_EQ(structure_problem(document), "");
  const std::vector<std::string> expected{
      "B DEPLOYING@8",        "E DEPLOYING@58",     "B INITIALIZING@58", "E INITIALIZING@158",
      "B RUNNING@158",        "i barrier@10005",    "E RUNNING@30000",   "B FAILED@40002",
      "E FAILED@50003",       "B DEPLOYING@50003",  "E DEPLOYING@60000"};
  EXPECT_EQ(track_of(document, "src:0"), expected);
}

TEST(ChromeTrace, CheckpointsShareOneLaneWithTheirIdInArgs) {
  const nlohmann::json document = export_with_hosts_lanes_and_counters();
  EXPECT_EQ(track_of(document, "checkpoint-coordinator"),
            (std::vector<std::string>{"b checkpoint@10000", "e checkpoint@11000", "b checkpoint@20000",
                                      "e checkpoint@30000", "b checkpoint@45000", "e checkpoint@60000"}));
  std::vector<std::string> ids;
  std::set<std::string> lanes;
  for (const nlohmann::json& event : document.at("traceEvents")) {
    if (event.at("ph") != "b") continue;
    ids.push_back(event.at("args").at("id"));
    lanes.insert(event.at("id").get<std::string>());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(lanes, (std::set<std::string>{"checkpoint-coordinator/checkpoint"}));
}

TEST(ChromeTrace, CountersAreSamplesInTimeOrderWithTheEvents) {
  const nlohmann::json document = export_with_hosts_lanes_and_counters();
  const std::vector<std::string> track = track_of(document, "jobmanager-0");
  // started@0, the counter at 5 s, the one at 30 s, failover@40002, the one at 55 s, job@60000.
  EXPECT_EQ(track, (std::vector<std::string>{"i started@0", "C committed records@5000", "C committed records@30000",
                                             "i failover@40002", "C committed records@55000", "i job@60000"}));
  std::vector<int64_t> values;
  for (const nlohmann::json& event : document.at("traceEvents")) {
    if (event.at("ph") == "C") values.push_back(event.at("args").at("committed records"));
  }
  EXPECT_EQ(values, (std::vector<int64_t>{100, 600, 700}));
}

TEST(ChromeTrace, AFlowLinksTheFaultItsDetectionTheFailoverAndTheRedeployment) {
  // Steps inject -> FAILED -> failover -> DEPLOYING over the sample run: the DEPLOYING at 8 ms
  // precedes the fault and starts nothing; the flow is s at 30 s (faults), t at 40.002 s on src:0
  // (FAILED) and on jobmanager-0 (failover), f at 50.003 s on src:0 (DEPLOYING on taskmanager-1).
  ChromeTraceOptions options = flinksim_like_options();
  options.flow_steps = {{"inject"}, {"FAILED"}, {"failover"}, {"DEPLOYING"}};
  options.flow_name = "recovery";
  std::ostringstream out;
  write_chrome_trace(sample_run(), options, out);
  const nlohmann::json document = nlohmann::json::parse(out.str());
  EXPECT_EQ(structure_problem(document), "");
  std::map<std::pair<int, int>, std::string> names;
  for (const nlohmann::json& e : document.at("traceEvents")) {
    if (e.at("ph") == "M" && e.at("name") == "thread_name") names[{e.at("pid"), e.at("tid")}] = e.at("args").at("name");
  }
  std::vector<std::string> points;
  std::vector<std::string> marked;
  for (const nlohmann::json& e : document.at("traceEvents")) {
    const std::string phase = e.at("ph");
    if (phase == "M") continue;
    const std::string where = names[{e.at("pid"), e.at("tid")}] + "@" +
                              std::to_string(static_cast<int64_t>(e.at("ts").get<double>() / 1000));
    if (phase == "s" || phase == "t" || phase == "f") {
      EXPECT_EQ(e.at("id"), 1);
      points.push_back(phase + " " + where);
    } else if (e.contains("cat") && e.at("cat") == "recovery") {
      marked.push_back(e.at("name").get<std::string>() + " " + where);
    }
  }
  EXPECT_EQ(points, (std::vector<std::string>{"s faults@30000", "t src:0@40002", "t jobmanager-0@40002",
                                              "f src:0@50003"}));
  // The marked events carry the flow's cat, which is how viewers bind a flow point to its event.
  EXPECT_EQ(marked, (std::vector<std::string>{"inject faults@30000", "FAILED src:0@40002",
                                              "failover jobmanager-0@40002", "DEPLOYING src:0@50003"}));
}

}  // namespace
}  // namespace flinksim::sim
