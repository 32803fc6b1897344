#pragma once

// When a paced source's records are due, in integer arithmetic. Record k, counted from where
// pacing started (the task's start or its restore), is due (k + 1) / rate after that start.
// The rate is held as an integer count of records per million hours (3.6 · 10^9 s), exact for
// every rate whose period divides an hour at microsecond precision (10000/s, 5/min, 1/10min), so
// every question about it is an exact 128-bit integer computation: the instant at which the k-th
// record is due always has k records due. Floating point could not promise that: once
// offsets were large (2,048 s at 10k records/s) the rounded instant of the next record held one
// record less than needed, and the source re-armed its timer at the same instant for ever.

#include <cstdint>

#include "sim/time.h"

namespace flinksim::model::runtime {

class SourcePacing {
 public:
  // `records_per_second` in (0, 10^9] (the loader's bound).
  explicit SourcePacing(double records_per_second);

  // How many records are due `elapsed` after the start: floor(elapsed · rate).
  int64_t records_due(sim::Duration elapsed) const;
  // The earliest time after the start at which `records` records are due: ceil(records / rate).
  sim::Duration due_after(int64_t records) const;
  int64_t records_per_million_hours() const { return records_per_million_hours_; }

 private:
  int64_t records_per_million_hours_;
};

}  // namespace flinksim::model::runtime
