#pragma once

// Helpers the scenario tests share: load a scenario from YAML text (failing the test with the
// loader's diagnostics), and run it twice, checking that both runs leave the same trace hash.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::scenarios::testing {

inline ScenarioSpec load(const std::string& yaml) {
  Diagnostics diagnostics;
  std::optional<ScenarioSpec> spec = load_scenario_text(yaml, "test.yaml", diagnostics);
  EXPECT_TRUE(spec.has_value()) << diagnostics.format();
  return spec ? *spec : ScenarioSpec{};
}

// The faulty run only (no reference), twice; `capture` keeps the trace events.
inline RunOutcome run_twice(const ScenarioSpec& spec, bool capture = false) {
  const RunOutcome first = run_once(spec, true, capture);
  const RunOutcome second = run_once(spec, true, capture);
  EXPECT_EQ(first.trace_hash, second.trace_hash) << "nondeterminism in " << spec.name;
  EXPECT_EQ(first.events, second.events);
  EXPECT_EQ(first.metrics.committed_output.size(), second.metrics.committed_output.size());
  return first;
}

// The whole `flinksim run`: faulty run, reference and oracle, twice (with
// `settings.capture_trace`, the faulty run's trace is kept).
inline RunResult run_scenario_twice(const ScenarioSpec& spec, const RunSettings& settings = {}) {
  const RunResult first = run_scenario(spec, settings);
  const RunResult second = run_scenario(spec, settings);
  EXPECT_EQ(first.run.trace_hash, second.run.trace_hash) << "nondeterminism in " << spec.name;
  return first;
}

// When the checkpoint coordinator triggered checkpoint `id` in a captured run, in seconds.
inline double checkpoint_trigger_seconds(const RunOutcome& run, int64_t id) {
  for (const sim::TraceEvent& event : run.trace) {
    if (event.component == "checkpoint-coordinator" && event.kind == "checkpoint-triggered" &&
        event.detail == "id=" + std::to_string(id)) {
      return static_cast<double>(event.time.nanoseconds_since_start()) / 1e9;
    }
  }
  ADD_FAILURE() << "checkpoint " << id << " was never triggered (was the trace captured?)";
  return 0;
}

// The job FINISHED and the oracle found its output exactly once.
inline void expect_finished_exactly_once(const RunResult& result) {
  EXPECT_EQ(result.run.metrics.final_status, model::JobStatus::finished);
  ASSERT_TRUE(result.exactly_once.has_value());
  EXPECT_TRUE(result.exactly_once->exactly_once())
      << result.exactly_once->records_lost << " lost, " << result.exactly_once->records_duplicated
      << " duplicated";
}

// A source and an exactly-once sink, 10 s of input at 200 records/s, on one TaskManager with
// one slot; checkpoints every second, fixed-delay restarts after 1 s, heartbeats every second
// with a 3 s timeout; then `faults` (YAML list entries).
inline std::string one_slot_job(const std::string& name, const std::string& faults) {
  return "name: " + name +
         "\nduration: 2 min\n"
         "cluster: {taskmanagers: 1}\n"
         "config:\n"
         "  taskmanager.numberOfTaskSlots: 1\n"
         "  execution.checkpointing.interval: 1 s\n"
         "  restart-strategy.type: fixed-delay\n"
         "  restart-strategy.fixed-delay.attempts: 10\n"
         "  restart-strategy.fixed-delay.delay: 1 s\n"
         "  heartbeat.interval: 1 s\n"
         "  heartbeat.timeout: 3 s\n"
         "job:\n  vertices:\n"
         "    - {name: source, operator: source, parallelism: 1, records: 2000, rate: 200/s}\n"
         "    - {name: sink, operator: sink, parallelism: 1, delivery: exactly-once}\n"
         "  edges:\n    - {from: source, to: sink, partitioning: forward}\n"
         "faults:\n" +
         faults;
}

// When the trace has `component`'s events of `kind` (and `detail`, unless empty), in nanoseconds
// or milliseconds of virtual time (milliseconds where message serialization adds microseconds).
inline std::vector<int64_t> times_ns_of(const RunOutcome& outcome, const std::string& component,
                                        const std::string& kind, const std::string& detail = "") {
  std::vector<int64_t> times;
  for (const sim::TraceEvent& event : outcome.trace) {
    if (event.component == component && event.kind == kind && (detail.empty() || event.detail == detail)) {
      times.push_back(event.time.nanoseconds_since_start());
    }
  }
  return times;
}

inline std::vector<int64_t> times_ms_of(const RunOutcome& outcome, const std::string& component,
                                        const std::string& kind, const std::string& detail = "") {
  std::vector<int64_t> times = times_ns_of(outcome, component, kind, detail);
  for (int64_t& time : times) time /= 1'000'000;
  return times;
}

}  // namespace flinksim::scenarios::testing
