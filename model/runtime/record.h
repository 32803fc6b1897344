#pragma once

// What flows through the data plane. A record is a keyed value with an event timestamp and its
// lineage: which source records it reflects. Lineage is kept compact — a count and an
// order-independent hash (a sum of mixed ids) of the source records — so two runs can be compared
// without storing every id.

#include <cstdint>
#include <limits>

namespace flinksim::model::runtime {

// The id of a source record: the source-log partition and the record's offset in it.
inline uint64_t source_record_id(uint32_t partition, int64_t offset) {
  return (static_cast<uint64_t>(partition) << 40) | static_cast<uint64_t>(offset);
}

// splitmix64's finalizer: spreads ids so that sums of different id sets rarely collide.
inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct Lineage {
  uint64_t count = 0;  // source records reflected, with multiplicity
  uint64_t hash = 0;   // sum of mix64(id) over them (wrapping)

  static Lineage of_source_record(uint64_t id) { return Lineage{1, mix64(id)}; }
  void add(const Lineage& other) {
    count += other.count;
    hash += other.hash;
  }
  bool operator==(const Lineage&) const = default;
};

struct Record {
  int64_t key = 0;
  int64_t value = 0;
  int64_t timestamp = 0;  // event time, ns since the start of the run
  // The end of the window this record is the result of; -1 when it is not a window result.
  int64_t window_end = -1;
  Lineage lineage;
};

// Flink's Watermark.MAX_WATERMARK: the end of event time, emitted when a bounded input ends.
inline constexpr int64_t kMaxWatermark = std::numeric_limits<int64_t>::max();

}  // namespace flinksim::model::runtime
