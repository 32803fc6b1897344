// Goal: a single source record's lineage hash gives back its source partition and offset, which
// the exactly-once oracle needs to cut a pass-through output at what both runs reached.
// Method: round trips over ids at the edges of both fields and a spread of ordinary ones.
#include "model/runtime/record.h"

#include <gtest/gtest.h>

#include <vector>

namespace flinksim::model::runtime {
namespace {

TEST(Lineage, UnmixInvertsMix) {
  std::vector<uint64_t> ids = {0, 1, 2, UINT64_MAX, 0x9e3779b97f4a7c15ULL, uint64_t{1} << 63};
  for (uint64_t x = 3; x < 1'000'000'000'000ULL; x = x * 7 + 1) ids.push_back(x);
  for (uint64_t id : ids) EXPECT_EQ(unmix64(mix64(id)), id) << id;
}

TEST(Lineage, ASingleRecordsHashGivesBackItsPartitionAndOffset) {
  const std::vector<std::pair<uint32_t, int64_t>> records = {
      {0, 0}, {0, 1}, {3, 41'999}, {17, (int64_t{1} << 40) - 1}, {(1u << 24) - 1, 12}};
  for (const auto& [partition, offset] : records) {
    const Lineage lineage = Lineage::of_source_record(source_record_id(partition, offset));
    const uint64_t id = unmix64(lineage.hash);
    EXPECT_EQ(source_partition_of(id), partition);
    EXPECT_EQ(source_offset_of(id), offset);
  }
}

}  // namespace
}  // namespace flinksim::model::runtime
