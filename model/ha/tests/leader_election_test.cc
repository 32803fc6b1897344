// Goal: the ZooKeeper model gives Flink's leader election its guarantees — the first contender
// leads; a dead leader is replaced only once its session expired on the server; a leader cut off
// from ZooKeeper gives up leadership (SUSPENDED) before anyone else can win (the server's session
// expiry comes later); a short ZooKeeper outage keeps sessions and the tree; leader retrieval sees
// each change. Method: small contender processes embedding the client and the LeaderLatch, on the
// default 1 ms links; every expected instant is derived by hand in the test's comments.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/ha/leader_latch.h"
#include "model/ha/leader_retrieval.h"
#include "model/ha/zookeeper_client.h"
#include "model/ha/zookeeper_process.h"
#include "sim/context.h"

namespace flinksim::model::ha {
namespace {

sim::Instant at_ms(int64_t ms) {
  return sim::Instant::zero() + sim::Duration::milliseconds(ms);
}

// Each message also takes its serialization time (128 bytes at 10 Gbit/s, about 0.1 us) on top
// of the 1 ms latency: instants derived in milliseconds hold to within 10 us.
void expect_event(const std::pair<sim::Instant, std::string>& event, int64_t ms,
                  const std::string& what) {
  EXPECT_EQ(event.second, what);
  EXPECT_NEAR(static_cast<double>(event.first.nanoseconds_since_start()),
              static_cast<double>(at_ms(ms).nanoseconds_since_start()), 10'000.0)
      << what << " at " << event.first.nanoseconds_since_start() << " ns, expected " << ms << " ms";
}

// A JobManager-like contender: a ZooKeeper client and a LeaderLatch; records grants and revokes.
class Contender final : public sim::Process {
 public:
  Contender(sim::Context& context, std::string name, sim::EndpointId server, bool tolerate = false)
      : sim::Process(context, context.network().add_host(name), name),
        server_(server),
        tolerate_(tolerate) {
    endpoint_ =
        add_endpoint(this->name() + "/zk", [this](sim::EndpointId, const sim::MessagePtr& m) {
          if (client_) client_->on_message(m);
        });
  }
  std::vector<std::pair<sim::Instant, std::string>> events;
  std::optional<LeaderSessionId> session;
  ZooKeeperClient& client() { return *client_; }

 protected:
  void on_start() override {
    client_ =
        std::make_unique<ZooKeeperClient>(*this, endpoint_, server_, ZooKeeperClientOptions{});
    latch_ = std::make_unique<LeaderLatch>(
        *client_, "/latch", tolerate_,
        [this](LeaderSessionId granted) {
          session = granted;
          events.emplace_back(now(), "granted");
        },
        [this] {
          session.reset();
          events.emplace_back(now(), "revoked");
        });
    client_->start();
  }
  void on_crash() override {
    latch_.reset();
    client_.reset();
  }

 private:
  sim::EndpointId server_;
  bool tolerate_;
  sim::EndpointId endpoint_;
  std::unique_ptr<ZooKeeperClient> client_;
  std::unique_ptr<LeaderLatch> latch_;
};

struct Fixture {
  sim::Context context{7};
  ZooKeeperProcess zookeeper{context, context.network().add_host("zookeeper")};
  Fixture() { zookeeper.start(); }
  void run_until_ms(int64_t ms) { context.simulation().run_until(at_ms(ms)); }
};

TEST(LeaderElection, FirstContenderLeadsAndTheStandbyWinsOnlyAfterTheSessionExpired) {
  Fixture f;
  Contender a(f.context, "a", f.zookeeper.endpoint());
  Contender b(f.context, "b", f.zookeeper.endpoint());
  a.start();
  b.start();
  // connect 0→1 ms→2 ms; create latch node 2→3 (a first: it was started first)→4; children
  // 4→5→6 ms: a holds the lowest node and leads at 6 ms; b's node is second.
  f.run_until_ms(10);
  ASSERT_EQ(a.events.size(), 1u);
  expect_event(a.events[0], 6, "granted");
  EXPECT_TRUE(b.events.empty());
  // a pings every 20 s (a third of the 60 s session timeout) from its connection at 2 ms: the
  // ping of 20.002 s reaches the server at 20.003 s, a's last sign of life before its crash at
  // 30 s. The server expires the session at 80.003 s and deletes a's node; b's watch event
  // arrives at 80.004 s, its children request returns at 80.006 s: b leads.
  f.context.simulation().schedule_at(at_ms(30'000), [&a] { a.crash(); });
  f.run_until_ms(80'002);
  EXPECT_TRUE(b.events.empty()) << "no standby may lead while the old session lives";
  f.run_until_ms(81'000);
  ASSERT_EQ(b.events.size(), 1u);
  expect_event(b.events[0], 80'006, "granted");
  // Later leaderships carry larger fencing tokens.
  ASSERT_TRUE(b.session.has_value());
  EXPECT_GT(b.session->value, 1u);
}

TEST(LeaderElection, ALeaderCutOffFromZooKeeperStepsDownBeforeTheStandbyTakesOver) {
  Fixture f;
  Contender a(f.context, "a", f.zookeeper.endpoint());
  Contender b(f.context, "b", f.zookeeper.endpoint());
  a.start();
  b.start();
  f.run_until_ms(10);
  f.context.simulation().schedule_at(at_ms(30'000), [&] {
    f.context.network().partition({a.host()}, {f.zookeeper.host()},
                                  sim::PartitionDirection::both_ways);
  });
  // a last heard the server at 20.004 s (the pong to its 20.002 s ping); ZooKeeper's read
  // timeout (2/3 x 60 s = 40 s) runs out at 60.004 s: SUSPENDED, and a gives up leadership (Flink's
  // default does not tolerate suspended connections). The server still counts a's session from
  // 20.003 s: it expires at 80.003 s, and b leads at 80.006 s. No instant has two leaders.
  f.run_until_ms(120'000);
  ASSERT_EQ(a.events.size(), 2u);
  expect_event(a.events[1], 60'004, "revoked");
  ASSERT_EQ(b.events.size(), 1u);
  expect_event(b.events[0], 80'006, "granted");
}

TEST(LeaderElection, ToleratedSuspensionKeepsLeadershipThroughAShortZooKeeperOutage) {
  Fixture f;
  Contender a(f.context, "a", f.zookeeper.endpoint(), /*tolerate=*/true);
  a.start();
  f.run_until_ms(10);
  ASSERT_EQ(a.events.size(), 1u);
  // ZooKeeper is down from 25 s to 50 s. a's ping at 40.002 s is refused at 40.004 s: SUSPENDED,
  // but tolerated. Reconnection attempts (every second after each refusal) reach the restarted
  // server before a whole session timeout passed: RECONNECTED with the same session, which the
  // server kept (and gave a fresh timeout). Curator's LeaderLatch does not reset a leader on
  // RECONNECTED under the session error policy: a leads throughout, with its one latch node.
  f.context.simulation().schedule_at(at_ms(25'000), [&] { f.zookeeper.crash(); });
  f.context.simulation().schedule_at(at_ms(50'000), [&] { f.zookeeper.start(); });
  f.run_until_ms(100'000);
  EXPECT_EQ(a.events.size(), 1u);
  EXPECT_EQ(f.zookeeper.children("/latch").size(), 1u);
}

TEST(LeaderElection,
     ZooKeeperDownLongerThanTheSessionTimeoutCostsLeadershipUntilTheOldSessionDies) {
  Fixture f;
  Contender a(f.context, "a", f.zookeeper.endpoint());
  a.start();
  f.run_until_ms(10);
  // ZooKeeper is down from 25 s to 100 s. a's ping at 40.002 s is refused at 40.004 s: SUSPENDED,
  // and a gives up leadership. Curator declares the session LOST a session timeout later, at
  // 100.004 s, before the next connection attempt (they run at 40.004 + k x 1.002 s: 100.124 s)
  // reaches the restarted server: a new session and a new latch node, queued behind the old
  // session's node. The restarted server gave the old session a fresh 60 s from 100 s: it expires
  // at 160 s, the watch event arrives at 160.001 s and a's children request returns at 160.003 s.
  f.context.simulation().schedule_at(at_ms(25'000), [&] { f.zookeeper.crash(); });
  f.context.simulation().schedule_at(at_ms(100'000), [&] { f.zookeeper.start(); });
  f.run_until_ms(200'000);
  ASSERT_EQ(a.events.size(), 3u);
  expect_event(a.events[1], 40'004, "revoked");
  expect_event(a.events[2], 160'003, "granted");
}

TEST(LeaderRetrieval, FollowsTheLeaderInformationNodeAndLosesItWithTheSession) {
  Fixture f;
  Contender a(f.context, "a", f.zookeeper.endpoint());
  Contender observer(f.context, "observer", f.zookeeper.endpoint());
  a.start();
  observer.start();
  f.run_until_ms(10);
  std::vector<std::pair<sim::Instant, std::optional<LeaderInformation>>> seen;
  LeaderRetrieval retrieval(observer.client(), "/leader", false,
                            [&](const std::optional<LeaderInformation>& leader) {
                              seen.emplace_back(f.context.now(), leader);
                            });
  f.context.simulation().schedule_at(at_ms(1'000), [&] {
    a.client().put("/leader", LeaderInformation{LeaderSessionId{1}, {3}, {4}}.format(), true,
                   [](const ZooKeeperResponse&) {});
  });
  // The ephemeral node lives with a's session: a dies at 5 s, its session (last touched by the
  // put at 1.001 s) expires at 61.001 s, and the observer hears "no leader".
  f.context.simulation().schedule_at(at_ms(5'000), [&a] { a.crash(); });
  f.run_until_ms(70'000);
  ASSERT_EQ(seen.size(), 2u);
  ASSERT_TRUE(seen[0].second.has_value());
  EXPECT_EQ(seen[0].second->session.value, 1u);
  EXPECT_EQ(seen[0].second->job_master.value, 4u);
  EXPECT_FALSE(seen[1].second.has_value());
  EXPECT_GE(seen[1].first, at_ms(61'001));
  EXPECT_LE(seen[1].first, at_ms(61'005));
}

TEST(LeaderInformation, FormatAndParseRoundTrip) {
  const LeaderInformation information{LeaderSessionId{42}, {7}, {9}};
  EXPECT_EQ(LeaderInformation::parse(information.format()), information);
  EXPECT_FALSE(LeaderInformation::parse("garbage").has_value());
}

}  // namespace
}  // namespace flinksim::model::ha
