#pragma once

// Flink's key-group assignment (KeyGroupRangeAssignment, MathUtils.murmurHash): a key's hash code
// is murmur-hashed into one of `max_parallelism` key groups, and key groups are split into
// contiguous ranges, one per operator subtask. Keys here are integers, whose Java hash code is the
// value itself (Integer.hashCode), truncated to 32 bits as Long.hashCode would fold it.

#include <cstdint>

namespace flinksim::model::runtime {

// Java's Integer.hashCode / Long.hashCode of the simulator's integer keys.
int32_t java_hash_code(int64_t key);
// MathUtils.murmurHash(int): murmur3's mixing of one 32-bit block and its finalizer, made
// non-negative.
int32_t murmur_hash(int32_t code);
// murmurHash(hashCode) % maxParallelism.
int32_t key_group_of(int64_t key, int32_t max_parallelism);
// keyGroup * parallelism / maxParallelism.
int32_t operator_index_for_key_group(int32_t key_group, int32_t max_parallelism, int32_t parallelism);
int32_t operator_index_of(int64_t key, int32_t max_parallelism, int32_t parallelism);

struct KeyGroupRange {
  int32_t start = 0;
  int32_t end = -1;  // inclusive; end < start is the empty range
  bool contains(int32_t key_group) const { return key_group >= start && key_group <= end; }
  bool operator==(const KeyGroupRange&) const = default;
};
// computeKeyGroupRangeForOperatorIndex.
KeyGroupRange key_group_range(int32_t max_parallelism, int32_t parallelism, int32_t operator_index);

}  // namespace flinksim::model::runtime
