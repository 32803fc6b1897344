#pragma once

// Runs many independent jobs on worker threads and hands every result, one at a time, to the
// calling thread. Each job is a whole single-threaded simulation; the parallelism is only across
// jobs, so results do not depend on the number of workers. Only the calling thread writes (it owns
// the results store's connection), so SQLite sees a single writer.

#include <cstddef>
#include <functional>

#include "reports/run_record.h"
#include "reports/sweep_plan.h"

namespace flinksim::reports {

struct WorkerCount {
  size_t value = 1;
};

// Called on worker threads; must be safe to call concurrently.
using JobFunction = std::function<RunRecord(const SweepJob&)>;
// Called on the calling thread, once per finished job, in completion order.
using ResultFunction = std::function<void(RunRecord&&)>;

// Runs every job. If a job or `on_result` throws, no new jobs start, the workers finish the jobs
// they hold, and the first exception is rethrown here; results already delivered stay delivered.
void run_jobs(const std::vector<SweepJob>& jobs, WorkerCount workers, const JobFunction& run,
              const ResultFunction& on_result);

}  // namespace flinksim::reports
