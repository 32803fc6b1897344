// Goal: the Kubernetes model gives Flink's KubernetesLeaderElector (fabric8's LeaderElector on a
// ConfigMap lock) its timing — the first contender leads; a dead leader's lease must run out
// (renew time + lease-duration, 15 s) before a standby's next acquire attempt (every retry-period,
// 5 s, stretched by up to 1.2 x jitter) takes it; an API-server outage longer than the renew
// deadline (15 s) revokes leadership and nobody leads until the server is back, a shorter one
// does not; a leader cut off from the server is deposed by the standby while it still believes
// it leads (the renew deadline counts from its last successful renew, and a request to an
// unreachable server takes the 10 s request timeout), and its fenced write (the execution plan)
// is refused while its unfenced write (a checkpoint pointer, as
// KubernetesCheckpointRecoveryFactory.withoutLeadershipValidation leaves it in Flink) goes
// through. Method: small contender processes embedding the client, the elector and the store
// client, on the default 1 ms links; instants derived by hand below.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/ha/kubernetes_api_server.h"
#include "model/ha/kubernetes_client.h"
#include "model/ha/kubernetes_leader_elector.h"
#include "model/ha/kubernetes_store_client.h"
#include "sim/context.h"

namespace flinksim::model::ha {
namespace {

sim::Instant at_ms(int64_t ms) {
  return sim::Instant::zero() + sim::Duration::milliseconds(ms);
}

int64_t ms_of(sim::Instant instant) { return instant.nanoseconds_since_start() / 1'000'000; }

// Messages also take their serialization time (well under 1 us) on top of the 1 ms latency:
// instants derived in milliseconds hold to within 10 us.
void expect_at(sim::Instant actual, int64_t ms, const std::string& what) {
  EXPECT_NEAR(static_cast<double>(actual.nanoseconds_since_start()),
              static_cast<double>(at_ms(ms).nanoseconds_since_start()), 10'000.0)
      << what << " at " << actual.nanoseconds_since_start() << " ns, expected " << ms << " ms";
}

// A JobManager-like contender: the Kubernetes client, the elector on the cluster ConfigMap with
// the contender's name as identity, and the HA store client; records grants and revokes.
class Contender final : public sim::Process {
 public:
  Contender(sim::Context& context, std::string name, sim::EndpointId server)
      : sim::Process(context, context.network().add_host(name), name), server_(server) {
    endpoint_ =
        add_endpoint(this->name() + "/k8s", [this](sim::EndpointId, const sim::MessagePtr& m) {
          if (client_) client_->on_message(m);
        });
  }
  std::vector<sim::Instant> granted;
  std::vector<sim::Instant> revoked;
  bool leading() const { return elector_ && elector_->has_leadership(); }
  KubernetesStoreClient& store() { return *store_; }

 protected:
  void on_start() override {
    client_ = std::make_unique<KubernetesClient>(*this, endpoint_, server_);
    store_ = std::make_unique<KubernetesStoreClient>(*client_, name());
    elector_ = std::make_unique<KubernetesLeaderElector>(
        *this, *client_, cluster_config_map(), name(), LeaderElectionTimes{},
        context().fork_rng("elector/" + name()), [this](LeaderSessionId) { granted.push_back(now()); },
        [this] { revoked.push_back(now()); });
    elector_->start();
  }
  void on_crash() override {
    elector_.reset();
    store_.reset();
    client_.reset();
  }

 private:
  sim::EndpointId server_;
  sim::EndpointId endpoint_;
  std::unique_ptr<KubernetesClient> client_;
  std::unique_ptr<KubernetesStoreClient> store_;
  std::unique_ptr<KubernetesLeaderElector> elector_;
};

struct Fixture {
  sim::Context context{7};
  KubernetesApiServer server{context, context.network().add_host("kubernetes-api-server")};
  Contender a{context, "a", server.endpoint()};
  Contender b{context, "b", server.endpoint()};
  // When each of b's failed acquire attempts read the lock (the GET's answer).
  std::vector<sim::Instant> b_refused;
  Fixture() {
    server.start();
    context.trace().set_listener([this](const sim::TraceEvent& event) {
      if (event.component == "b" && event.kind == "kubernetes leader lease held")
        b_refused.push_back(event.time);
    });
    a.start();
    at(1'000, [this] { b.start(); });
  }
  ~Fixture() { context.trace().set_listener({}); }
  void at(int64_t ms, std::function<void()> action) {
    context.simulation().schedule_at(at_ms(ms), std::move(action));
  }
  void run_until_ms(int64_t ms) { context.simulation().run_until(at_ms(ms)); }
  // b took the lock at its first attempt that found it expired: the attempt before was refused
  // at or before `lease_end_ms`, and the two attempts were due between one retry period and 2.2
  // retry periods apart. (b's attempt due at t reads the lock at t + 2 ms and is granted at t + 4.)
  void expect_b_took_expired_lock(int64_t lease_end_ms) {
    ASSERT_EQ(b.granted.size(), 1u);
    ASSERT_FALSE(b_refused.empty());
    const int64_t granted = ms_of(b.granted[0]);
    const int64_t last_refused = ms_of(b_refused.back());
    EXPECT_LE(last_refused, lease_end_ms);
    EXPECT_GT(granted - 2, lease_end_ms) << "its read must find the lease expired";
    const int64_t gap = granted - 4 - (last_refused - 2);
    EXPECT_GE(gap, 5'000);
    EXPECT_LE(gap, 11'000);
  }
};

// a's first attempt (due 0): GET 0→1→2 ms, not found; CREATE 2→3→4 ms: a leads at 4 ms. Its renew
// loop starts at once (due 4 ms) and renews every 5 s: each renew reads at due + 2 ms and writes
// renew time = that instant, so the renew due 10.004 s writes renew time 10.006 s.
TEST(KubernetesLeaderElection, StandbyLeadsOnlyAfterTheDeadLeadersLeaseExpired) {
  Fixture f;
  f.run_until_ms(10);
  ASSERT_EQ(f.a.granted.size(), 1u);
  expect_at(f.a.granted[0], 4, "a granted");
  // b's first attempt (due 1 s) reads a's lock at 1.002 s: held, not expired.
  f.run_until_ms(1'010);
  ASSERT_EQ(f.b_refused.size(), 1u);
  expect_at(f.b_refused[0], 1'002, "b refused");
  // a dies at 12 s: its last renew time is 10.006 s, its lease ends at 25.006 s. b may lead only
  // after a read later than that: at its first attempt due after 25.004 s, within (25.008 s,
  // 36.008 s] since attempts are at most 11 s apart.
  f.at(12'000, [&f] { f.a.crash(); });
  f.run_until_ms(25'008);
  EXPECT_TRUE(f.b.granted.empty()) << "no standby may lead while the old lease holds";
  f.run_until_ms(36'009);
  f.expect_b_took_expired_lock(25'006);
  EXPECT_GT(ms_of(f.b.granted[0]), 25'008);
  EXPECT_LE(ms_of(f.b.granted[0]), 36'008);
}

// An API-server outage from 12 s to 42 s. a's last successful renew (due 10.004 s) completed at
// 10.008 s: renew deadline 25.008 s. Its renews due 15.004, 20.004 and 25.004 s (not yet past the
// deadline) are refused 2 ms after sending; the one due 30.004 s finds the deadline passed and
// releases the lock, which is refused at 30.006 s: a stops leading then. Nobody can take the
// lock while the server is down; after 42 s the first attempt (a's or b's) finds a's lease (renew
// time 10.006 s) long expired and takes it, within 11 s + 4 ms of the server's return.
TEST(KubernetesLeaderElection, ApiServerOutageLongerThanTheRenewDeadlineRevokesLeadership) {
  Fixture f;
  f.at(12'000, [&f] { f.server.crash(); });
  f.at(42'000, [&f] { f.server.start(); });
  f.run_until_ms(30'005);
  EXPECT_TRUE(f.a.revoked.empty()) << "leadership holds until the renew deadline has passed";
  f.run_until_ms(42'000);
  ASSERT_EQ(f.a.revoked.size(), 1u);
  expect_at(f.a.revoked[0], 30'006, "a revoked");
  EXPECT_EQ(f.a.granted.size(), 1u);
  EXPECT_TRUE(f.b.granted.empty());
  f.run_until_ms(53'005);
  const size_t leaders = f.a.granted.size() - 1 + f.b.granted.size();
  ASSERT_EQ(leaders, 1u) << "exactly one new leadership after the outage";
  const sim::Instant next = f.b.granted.empty() ? f.a.granted.back() : f.b.granted[0];
  EXPECT_GT(ms_of(next), 42'000);
  EXPECT_LE(ms_of(next), 53'004);
}

// An outage shorter than the renew deadline (12 s to 20 s): the renew due 15.004 s is refused,
// the one due 20.004 s reaches the server again (renew deadline 25.008 s not passed): a keeps
// leading, b never leads.
TEST(KubernetesLeaderElection, ApiServerOutageShorterThanTheRenewDeadlineKeepsLeadership) {
  Fixture f;
  f.at(12'000, [&f] { f.server.crash(); });
  f.at(20'000, [&f] { f.server.start(); });
  f.run_until_ms(60'000);
  EXPECT_EQ(f.a.granted.size(), 1u);
  EXPECT_TRUE(f.a.revoked.empty());
  EXPECT_TRUE(f.b.granted.empty());
  const ConfigMap* cluster = f.server.find(cluster_config_map());
  ASSERT_NE(cluster, nullptr);
  // The last renew before 60 s was due 55.004 s and wrote renew time 55.006 s.
  expect_at(cluster->leader->renew_time, 55'006, "last renew time");
}

// a is cut off from the API server from 12 s to 40 s (requests and answers are lost: each request
// waits the 10 s request timeout). Its lease (renew time 10.006 s) ends at 25.006 s, and b takes
// it as in the first test, by 36.008 s. a's renew due 15.004 s times out at 25.004 s; the one due
// 20.004 s is late and runs at once: 25.004 s is not past its renew deadline (25.008 s), so it
// tries, and times out at 35.004 s; the next (due 25.004 s, run at once) finds the deadline passed
// and releases, and the release's read, sent at 35.004 s into the partition, times out at
// 45.004 s: a stops leading only then. Between b's grant and 45.004 s both believe they lead.
// At 41 s (healed) a writes: the execution plan (fenced by the leader annotation) is refused, the
// checkpoint pointer (not fenced in Flink) is written.
TEST(KubernetesLeaderElection, DeposedLeadersFencedWriteIsRefused) {
  Fixture f;
  sim::PartitionId cut;
  f.at(12'000, [&f, &cut] {
    cut = f.context.network().partition({f.a.host()}, {f.server.host()},
                                        sim::PartitionDirection::both_ways);
  });
  f.at(40'000, [&f, &cut] { f.context.network().heal(cut); });
  std::optional<StoreResult> plan;
  std::optional<StoreResult> pointer;
  f.at(41'000, [&] {
    EXPECT_TRUE(f.a.leading()) << "a has not noticed yet";
    f.a.store().put(HaKey{HaRecord::execution_plan, "job", ""}, "job",
                    [&](const StoreAnswer& answer) { plan = answer.result; });
    f.a.store().create(HaKey{HaRecord::checkpoint, "job", "0000000000000000007"}, "7",
                       [&](const StoreAnswer& answer) { pointer = answer.result; });
  });
  f.run_until_ms(36'009);
  f.expect_b_took_expired_lock(25'006);
  f.run_until_ms(45'003);
  EXPECT_TRUE(f.a.revoked.empty());
  EXPECT_EQ(plan, StoreResult::not_leader);
  EXPECT_EQ(pointer, StoreResult::ok);
  const ConfigMap* cluster = f.server.find(cluster_config_map());
  ASSERT_NE(cluster, nullptr);
  EXPECT_EQ(cluster->data.count("executionPlan-job"), 0u);
  EXPECT_EQ(cluster->leader->holder_identity, "b");
  ASSERT_NE(f.server.find(job_config_map("job")), nullptr);
  EXPECT_EQ(f.server.find(job_config_map("job"))->data.count("checkpointID-0000000000000000007"), 1u);
  f.run_until_ms(46'000);
  ASSERT_EQ(f.a.revoked.size(), 1u);
  expect_at(f.a.revoked[0], 45'004, "a revoked");
}

}  // namespace
}  // namespace flinksim::model::ha
