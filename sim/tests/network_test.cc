// Goal: the simulated network delivers exactly when the link arithmetic says, keeps every
// connection FIFO under jitter, and models faults the way a sender experiences them: partitions
// drop in-flight messages and break connections, a closed endpoint refuses after a round trip, an
// unreachable host fails after the connect timeout, and nobody hears about anything for free.
// Method: two or three hosts with hand-chosen link properties; every expected arrival or failure
// instant is computed by hand in the comment next to it.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include "sim/message.h"
#include "sim/network.h"
#include "sim/rng.h"
#include "sim/simulation.h"
#include "sim/tests/printers.h"

namespace flinksim::sim {
namespace {

struct TestMessage final : Message {
  TestMessage(int sequence_in, int64_t size_in) : sequence(sequence_in), size(size_in) {}
  std::string_view type_name() const override { return "TestMessage"; }
  int64_t size_bytes() const override { return size; }
  int sequence;
  int64_t size;
};

MessagePtr make_message(int sequence, int64_t size_bytes = 125) {
  return std::make_shared<TestMessage>(sequence, size_bytes);
}

Instant at_us(int64_t us) { return Instant::zero() + Duration::microseconds(us); }
Instant at_ms(int64_t ms) { return Instant::zero() + Duration::milliseconds(ms); }

struct Arrival {
  Instant time;
  EndpointId source;
  int sequence;
};

struct Failure {
  Instant time;
  DeliveryFailure failure;
};

// Two hosts, one endpoint each ("a" on host 0, "b" on host 1), both open and recording.
// Default link: 1 ms latency, no jitter, 1 Gbit/s, so a 125-byte (1000-bit) message serializes
// in exactly 1 µs.
class NetworkTest : public ::testing::Test {
 protected:
  NetworkTest()
      : network_(simulation_, Rng(1),
                 LinkProperties{Duration::milliseconds(1), Duration::zero(), 1'000'000'000}) {
    host_a_ = network_.add_host("host-a");
    host_b_ = network_.add_host("host-b");
    a_ = network_.add_endpoint(host_a_, "a");
    b_ = network_.add_endpoint(host_b_, "b");
    network_.open(a_, recorder(arrivals_at_a_));
    network_.open(b_, recorder(arrivals_at_b_));
  }

  Receiver recorder(std::vector<Arrival>& into) {
    return [this, &into](EndpointId source, const MessagePtr& message) {
      const auto* test_message = message->as<TestMessage>();
      ASSERT_NE(test_message, nullptr);
      into.push_back(Arrival{simulation_.now(), source, test_message->sequence});
    };
  }

  FailureCallback failure_recorder() {
    return [this](DeliveryFailure failure) {
      failures_.push_back(Failure{simulation_.now(), failure});
    };
  }

  // Runs `action` at `when` in virtual time.
  void at(Instant when, std::function<void()> action) {
    simulation_.schedule_at(when, std::move(action));
  }

  Simulation simulation_;
  Network network_;
  HostId host_a_;
  HostId host_b_;
  EndpointId a_;
  EndpointId b_;
  std::vector<Arrival> arrivals_at_a_;
  std::vector<Arrival> arrivals_at_b_;
  std::vector<Failure> failures_;
};

TEST_F(NetworkTest, LatencyPlusSerializationByHand) {
  // 1 ms latency, 1 Mbit/s: a 1250-byte message is 10,000 bits = 10 ms on the wire.
  network_.set_link(host_a_, host_b_,
                    LinkProperties{Duration::milliseconds(1), Duration::zero(), 1'000'000});
  network_.send(a_, b_, make_message(1, 1250));  // serialized 0..10 ms, arrives 11 ms
  network_.send(a_, b_, make_message(2, 1250));  // queues: serialized 10..20 ms, arrives 21 ms
  at(at_ms(30), [&] { network_.send(a_, b_, make_message(3, 1250)); });  // 30..40, arrives 41
  at(at_ms(35), [&] { network_.send(a_, b_, make_message(4, 1250)); });  // 40..50, arrives 51
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals_at_b_.size(), 4u);
  EXPECT_EQ(arrivals_at_b_[0].time, at_ms(11));
  EXPECT_EQ(arrivals_at_b_[1].time, at_ms(21));
  EXPECT_EQ(arrivals_at_b_[2].time, at_ms(41));
  EXPECT_EQ(arrivals_at_b_[3].time, at_ms(51));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(arrivals_at_b_[i].sequence, i + 1);
    EXPECT_EQ(arrivals_at_b_[i].source, a_);
  }
  EXPECT_EQ(network_.counters().messages_sent, 4u);
  EXPECT_EQ(network_.counters().messages_delivered, 4u);
  EXPECT_EQ(network_.counters().bytes_sent, 5000);
}

TEST_F(NetworkTest, SerializationDelayRoundsUpToWholeNanoseconds) {
  // 1 byte at 3 bit/s takes 8/3 s = 2,666,666,666.67 ns; a partial nanosecond counts as a whole.
  network_.set_link(host_a_, host_b_, LinkProperties{Duration::zero(), Duration::zero(), 3});
  network_.send(a_, b_, make_message(1, 1));
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals_at_b_.size(), 1u);
  EXPECT_EQ(arrivals_at_b_[0].time, Instant::from_nanoseconds(2'666'666'667));
}

TEST_F(NetworkTest, ConnectionsInTheTwoDirectionsDoNotQueueBehindEachOther) {
  network_.set_link(host_a_, host_b_,
                    LinkProperties{Duration::milliseconds(1), Duration::zero(), 1'000'000});
  network_.send(a_, b_, make_message(1, 1250));  // arrives 11 ms
  network_.send(b_, a_, make_message(2, 1250));  // the reverse connection: also 11 ms
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals_at_b_.size(), 1u);
  ASSERT_EQ(arrivals_at_a_.size(), 1u);
  EXPECT_EQ(arrivals_at_b_[0].time, at_ms(11));
  EXPECT_EQ(arrivals_at_a_[0].time, at_ms(11));
  EXPECT_EQ(arrivals_at_a_[0].source, b_);
}

TEST_F(NetworkTest, LinkOverrideAppliesBothWaysAndCanBeReset) {
  network_.set_link(host_b_, host_a_,
                    LinkProperties{Duration::milliseconds(50), Duration::zero(), 1'000'000'000});
  network_.send(a_, b_, make_message(1));  // 1 µs + 50 ms
  simulation_.run_until_idle();
  network_.reset_link(host_a_, host_b_);
  const Instant reset_at = simulation_.now();
  network_.send(a_, b_, make_message(2));  // back to the default: 1 µs + 1 ms
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals_at_b_.size(), 2u);
  EXPECT_EQ(arrivals_at_b_[0].time, at_us(50'001));
  EXPECT_EQ(arrivals_at_b_[1].time, reset_at + Duration::microseconds(1'001));
}

TEST_F(NetworkTest, AddedLatencyStacksAppliesBothWaysAndKeepsTheConnectionFifo) {
  network_.add_latency(host_b_, host_a_, Duration::milliseconds(20));
  network_.add_latency(host_a_, host_b_, Duration::milliseconds(30));
  EXPECT_EQ(network_.latency(host_a_, host_b_), Duration::milliseconds(51));
  network_.send(a_, b_, make_message(1));  // sent at 0: 1 µs + 1 ms + 50 ms
  network_.send(b_, a_, make_message(2));  // the other direction is slowed as well
  at(at_ms(10), [&] {
    network_.remove_latency(host_a_, host_b_, Duration::milliseconds(50));
    // Sent at 10 ms with the default latency it would arrive at 11.001 ms, before message 1:
    // the connection holds it back to message 1's 51.001 ms.
    network_.send(a_, b_, make_message(3));
  });
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals_at_b_.size(), 2u);
  EXPECT_EQ(arrivals_at_b_[0].time, at_us(51'001));
  EXPECT_EQ(arrivals_at_b_[1].sequence, 3);
  EXPECT_EQ(arrivals_at_b_[1].time, at_us(51'001));
  ASSERT_EQ(arrivals_at_a_.size(), 1u);
  EXPECT_EQ(arrivals_at_a_[0].time, at_us(51'001));
  EXPECT_EQ(network_.latency(host_a_, host_b_), Duration::milliseconds(1));
}

TEST_F(NetworkTest, SameHostDeliveryIsImmediateButAsynchronous) {
  const EndpointId local = network_.add_endpoint(host_a_, "local");
  std::vector<Arrival> arrivals;
  network_.open(local, recorder(arrivals));
  at(at_ms(5), [&] {
    network_.send(a_, local, make_message(1));
    // Delivery is an event of its own, never a call inside send.
    EXPECT_TRUE(arrivals.empty());
  });
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_EQ(arrivals[0].time, at_ms(5));
}

TEST_F(NetworkTest, ConnectionStaysFifoUnderLargeJitter) {
  // Jitter (up to 20 ms) is far larger than the send spacing (0.1 ms), so independent delays
  // would reorder almost every neighbour; the connection must not.
  network_.set_link(host_a_, host_b_,
                    LinkProperties{Duration::milliseconds(1), Duration::milliseconds(20),
                                   1'000'000'000});
  constexpr int count = 2000;
  std::vector<Instant> sent_at(count);
  for (int i = 0; i < count; ++i) {
    sent_at[i] = at_us(100 * i);
    at(sent_at[i], [this, i] { network_.send(a_, b_, make_message(i)); });
  }
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals_at_b_.size(), static_cast<size_t>(count));
  int jittered = 0;
  for (int i = 0; i < count; ++i) {
    const Arrival& arrival = arrivals_at_b_[i];
    ASSERT_EQ(arrival.sequence, i) << "reordered at position " << i;
    if (i > 0) {
      ASSERT_GE(arrival.time, arrivals_at_b_[i - 1].time);
    }
    // Never earlier than latency + serialization (1 ms + 1 µs).
    const Duration delay = arrival.time - sent_at[i];
    ASSERT_GE(delay, Duration::microseconds(1'001));
    if (delay > Duration::microseconds(1'100)) ++jittered;
  }
  // The jitter really was applied (otherwise this test would prove nothing).
  EXPECT_GT(jittered, count / 2);
}

TEST_F(NetworkTest, PartitionDropsInFlightMessagesAndBreaksTheConnection) {
  network_.set_connect_timeout(Duration::seconds(3));
  network_.set_link(host_a_, host_b_,
                    LinkProperties{Duration::milliseconds(10), Duration::zero(), 1'000'000'000});
  // In flight 0 .. 10.001 ms; the partition from 5 ms breaks the connection, and although the
  // partition is healed at 7 ms, before the arrival, the message is gone.
  network_.send(a_, b_, make_message(1), failure_recorder());
  PartitionId partition;
  at(at_ms(5), [&] {
    partition = network_.partition({host_a_}, {host_b_}, PartitionDirection::both_ways);
    EXPECT_FALSE(network_.reachable(host_a_, host_b_));
    EXPECT_FALSE(network_.reachable(host_b_, host_a_));
  });
  // Sent during the partition, in both directions: refused by nobody, they just never arrive.
  at(at_ms(6), [&] {
    network_.send(a_, b_, make_message(2), failure_recorder());
    network_.send(b_, a_, make_message(3), failure_recorder());
  });
  at(at_ms(7), [&] { network_.heal(partition); });
  // After the heal a new connection works normally: 20 ms + 10.001 ms.
  at(at_ms(20), [&] { network_.send(a_, b_, make_message(4), failure_recorder()); });
  simulation_.run_until_idle();

  ASSERT_EQ(arrivals_at_b_.size(), 1u);
  EXPECT_EQ(arrivals_at_b_[0].sequence, 4);
  EXPECT_EQ(arrivals_at_b_[0].time, at_us(30'001));
  EXPECT_TRUE(arrivals_at_a_.empty());
  // Failures: messages 2 and 3 at 6 ms + 3 s; message 1 is noticed missing only at its due
  // arrival (10.001 ms) + 3 s. All are "unreachable", none arrives instantly.
  ASSERT_EQ(failures_.size(), 3u);
  EXPECT_EQ(failures_[0].time, at_ms(3'006));
  EXPECT_EQ(failures_[1].time, at_ms(3'006));
  EXPECT_EQ(failures_[2].time, at_us(3'010'001));
  for (const Failure& failure : failures_) EXPECT_EQ(failure.failure, DeliveryFailure::unreachable);
  EXPECT_EQ(network_.counters().messages_dropped, 3u);
  EXPECT_EQ(network_.counters().messages_delivered, 1u);
}

TEST_F(NetworkTest, ConnectionBrokenByAPartitionDoesNotDelayTheNextConnection) {
  // A 1250-byte message at 1 Mbit/s occupies the connection 0 .. 10 ms. The partition at 2 ms
  // drops it; after the heal at 3 ms a new 125-byte message (1 ms on the wire) sent at 4 ms must
  // not wait for the dead message's wire time: it arrives at 4 + 1 + 1 = 6 ms.
  network_.set_link(host_a_, host_b_,
                    LinkProperties{Duration::milliseconds(1), Duration::zero(), 1'000'000});
  network_.send(a_, b_, make_message(1, 1250));
  PartitionId partition;
  at(at_ms(2), [&] {
    partition = network_.partition({host_a_}, {host_b_}, PartitionDirection::both_ways);
  });
  at(at_ms(3), [&] { network_.heal(partition); });
  at(at_ms(4), [&] { network_.send(a_, b_, make_message(2, 125)); });
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals_at_b_.size(), 1u);
  EXPECT_EQ(arrivals_at_b_[0].sequence, 2);
  EXPECT_EQ(arrivals_at_b_[0].time, at_ms(6));
}

TEST_F(NetworkTest, OneWayPartitionCutsOnlyOneDirection) {
  network_.set_connect_timeout(Duration::seconds(2));
  network_.partition({host_a_}, {host_b_}, PartitionDirection::one_way);
  EXPECT_FALSE(network_.reachable(host_a_, host_b_));
  EXPECT_TRUE(network_.reachable(host_b_, host_a_));
  network_.send(a_, b_, make_message(1), failure_recorder());  // cut: fails at 2 s
  network_.send(b_, a_, make_message(2), failure_recorder());  // open: arrives at 1.001 ms
  simulation_.run_until_idle();
  EXPECT_TRUE(arrivals_at_b_.empty());
  ASSERT_EQ(arrivals_at_a_.size(), 1u);
  EXPECT_EQ(arrivals_at_a_[0].sequence, 2);
  EXPECT_EQ(arrivals_at_a_[0].time, at_us(1'001));
  ASSERT_EQ(failures_.size(), 1u);
  EXPECT_EQ(failures_[0].time, at_ms(2'000));
  EXPECT_EQ(failures_[0].failure, DeliveryFailure::unreachable);
}

TEST_F(NetworkTest, OneWayPartitionBreaksExistingConnectionsBothWays) {
  // A TCP connection needs both directions, so a one-way cut breaks the connections in flight
  // either way; only new sends see the asymmetry.
  network_.send(a_, b_, make_message(1));  // in flight until 1.001 ms
  network_.send(b_, a_, make_message(2));
  at(at_us(500), [&] {
    network_.partition({host_a_}, {host_b_}, PartitionDirection::one_way);
  });
  at(at_ms(2), [&] { network_.send(b_, a_, make_message(3)); });  // arrives 3.001 ms
  simulation_.run_until_idle();
  EXPECT_TRUE(arrivals_at_b_.empty());
  ASSERT_EQ(arrivals_at_a_.size(), 1u);
  EXPECT_EQ(arrivals_at_a_[0].sequence, 3);
  EXPECT_EQ(arrivals_at_a_[0].time, at_us(3'001));
}

TEST_F(NetworkTest, PartitionBetweenSetsLeavesOtherPairsAlone) {
  const HostId host_c = network_.add_host("host-c");
  const EndpointId c = network_.add_endpoint(host_c, "c");
  std::vector<Arrival> arrivals_at_c;
  network_.open(c, recorder(arrivals_at_c));
  network_.partition({host_a_}, {host_b_, host_c}, PartitionDirection::both_ways);
  EXPECT_FALSE(network_.reachable(host_a_, host_c));
  EXPECT_TRUE(network_.reachable(host_b_, host_c));
  EXPECT_TRUE(network_.reachable(host_c, host_b_));
  network_.send(b_, c, make_message(1));
  network_.send(a_, c, make_message(2));
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals_at_c.size(), 1u);
  EXPECT_EQ(arrivals_at_c[0].sequence, 1);
}

TEST_F(NetworkTest, ClosedEndpointRefusesAfterARoundTrip) {
  network_.close(b_);
  EXPECT_FALSE(network_.is_open(b_));
  // Arrives at 1.001 ms and finds nobody listening; the refusal travels back one latency.
  network_.send(a_, b_, make_message(1), failure_recorder());
  simulation_.run_until_idle();
  EXPECT_TRUE(arrivals_at_b_.empty());
  ASSERT_EQ(failures_.size(), 1u);
  EXPECT_EQ(failures_[0].failure, DeliveryFailure::refused);
  EXPECT_EQ(failures_[0].time, at_us(2'001));
}

TEST_F(NetworkTest, UnreachableAfterTheConnectTimeout) {
  network_.set_connect_timeout(Duration::seconds(10));
  EXPECT_EQ(network_.connect_timeout(), Duration::seconds(10));
  network_.partition({host_a_}, {host_b_}, PartitionDirection::both_ways);
  at(at_ms(100), [&] { network_.send(a_, b_, make_message(1), failure_recorder()); });
  simulation_.run_until_idle();
  ASSERT_EQ(failures_.size(), 1u);
  EXPECT_EQ(failures_[0].failure, DeliveryFailure::unreachable);
  EXPECT_EQ(failures_[0].time, at_ms(10'100));
}

TEST_F(NetworkTest, NoFailureCallbackAfterTheSenderCrashed) {
  network_.set_connect_timeout(Duration::seconds(1));
  network_.close(b_);
  network_.send(a_, b_, make_message(1), failure_recorder());  // refusal due at 2.001 ms
  const HostId host_c = network_.add_host("host-c");
  const EndpointId c = network_.add_endpoint(host_c, "c");
  network_.partition({host_a_}, {host_c}, PartitionDirection::both_ways);
  network_.send(a_, c, make_message(2), failure_recorder());  // unreachable due at 1 s
  // The sender crashes at 1.5 ms and restarts at 1.8 ms: the new incarnation must not hear about
  // the old one's messages either.
  at(at_us(1'500), [&] { network_.close(a_); });
  at(at_us(1'800), [&] { network_.open(a_, recorder(arrivals_at_a_)); });
  simulation_.run_until_idle();
  EXPECT_TRUE(failures_.empty());
}

TEST_F(NetworkTest, ClosedSenderSendsNothing) {
  network_.close(a_);
  network_.send(a_, b_, make_message(1), failure_recorder());
  simulation_.run_until_idle();
  EXPECT_TRUE(arrivals_at_b_.empty());
  EXPECT_TRUE(failures_.empty());
  EXPECT_EQ(network_.counters().messages_sent, 0u);
}

TEST_F(NetworkTest, ReopenedEndpointDoesNotGetMessagesSentToTheOldIncarnation) {
  std::vector<Arrival> new_incarnation;
  network_.send(a_, b_, make_message(1), failure_recorder());  // due at 1.001 ms
  at(at_us(300), [&] { network_.close(b_); });
  at(at_us(600), [&] { network_.open(b_, recorder(new_incarnation)); });
  at(at_ms(5), [&] { network_.send(a_, b_, make_message(2), failure_recorder()); });  // 6.001 ms
  simulation_.run_until_idle();
  EXPECT_TRUE(arrivals_at_b_.empty());
  ASSERT_EQ(new_incarnation.size(), 1u);
  EXPECT_EQ(new_incarnation[0].sequence, 2);
  EXPECT_EQ(new_incarnation[0].time, at_us(6'001));
  // The old message is refused: noticed at its arrival plus one latency back.
  ASSERT_EQ(failures_.size(), 1u);
  EXPECT_EQ(failures_[0].failure, DeliveryFailure::refused);
  EXPECT_EQ(failures_[0].time, at_us(2'001));
}

TEST_F(NetworkTest, ReceiverMayCloseItselfWhileHandlingAMessage) {
  int handled = 0;
  network_.open(b_, [&](EndpointId, const MessagePtr&) {
    ++handled;
    network_.close(b_);  // the copied receiver keeps this call safe
  });
  network_.send(a_, b_, make_message(1));
  network_.send(a_, b_, make_message(2), failure_recorder());
  simulation_.run_until_idle();
  EXPECT_EQ(handled, 1);
  ASSERT_EQ(failures_.size(), 1u);
  EXPECT_EQ(failures_[0].failure, DeliveryFailure::refused);
}

TEST_F(NetworkTest, NamesAndHostsAreRecorded) {
  EXPECT_EQ(network_.host_name(host_b_), "host-b");
  EXPECT_EQ(network_.endpoint_name(a_), "a");
  EXPECT_EQ(network_.host_of(b_), host_b_);
  EXPECT_TRUE(network_.is_open(a_));
}

// ---- Resets: a crash resets the crashed side's connections ----------------------------------

TEST_F(NetworkTest, CrashResetsAnEstablishedConnectionAfterWhatWasOnTheWire) {
  std::vector<std::pair<Instant, EndpointId>> resets;
  network_.set_reset_listener(a_, [&](EndpointId remote) { resets.emplace_back(simulation_.now(), remote); });
  network_.send(a_, b_, make_message(1));  // sets the connection up; arrives at 1.001 ms
  // b crashes at 0.6 ms with nothing of its own on the wire: the RST arrives one latency later.
  at(at_us(600), [&] { network_.close(b_); });
  simulation_.run_until_idle();
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].first, at_us(1'600));
  EXPECT_EQ(resets[0].second, b_);
  // Again, but b first sends 1,250,000 bytes at 5 ms: 10 ms on the 1 Gbit/s wire, arriving at
  // 16 ms. b crashes at 5.1 ms; the RST follows the message (16 ms), not 6.1 ms.
  network_.open(b_, recorder(arrivals_at_b_));
  at(at_ms(4), [&] { network_.send(a_, b_, make_message(2)); });
  at(at_ms(5), [&] { network_.send(b_, a_, make_message(3, 1'250'000)); });
  at(at_us(5'100), [&] { network_.close(b_); });
  simulation_.run_until_idle();
  ASSERT_EQ(arrivals_at_a_.size(), 1u);
  EXPECT_EQ(arrivals_at_a_[0].time, at_ms(16));
  ASSERT_EQ(resets.size(), 2u);
  EXPECT_EQ(resets[1].first, at_ms(16));
}

TEST_F(NetworkTest, NoResetWithoutAConnectionOrAListenerOrAcrossAPartition) {
  int resets = 0;
  network_.set_reset_listener(a_, [&](EndpointId) { ++resets; });
  network_.close(b_);  // a and b never talked: nothing to reset
  simulation_.run_until_idle();
  EXPECT_EQ(resets, 0);
  // A message to the closed endpoint is refused: no connection either.
  network_.send(a_, b_, make_message(1));
  network_.open(b_, recorder(arrivals_at_b_));
  simulation_.run_until_idle();
  network_.close(b_);
  simulation_.run_until_idle();
  EXPECT_EQ(resets, 0);
  // A partition breaks the connection: the RST of a later crash cannot arrive (TCP learns of it
  // only by its own timeouts).
  network_.open(b_, recorder(arrivals_at_b_));
  network_.send(a_, b_, make_message(2));
  simulation_.run_until_idle();
  const PartitionId cut = network_.partition({host_a_}, {host_b_}, PartitionDirection::both_ways);
  network_.heal(cut);
  network_.close(b_);
  simulation_.run_until_idle();
  EXPECT_EQ(resets, 0);
}

TEST_F(NetworkTest, ResetIsToldOnceAndNotToARestartedPeer) {
  int resets = 0;
  network_.set_reset_listener(a_, [&](EndpointId) { ++resets; });
  network_.send(a_, b_, make_message(1));
  network_.send(b_, a_, make_message(2));  // both directions: still one connection to reset
  simulation_.run_until_idle();
  network_.close(b_);
  simulation_.run_until_idle();
  EXPECT_EQ(resets, 1);
  // The connection is gone: a second crash of b's next incarnation resets nothing.
  network_.open(b_, recorder(arrivals_at_b_));
  network_.close(b_);
  simulation_.run_until_idle();
  EXPECT_EQ(resets, 1);
  // A peer that restarted before the RST arrives does not hear it (it is a new incarnation).
  network_.open(b_, recorder(arrivals_at_b_));
  network_.send(a_, b_, make_message(3));
  simulation_.run_until_idle();
  network_.close(b_);
  network_.close(a_);
  network_.open(a_, recorder(arrivals_at_a_));
  simulation_.run_until_idle();
  EXPECT_EQ(resets, 1);
}

}  // namespace
}  // namespace flinksim::sim
