#pragma once

// The write side of FLIP-383's job event store (Flink's JobEventManager over
// FileSystemJobEventStore): events go into a write buffer that is flushed every
// job-event.store.write-buffer.flush-interval (a fixed-rate flusher from the store's start), and
// at once when an event cuts the block (an ExecutionVertexFinishedEvent that finished its job
// vertex closes the file). Whatever is still buffered when the JobManager dies is lost. The
// buffer's size (job-event.store.write-buffer.size, 1 MB) is never reached by the model's events.

#include <vector>

#include "model/ha/job_event.h"
#include "model/ha/job_master_ha_services.h"
#include "sim/process.h"

namespace flinksim::model::ha {

class JobEventWriter {
 public:
  JobEventWriter(sim::Process& process, JobMasterHaServices& store, sim::Duration flush_interval)
      : process_(process), store_(store), flush_interval_(flush_interval), start_(process.now()) {}
  ~JobEventWriter() { process_.cancel_timer(flush_timer_); }
  JobEventWriter(const JobEventWriter&) = delete;
  JobEventWriter& operator=(const JobEventWriter&) = delete;

  void write(JobEvent event, bool cut_block);

 private:
  // The flusher's next tick (start + k * interval) strictly after now.
  sim::Instant next_tick() const;
  void flush();

  sim::Process& process_;
  JobMasterHaServices& store_;
  sim::Duration flush_interval_;
  sim::Instant start_;
  std::vector<JobEvent> buffer_;
  sim::TimerId flush_timer_;
};

}  // namespace flinksim::model::ha
