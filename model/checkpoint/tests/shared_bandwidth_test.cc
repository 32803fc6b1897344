// SharedBandwidth: concurrent transfers share the storage fairly.
// Method: hand-computed completion instants: one transfer alone, two sharing a total that is
// less than their connections (each twice as long), a capped connection leaving the rest to the
// other, and a second transfer arriving half-way.

#include "model/checkpoint/shared_bandwidth.h"

#include <gtest/gtest.h>

namespace flinksim::model::checkpoint {
namespace {

constexpr int64_t kMB = 1'000'000;
sim::Instant at_ms(int64_t ms) { return sim::Instant() + sim::Duration::milliseconds(ms); }

TEST(SharedBandwidth, OneTransferGoesAtItsConnectionsRate) {
  SharedBandwidth storage(0);
  storage.advance(at_ms(0));
  storage.start(1, 200 * kMB, 100 * kMB);  // 200 MB at 100 MB/s: 2 s
  EXPECT_EQ(storage.next_completion(), at_ms(2000));
  storage.advance(at_ms(2000));
  EXPECT_EQ(storage.take_finished(), std::vector<uint64_t>{1});
  EXPECT_EQ(storage.next_completion(), std::nullopt);
}

TEST(SharedBandwidth, TwoTransfersSharingTheTotalTakeTwiceAsLong) {
  SharedBandwidth storage(100 * kMB);  // the total is the limit: 50 MB/s each
  storage.advance(at_ms(0));
  storage.start(1, 100 * kMB, 100 * kMB);
  storage.start(2, 100 * kMB, 100 * kMB);
  EXPECT_EQ(storage.rate_of(1), 50 * kMB);
  EXPECT_EQ(storage.next_completion(), at_ms(2000));
  storage.advance(at_ms(2000));
  EXPECT_EQ(storage.take_finished(), (std::vector<uint64_t>{1, 2}));
}

TEST(SharedBandwidth, ACappedConnectionLeavesTheRestToTheOthers) {
  SharedBandwidth storage(100 * kMB);
  storage.advance(at_ms(0));
  storage.start(1, 10 * kMB, 20 * kMB);   // capped at 20 MB/s
  storage.start(2, 80 * kMB, 200 * kMB);  // gets the 80 MB/s left
  EXPECT_EQ(storage.rate_of(1), 20 * kMB);
  EXPECT_EQ(storage.rate_of(2), 80 * kMB);
  EXPECT_EQ(storage.next_completion(), at_ms(500));  // 10 MB at 20 MB/s, and 80 MB at 80 MB/s: 1 s
}

TEST(SharedBandwidth, AnArrivalHalfWaySlowsTheFirstTransfer) {
  // 100 MB alone at 100 MB/s for 0.5 s (50 MB done); then two share 100 MB/s: the first needs
  // 1 s more for its other 50 MB, finishing at 1.5 s; the second has 50 MB of its 100 left and
  // then goes alone at 100 MB/s: 0.5 s more, finishing at 2 s.
  SharedBandwidth storage(100 * kMB);
  storage.advance(at_ms(0));
  storage.start(1, 100 * kMB, 100 * kMB);
  storage.advance(at_ms(500));
  storage.start(2, 100 * kMB, 100 * kMB);
  EXPECT_EQ(storage.next_completion(), at_ms(1500));
  storage.advance(at_ms(1500));
  EXPECT_EQ(storage.take_finished(), std::vector<uint64_t>{1});
  EXPECT_EQ(storage.next_completion(), at_ms(2000));
}

}  // namespace
}  // namespace flinksim::model::checkpoint
