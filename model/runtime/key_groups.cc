#include "model/runtime/key_groups.h"

#include <bit>

namespace flinksim::model::runtime {

int32_t java_hash_code(int64_t key) {
  if (key >= INT32_MIN && key <= INT32_MAX) return static_cast<int32_t>(key);
  const auto bits = static_cast<uint64_t>(key);
  return static_cast<int32_t>(static_cast<uint32_t>(bits ^ (bits >> 32)));
}

int32_t murmur_hash(int32_t code) {
  // All arithmetic is on uint32_t: Java's int arithmetic wraps the same way.
  uint32_t c = static_cast<uint32_t>(code);
  c *= 0xcc9e2d51u;
  c = std::rotl(c, 15);
  c *= 0x1b873593u;
  c = std::rotl(c, 13);
  c = c * 5u + 0xe6546b64u;
  c ^= 4u;
  c ^= c >> 16;
  c *= 0x85ebca6bu;
  c ^= c >> 13;
  c *= 0xc2b2ae35u;
  c ^= c >> 16;
  const auto h = static_cast<int32_t>(c);
  if (h >= 0) return h;
  return h == INT32_MIN ? 0 : -h;
}

int32_t key_group_of(int64_t key, int32_t max_parallelism) {
  return murmur_hash(java_hash_code(key)) % max_parallelism;
}

int32_t operator_index_for_key_group(int32_t key_group, int32_t max_parallelism, int32_t parallelism) {
  return static_cast<int32_t>(static_cast<int64_t>(key_group) * parallelism / max_parallelism);
}

int32_t operator_index_of(int64_t key, int32_t max_parallelism, int32_t parallelism) {
  return operator_index_for_key_group(key_group_of(key, max_parallelism), max_parallelism, parallelism);
}

KeyGroupRange key_group_range(int32_t max_parallelism, int32_t parallelism, int32_t operator_index) {
  const int64_t max_p = max_parallelism;
  const int64_t p = parallelism;
  const int64_t i = operator_index;
  return KeyGroupRange{static_cast<int32_t>((i * max_p + p - 1) / p),
                       static_cast<int32_t>(((i + 1) * max_p - 1) / p)};
}

}  // namespace flinksim::model::runtime
