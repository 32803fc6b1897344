#pragma once

// Transfers that share a service's bandwidth fairly (processor sharing with water-filling): each
// transfer may go at most its connection's rate, and together at most the service's total; when
// the total is the limit, it is split equally, and what a capped transfer leaves goes to the
// others. Rates change only when a transfer starts or ends, so the owner keeps one timer, for
// the earliest completion. Integer arithmetic throughout (bytes, bytes per second, nanoseconds).

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sim/time.h"

namespace flinksim::model::checkpoint {

class SharedBandwidth {
 public:
  // `total_bytes_per_second` <= 0: no aggregate limit.
  explicit SharedBandwidth(int64_t total_bytes_per_second) : total_(total_bytes_per_second) {}

  // Brings every transfer's progress up to `now`; call before starting one or at a completion.
  void advance(sim::Instant now);
  void start(uint64_t id, int64_t bytes, int64_t connection_bytes_per_second);
  // The transfers done by `now` (after advance), in id order; they are removed.
  std::vector<uint64_t> take_finished();
  // When the next transfer finishes at the current rates; unset when none is active.
  std::optional<sim::Instant> next_completion() const;
  void clear() { transfers_.clear(); }
  void cancel(uint64_t id);
  size_t active() const { return transfers_.size(); }
  // The rate `id` gets now (for tests).
  int64_t rate_of(uint64_t id) const;

 private:
  struct Transfer {
    int64_t remaining_bytes = 0;
    int64_t connection_bytes_per_second = 0;
    int64_t rate = 0;  // bytes per second, after water-filling
  };
  void share();

  int64_t total_;
  std::map<uint64_t, Transfer> transfers_;
  sim::Instant now_;
};

}  // namespace flinksim::model::checkpoint
