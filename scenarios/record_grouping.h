#pragma once

// How many real records one simulated record stands for (docs/data-plane.md, "Simulated
// records"). A scenario names the number (`simulation: {records-per-simulated-record: 100}`) or
// lets flinksim choose it: the smallest number that keeps the sources' simulated records within
// `simulated-records-per-second` over the whole job, so a job of parallelism 128 at 50,000
// records/s per subtask costs what a job of 100,000 records/s does.

#include <cstdint>

#include "model/graph/job_graph.h"
#include "scenarios/scenario_spec.h"

namespace flinksim::scenarios {

// Records per second that the job's sources produce in all, at their `rate` (an unbounded source
// without one at `default_unbounded_rate`; a bounded one without one, as fast as downstream
// takes them, adds nothing: its pace is not known before it runs).
double source_records_per_second(const graph::JobGraph& job, double default_unbounded_rate);

int64_t records_per_simulated_record(const ScenarioSpec& spec, double default_unbounded_rate);

}  // namespace flinksim::scenarios
