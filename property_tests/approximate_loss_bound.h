#pragma once

// How many source records approximate local recovery (FLIP-135) may lose, at most.
//
// A failover restarts the failed task and its downstream; they restore the latest completed
// checkpoint and reconnect to producers that never stopped. What they lose is what reached them,
// or was on its way to them, after that checkpoint's barrier: records processed since the
// snapshot, and records in flight that the failover dropped. Everything a source emitted before
// the checkpoint was triggered is in front of the barrier, so it is in the restored state, except
// through a window: a window result that reaches a restarted task after the barrier reflects
// records from the window's start, up to a window size (plus the sources' out-of-orderness and a
// watermark interval, which delay its firing) before the trigger, for every window on the way.
// What the producers emit once the restarted tasks run again is kept for them (a producer keeps
// what it has not sent for the next reader). So the records a failover can lose were emitted
// by the sources feeding the restarted tasks between that look-back before the trigger of the
// latest checkpoint completed before the failover and the moment every restarted task runs
// again. A source emits at most its `rate` per subtask, so that window gives an upper bound in
// source records, the oracle's unit (checks/exactly_once_oracle.h). A broadcast edge copies each
// record to every subtask of its target, and the oracle counts every copy the sinks miss, so a
// source's records count once per copy (GeneratedJob::broadcast_copies_after).
//
// The bound is loose (backpressure lowers the real rate, and not every record is in flight),
// but it catches a recovery that rolls state back further than the latest checkpoint, or a
// restarted task that never gets its input again.

#include <cstdint>
#include <string>

#include "model/graph/job_graph.h"
#include "property_tests/generated_job.h"
#include "scenarios/runner.h"

namespace flinksim::property_tests {

struct LossBound {
  int64_t records = 0;
  std::string explanation;  // per failover: window and sources, for a violation message
};

// Needs the faulty run's trace: the coordinator's checkpoint events and the tasks' RUNNING
// events. `chained` is the job as it ran (the loader's ScenarioSpec::job): a restarted task
// named as Flink names it ("Source: source -> map (1/2)") stands for every operator of its chain.
// Without it, tasks are read as "vertex:subtask".
LossBound approximate_loss_bound(const scenarios::RunOutcome& run, const GeneratedJob& job,
                                 const graph::JobGraph* chained = nullptr);

}  // namespace flinksim::property_tests
