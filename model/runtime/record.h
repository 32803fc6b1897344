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

// mix64's inverse (each step of the finalizer is a bijection): the id a single source record's
// lineage hash came from, so an oracle can place a pass-through output in its source partition.
inline uint64_t unmix64(uint64_t x) {
  const auto unshift = [](uint64_t y, int bits) {
    uint64_t z = y;
    for (int round = 0; round < 64 / bits + 1; ++round) z = y ^ (z >> bits);
    return z;
  };
  x = unshift(x, 31) * 0x319642b2d24d8ec3ULL;  // the multiplicative inverse of 0x94d049bb133111eb
  x = unshift(x, 27) * 0x96de1b173f119089ULL;  // and of 0xbf58476d1ce4e5b9, modulo 2^64
  return unshift(x, 30) - 0x9e3779b97f4a7c15ULL;
}

inline uint32_t source_partition_of(uint64_t id) { return static_cast<uint32_t>(id >> 40); }
inline int64_t source_offset_of(uint64_t id) {
  return static_cast<int64_t>(id & ((uint64_t{1} << 40) - 1));
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
