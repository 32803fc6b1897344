// Goal: the sink store aborts a transaction exactly when Kafka's coordinator would: at the first
// 10 s cleanup tick after the coordinator's (re)start at which start + timeout < now. Method:
// deadlines on and off the tick grid, an empty store, a restart, and finished transactions.
#include "model/transaction_timeouts.h"

#include <gtest/gtest.h>

namespace flinksim::model {
namespace {

sim::Instant at_ms(int64_t ms) {
  return sim::Instant::zero() + sim::Duration::milliseconds(ms);
}

TransactionId transaction(uint64_t number) {
  return TransactionId{{}, 0, 0, number};
}

TEST(TransactionTimeouts, NothingOngoingNeedsNoCheck) {
  TransactionTimeouts timeouts;
  EXPECT_FALSE(timeouts.next_abort_check().has_value());
}

TEST(TransactionTimeouts, TheFirstTickAfterTheDeadlineAborts) {
  // First write at 60.2 s, 15 min: deadline 960.2 s; ticks every 10 s from 0 → 970 s.
  TransactionTimeouts timeouts;
  timeouts.on_first_write(transaction(7), at_ms(60'200), sim::Duration::minutes(15));
  EXPECT_EQ(timeouts.next_abort_check(), at_ms(970'000));
  EXPECT_TRUE(timeouts.expired(at_ms(960'200)).empty()) << "start + timeout < now is strict";
  EXPECT_EQ(timeouts.expired(at_ms(970'000)), std::vector<TransactionId>{transaction(7)});
}

TEST(TransactionTimeouts, ADeadlineOnATickWaitsForTheNextOne) {
  // Deadline 960 s exactly: 960 < 960 is false, so the 970 s tick aborts it.
  TransactionTimeouts timeouts;
  timeouts.on_first_write(transaction(1), at_ms(60'000), sim::Duration::minutes(15));
  EXPECT_EQ(timeouts.next_abort_check(), at_ms(970'000));
}

TEST(TransactionTimeouts, ARestartStartsTheTicksOver) {
  // Restarted at 1081 s, long after the deadline: the first tick is 10 s later, 1091 s.
  TransactionTimeouts timeouts;
  timeouts.on_first_write(transaction(7), at_ms(60'200), sim::Duration::minutes(15));
  timeouts.on_start(at_ms(1'081'000));
  EXPECT_EQ(timeouts.next_abort_check(), at_ms(1'091'000));
  // A deadline after the restart: the grid is 1081 + 10k s, 1260.2 s → 1261 s.
  TransactionTimeouts later;
  later.on_first_write(transaction(7), at_ms(60'200), sim::Duration::minutes(20));
  later.on_start(at_ms(1'081'000));
  EXPECT_EQ(later.next_abort_check(), at_ms(1'261'000));
}

TEST(TransactionTimeouts, TheEarliestDeadlineDecidesAndFinishedOnesDropOut) {
  TransactionTimeouts timeouts;
  timeouts.on_first_write(transaction(2), at_ms(120'000), sim::Duration::minutes(15));
  timeouts.on_first_write(transaction(1), at_ms(60'200), sim::Duration::minutes(15));
  EXPECT_EQ(timeouts.next_abort_check(), at_ms(970'000));
  timeouts.on_finished(transaction(1));
  EXPECT_FALSE(timeouts.is_ongoing(transaction(1)));
  EXPECT_EQ(timeouts.next_abort_check(), at_ms(1'030'000));
  EXPECT_EQ(timeouts.expired(at_ms(1'030'000)), std::vector<TransactionId>{transaction(2)});
}

TEST(TransactionTimeouts, ATimeoutBeyondTheEndOfTimeNeverFires) {
  TransactionTimeouts timeouts;
  timeouts.on_first_write(transaction(1), at_ms(1'000), sim::Duration::max());
  EXPECT_FALSE(timeouts.next_abort_check().has_value());
}

}  // namespace
}  // namespace flinksim::model
