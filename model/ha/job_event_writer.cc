#include "model/ha/job_event_writer.h"

#include <algorithm>

namespace flinksim::model::ha {

void JobEventWriter::write(JobEvent event, bool cut_block) {
  buffer_.push_back(std::move(event));
  if (cut_block) return flush();
  // The flusher runs all the time in Flink; a timer only while something waits gives the same
  // instants with fewer events.
  if (buffer_.size() == 1) {
    flush_timer_ = process_.set_timer(next_tick() - process_.now(), [this] { flush(); });
  }
}

sim::Instant JobEventWriter::next_tick() const {
  const int64_t interval = std::max<int64_t>(flush_interval_.count_nanoseconds(), 1);
  const int64_t elapsed = (process_.now() - start_).count_nanoseconds();
  return start_ + sim::Duration::nanoseconds((elapsed / interval + 1) * interval);
}

void JobEventWriter::flush() {
  process_.cancel_timer(flush_timer_);
  for (const JobEvent& event : buffer_) store_.record_job_event(event);
  buffer_.clear();
}

}  // namespace flinksim::model::ha
