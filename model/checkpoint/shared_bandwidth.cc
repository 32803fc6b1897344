#include "model/checkpoint/shared_bandwidth.h"

#include <algorithm>

#include "sim/assert.h"

namespace flinksim::model::checkpoint {

void SharedBandwidth::advance(sim::Instant now) {
  const int64_t elapsed = (now - now_).count_nanoseconds();
  now_ = now;
  if (elapsed <= 0) return;
  for (auto& [id, transfer] : transfers_) {
    const __int128 moved = static_cast<__int128>(transfer.rate) * elapsed / 1'000'000'000;
    transfer.remaining_bytes = static_cast<int64_t>(std::max<__int128>(0, transfer.remaining_bytes - moved));
  }
}

void SharedBandwidth::start(uint64_t id, int64_t bytes, int64_t connection_bytes_per_second) {
  FLINKSIM_ASSERT(connection_bytes_per_second > 0);
  transfers_[id] = Transfer{std::max<int64_t>(bytes, 0), connection_bytes_per_second, 0};
  share();
}

std::vector<uint64_t> SharedBandwidth::take_finished() {
  std::vector<uint64_t> finished;
  for (auto it = transfers_.begin(); it != transfers_.end();) {
    if (it->second.remaining_bytes > 0) {
      ++it;
      continue;
    }
    finished.push_back(it->first);
    it = transfers_.erase(it);
  }
  if (!finished.empty()) share();
  return finished;
}

std::optional<sim::Instant> SharedBandwidth::next_completion() const {
  std::optional<int64_t> soonest;
  for (const auto& [id, transfer] : transfers_) {
    // ceil(remaining / rate) in nanoseconds: at that instant the transfer has moved every byte.
    const __int128 ns = (static_cast<__int128>(transfer.remaining_bytes) * 1'000'000'000 + transfer.rate - 1) /
                        transfer.rate;
    const int64_t wait = static_cast<int64_t>(std::min<__int128>(ns, INT64_MAX / 2));
    if (!soonest || wait < *soonest) soonest = wait;
  }
  if (!soonest) return std::nullopt;
  return now_ + sim::Duration::nanoseconds(*soonest);
}

void SharedBandwidth::cancel(uint64_t id) {
  if (transfers_.erase(id) > 0) share();
}

int64_t SharedBandwidth::rate_of(uint64_t id) const { return transfers_.at(id).rate; }

void SharedBandwidth::share() {
  // Water-filling: the most constrained connections first; each gets the lesser of its own
  // rate and an equal part of what is left.
  std::vector<Transfer*> order;
  for (auto& [id, transfer] : transfers_) order.push_back(&transfer);
  std::stable_sort(order.begin(), order.end(), [](const Transfer* a, const Transfer* b) {
    return a->connection_bytes_per_second < b->connection_bytes_per_second;
  });
  int64_t left = total_;
  for (size_t i = 0; i < order.size(); ++i) {
    const int64_t fair = total_ > 0 ? left / static_cast<int64_t>(order.size() - i) : INT64_MAX;
    order[i]->rate = std::max<int64_t>(1, std::min(order[i]->connection_bytes_per_second, fair));
    if (total_ > 0) left -= order[i]->rate;
  }
}

}  // namespace flinksim::model::checkpoint
