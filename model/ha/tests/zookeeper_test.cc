// Goal: the `zookeeper` process keeps ZooKeeper's promises that Flink's HA services build on:
// sequential nodes get increasing zero-padded numbers, ephemeral nodes vanish with their session
// (not with a mere disconnect), a crashed server keeps its tree and its sessions, an expired
// session's requests are refused; and the HA stores on top keep num-retained checkpoint pointers
// and round-trip their values. Also the sink store's fencing of stale leaderships.
// Method: a small client process issues requests at fixed instants on 1 ms links; expectations
// are listed by hand.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/ha/checkpoint_id_counter.h"
#include "model/ha/completed_checkpoint_pointers.h"
#include "model/ha/execution_plan_store.h"
#include "model/ha/store_job_master_services.h"
#include "model/ha/job_event.h"
#include "model/ha/job_result_store.h"
#include "model/ha/zookeeper_client.h"
#include "model/ha/ha_paths.h"
#include "model/ha/zookeeper_process.h"
#include "model/ha/zookeeper_store_client.h"
#include "model/sink_store.h"
#include "sim/context.h"

namespace flinksim::model::ha {
namespace {

sim::Instant at_ms(int64_t ms) {
  return sim::Instant::zero() + sim::Duration::milliseconds(ms);
}

class Client final : public sim::Process {
 public:
  Client(sim::Context& context, std::string name, sim::EndpointId server)
      : sim::Process(context, context.network().add_host(name), name), server_(server) {
    endpoint_ =
        add_endpoint(this->name() + "/zk", [this](sim::EndpointId, const sim::MessagePtr& m) {
          if (client_) client_->on_message(m);
        });
  }
  ZooKeeperClient& zk() { return *client_; }
  std::vector<ConnectionState> states;

 protected:
  void on_start() override {
    client_ =
        std::make_unique<ZooKeeperClient>(*this, endpoint_, server_, ZooKeeperClientOptions{});
    client_->add_state_listener([this](ConnectionState state) { states.push_back(state); });
    client_->start();
  }
  void on_crash() override { client_.reset(); }

 private:
  sim::EndpointId server_;
  sim::EndpointId endpoint_;
  std::unique_ptr<ZooKeeperClient> client_;
};

struct Fixture {
  sim::Context context{11};
  ZooKeeperProcess zookeeper{context, context.network().add_host("zookeeper")};
  Client client{context, "client", zookeeper.endpoint()};
  Fixture() {
    zookeeper.start();
    client.start();
    run_until_ms(5);  // connected at 2 ms
  }
  void run_until_ms(int64_t ms) { context.simulation().run_until(at_ms(ms)); }
  // Cuts the client off from the server, both ways, from `from_ms` to `to_ms` (never: -1).
  void cut_off_client(int64_t from_ms, int64_t to_ms) {
    at(from_ms, [this] {
      partition_ = context.network().partition({client.host()}, {zookeeper.host()},
                                               sim::PartitionDirection::both_ways);
    });
    if (to_ms >= 0) at(to_ms, [this] { context.network().heal(partition_); });
  }
  sim::PartitionId partition_;
  void at(int64_t ms, std::function<void()> action) {
    context.simulation().schedule_at(at_ms(ms), std::move(action));
  }
};

TEST(ZooKeeper, SequentialNodesAreNumberedInCreationOrder) {
  Fixture f;
  std::vector<std::string> created;
  for (int i = 0; i < 3; ++i) {
    f.client.zk().create("/q/n-", "", false, true,
                         [&](const ZooKeeperResponse& r) { created.push_back(r.path); });
  }
  f.run_until_ms(20);
  EXPECT_EQ(created,
            (std::vector<std::string>{"/q/n-0000000000", "/q/n-0000000001", "/q/n-0000000002"}));
  EXPECT_EQ(f.zookeeper.children("/q").size(), 3u);
  EXPECT_TRUE(f.zookeeper.children("/").empty()) << "'/q' itself was never created";
}

TEST(ZooKeeper, EphemeralNodesOutliveADisconnectButNotTheSession) {
  Fixture f;
  f.client.zk().create("/e", "x", true, false, [](const ZooKeeperResponse&) {});
  f.client.zk().create("/p", "y", false, false, [](const ZooKeeperResponse&) {});
  // The client dies at 10 s; its last contact was the two creates, which reached the server at
  // 3 ms (its first ping would have gone out at 20.002 s): the session expires at 60.003 s.
  f.at(10'000, [&] { f.client.crash(); });
  f.run_until_ms(60'002);
  EXPECT_TRUE(f.zookeeper.exists("/e"));
  f.run_until_ms(60'010);
  EXPECT_FALSE(f.zookeeper.exists("/e"));
  EXPECT_TRUE(f.zookeeper.exists("/p"));
  EXPECT_EQ(f.zookeeper.open_sessions(), 0u);
}

TEST(ZooKeeper, ACrashedServerKeepsItsTreeAndSessions) {
  Fixture f;
  f.client.zk().put("/data", "v1", false, [](const ZooKeeperResponse&) {});
  f.at(1'000, [&] { f.zookeeper.crash(); });
  f.at(3'000, [&] { f.zookeeper.start(); });
  std::optional<std::string> read;
  // The client noticed nothing (no request between 1 s and 3 s; its next ping is at 20.002 s).
  f.at(4'000,
       [&] { f.client.zk().get("/data", [&](const ZooKeeperResponse& r) { read = r.data; }); });
  f.run_until_ms(5'000);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, "v1");
  EXPECT_EQ(f.client.states, (std::vector<ConnectionState>{ConnectionState::connected}));
}

TEST(ZooKeeper, APartitionedClientIsSuspendedThenLostAndOpensANewSession) {
  Fixture f;
  // Partitioned from 1 s to 120 s: the client last heard the server at 2 ms (the connect answer;
  // the pong to its 20.002 s ping never comes), so its read timeout (2/3 x 60 s) runs out at
  // 40.002 s: SUSPENDED; Curator's LOST follows a session timeout later (100.002 s). The server
  // expired session 1 at 60.001 s. After the partition heals a new session (2) opens.
  f.cut_off_client(1'000, 120'000);
  f.run_until_ms(99'000);
  EXPECT_EQ(f.client.states,
            (std::vector<ConnectionState>{ConnectionState::connected, ConnectionState::suspended}));
  f.run_until_ms(200'000);
  EXPECT_EQ(f.client.states,
            (std::vector<ConnectionState>{ConnectionState::connected, ConnectionState::suspended,
                                          ConnectionState::lost, ConnectionState::connected}));
  EXPECT_EQ(f.zookeeper.open_sessions(), 1u);
  EXPECT_EQ(f.client.zk().session().value, 2u);
}

// A second client that changes what the first one watches.
struct TwoClients : Fixture {
  Client writer{context, "writer", zookeeper.endpoint()};
  std::vector<int64_t> notified_ms;  // when the first client's watch listener ran
  TwoClients() {
    writer.start();
    run_until_ms(10);
  }
  void watch(const std::string& path) {
    client.zk().watch(path, [this] {
      notified_ms.push_back(context.simulation().now().nanoseconds_since_start() / 1'000'000);
    });
  }
};

TEST(ZooKeeper, AWatchEventLostInAPartitionIsNoticedAtTheNextPing) {
  TwoClients f;
  f.watch("/w");  // registered at 10 ms, answered by 12 ms
  // Cut off from 1 s to 2 s, far shorter than the 40 s read timeout: the client notices nothing.
  // The event for the write at 1.5 s is lost; the pong to the ping at 20.002 s (every 60 s / 3
  // from the connection at 2 ms) says one event was sent, so the listener runs at 20.004 s.
  f.cut_off_client(1'000, 2'000);
  f.at(1'500, [&] { f.writer.zk().put("/w", "v", false, [](const ZooKeeperResponse&) {}); });
  f.run_until_ms(19'000);
  EXPECT_TRUE(f.notified_ms.empty());
  f.run_until_ms(25'000);
  EXPECT_EQ(f.notified_ms, (std::vector<int64_t>{20'004}));
  EXPECT_EQ(f.client.states, (std::vector<ConnectionState>{ConnectionState::connected}));
}

TEST(ZooKeeper, AWatchRegisteredWhileTheServerIsDownIsRegisteredOnReconnection) {
  TwoClients f;
  // The server is down from 1 s to 3 s. The registration sent at 1.5 s is refused after a round
  // trip (SUSPENDED at 1.502 s). Connection attempts follow at once and then a second after each
  // refusal: 1.502 s, 2.504 s, 3.506 s, which finds the server back (RECONNECTED at 3.508 s, when
  // every listener runs once). The client registers its watches again on that connection, so the
  // write at 5 s reaches the listener at 5.002 s.
  f.at(1'000, [&] { f.zookeeper.crash(); });
  f.at(1'500, [&] { f.watch("/w"); });
  f.at(3'000, [&] { f.zookeeper.start(); });
  f.at(5'000, [&] { f.writer.zk().put("/w", "v", false, [](const ZooKeeperResponse&) {}); });
  f.run_until_ms(6'000);
  EXPECT_EQ(f.client.states,
            (std::vector<ConnectionState>{ConnectionState::connected, ConnectionState::suspended,
                                          ConnectionState::reconnected}));
  ASSERT_EQ(f.notified_ms.size(), 2u);
  EXPECT_EQ(f.notified_ms[0], 3'508) << "RECONNECTED";
  EXPECT_EQ(f.notified_ms[1], 5'002);
}

TEST(ZooKeeper, ARestartedClientTakesNoEventOfItsPredecessorsSession) {
  TwoClients f;
  f.watch("/w");
  // The client process crashes at 1 s and starts again at 1.5 s on the same endpoint: a new
  // session (3; the writer holds 2) whose connection at 1.502 s runs the listener once, while session 1 lives on at the server until it
  // expires (60 s) and is still told of changes to /w. The write at 3 s sends one event to each
  // session; only session 3's counts. The write at 4.5 s falls into a partition (4 s to 5 s) and
  // its event is lost; the pong to session 3's first ping (20 s after its connection at 1.502 s)
  // says two were sent, one arrived, and the listener runs at 21.504 s. Counting session 1's
  // event as well, the client would have seen no gap.
  f.at(1'000, [&] { f.client.crash(); });
  f.at(1'500, [&] {
    f.client.start();
    f.watch("/w");
  });
  f.at(3'000, [&] { f.writer.zk().put("/w", "a", false, [](const ZooKeeperResponse&) {}); });
  f.cut_off_client(4'000, 5'000);
  f.at(4'500, [&] { f.writer.zk().put("/w", "b", false, [](const ZooKeeperResponse&) {}); });
  f.run_until_ms(30'000);
  EXPECT_EQ(f.client.zk().session().value, 3u) << "sessions 1 and 2 went to the two clients first";
  EXPECT_EQ(f.notified_ms, (std::vector<int64_t>{1'502, 3'002, 21'504}));
}

TEST(HighAvailabilityStores, CompletedCheckpointPointersKeepTheNumRetainedNewest) {
  Fixture f;
  ZooKeeperStoreClient store(f.client.zk());
  CompletedCheckpointPointers pointers(store);
  for (checkpoint::CheckpointId id : {3, 4, 5}) pointers.add("job", id, 2, [](bool) {});
  std::optional<CompletedCheckpointPointers::Lookup> lookup;
  f.at(1'000,
       [&] { pointers.latest("job", [&](CompletedCheckpointPointers::Lookup l) { lookup = l; }); });
  f.run_until_ms(2'000);
  ASSERT_TRUE(lookup.has_value());
  EXPECT_TRUE(lookup->available);
  EXPECT_EQ(lookup->latest, 5);
  EXPECT_EQ(f.zookeeper.children(paths::checkpoints("job")).size(), 2u);
  EXPECT_FALSE(f.zookeeper.exists(paths::checkpoint("job", 3)));
}

TEST(HighAvailabilityStores, CounterAndJobResultRoundTrip) {
  Fixture f;
  ZooKeeperStoreClient store(f.client.zk());
  CheckpointIdCounter counter(store);
  JobResultStore results(store);
  std::optional<checkpoint::CheckpointId> before;
  std::optional<checkpoint::CheckpointId> after;
  std::optional<JobResultStore::Lookup> result;
  counter.get_next("job", [&](std::optional<checkpoint::CheckpointId> next) { before = next; });
  counter.set_next("job", 8, [](bool) {});
  counter.get_next("job", [&](std::optional<checkpoint::CheckpointId> next) { after = next; });
  results.put("job", JobStatus::finished, [](bool) {});
  results.get("job", [&](JobResultStore::Lookup l) { result = l; });
  f.run_until_ms(100);
  EXPECT_EQ(before, 1);  // no counter yet: ids start at 1
  EXPECT_EQ(after, 8);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, JobStatus::finished);
}

TEST(HighAvailabilityStores, AGloballyTerminatedJobIsRecordedThenItsHaDataIsCleanedUp) {
  // Dispatcher#jobReachedTerminalState: the job result first, then the checkpoint pointers, the
  // counter and the execution plan go; the result entry stays for later leaders.
  Fixture f;
  ZooKeeperStoreClient store(f.client.zk());
  CheckpointMetadataClient metadata(f.client, sim::EndpointId{}, sim::EndpointId{},
                                    sim::Duration::seconds(10));
  StoreJobMasterServices services(store, metadata, "job", 2);
  ExecutionPlanStore(store).put("job", [](bool) {});
  for (checkpoint::CheckpointId id : {4, 5}) CompletedCheckpointPointers(store).add("job", id, 2, [](bool) {});
  CheckpointIdCounter(store).set_next("job", 7, [](bool) {});
  f.run_until_ms(100);
  ASSERT_EQ(f.zookeeper.children(paths::checkpoints("job")).size(), 2u);
  ASSERT_TRUE(f.zookeeper.exists(paths::checkpoint_counter("job")));
  std::optional<bool> recorded;
  services.job_reached_globally_terminal_state(JobStatus::canceled, [&](bool ok) {
    recorded = ok;
    // Nothing is removed before the result is stored.
    EXPECT_TRUE(f.zookeeper.exists(paths::execution_plan("job")));
  });
  f.run_until_ms(200);
  EXPECT_EQ(recorded, true);
  EXPECT_TRUE(f.zookeeper.exists(paths::job_result("job")));
  EXPECT_FALSE(f.zookeeper.exists(paths::execution_plan("job")));
  EXPECT_TRUE(f.zookeeper.children(paths::checkpoints("job")).empty());
  EXPECT_FALSE(f.zookeeper.exists(paths::checkpoint_counter("job")));
}

TEST(HighAvailabilityStores, RequestsWhileDisconnectedFailWithConnectionLoss) {
  Fixture f;
  f.at(1'000, [&] { f.zookeeper.crash(); });
  std::optional<ZooKeeperResult> result;
  // The put at 2 s is refused (2.002 s): SUSPENDED, the pending request fails.
  f.at(2'000, [&] {
    f.client.zk().put("/x", "1", false, [&](const ZooKeeperResponse& r) { result = r.result; });
  });
  f.run_until_ms(3'000);
  EXPECT_EQ(result, ZooKeeperResult::connection_loss);
  EXPECT_EQ(f.client.states.back(), ConnectionState::suspended);
}

TEST(JobEvent, FormatAndParseRoundTrip) {
  JobEvent finished;
  finished.kind = JobEvent::Kind::vertex_finished;
  finished.vertices = {graph::ExecutionVertexId{graph::JobVertexId{2}, 3}};
  finished.location = "taskmanager-1";
  const auto parsed = JobEvent::parse(finished.format());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->kind, JobEvent::Kind::vertex_finished);
  EXPECT_EQ(parsed->vertices, finished.vertices);
  EXPECT_EQ(parsed->location, "taskmanager-1");
  JobEvent reset;
  reset.kind = JobEvent::Kind::vertices_reset;
  reset.vertices = {graph::ExecutionVertexId{graph::JobVertexId{0}, 0},
                    graph::ExecutionVertexId{graph::JobVertexId{1}, 1}};
  EXPECT_EQ(JobEvent::parse(reset.format())->vertices.size(), 2u);
  EXPECT_TRUE(JobEvent::parse(reset.format())->location.empty());
  EXPECT_FALSE(JobEvent::parse("nonsense 1:2").has_value());
}

// A sender of sink requests, standing in for sink tasks of two leaderships.
class SinkClient final : public sim::Process {
 public:
  SinkClient(sim::Context& context, sim::EndpointId store)
      : sim::Process(context, context.network().add_host("sink-client"), "sink-client"),
        store_(store) {
    endpoint_ = add_endpoint("sink-client/rpc", [](sim::EndpointId, const sim::MessagePtr&) {});
  }
  void send_to_store(sim::MessagePtr message) { send(endpoint_, store_, std::move(message)); }

 protected:
  void on_start() override {}

 private:
  sim::EndpointId store_;
  sim::EndpointId endpoint_;
};

TEST(SinkStoreFencing, CommitsOfAnOlderLeadershipAreRefusedOnceANewerOneCommitted) {
  sim::Context context{3};
  SinkStoreProcess store(context, context.network().add_host("sink-store"));
  SinkClient client(context, store.endpoint());
  store.start();
  client.start();
  const graph::ExecutionVertexId sink{graph::JobVertexId{0}, 0};
  const auto write = [&](uint64_t session, uint64_t number) {
    auto message = std::make_shared<SinkWrite>();
    message->sink = sink;
    message->transaction = TransactionId{sink, session, 0, number};
    message->records.resize(1);
    client.send_to_store(std::move(message));
  };
  const auto commit = [&](uint64_t session, uint64_t number) {
    auto message = std::make_shared<SinkCommit>();
    message->transaction = TransactionId{sink, session, 0, number};
    message->leader_session = LeaderSessionId{session};
    client.send_to_store(std::move(message));
  };
  write(1, 1);
  write(2, 1);
  write(1, 2);
  commit(1, 1);  // leadership 1 commits: fine
  commit(2, 1);  // leadership 2 commits: from now on leadership 1 is stale
  commit(1, 2);  // fenced
  context.simulation().run_until(at_ms(100));
  EXPECT_EQ(store.committed().size(), 2u);
  EXPECT_EQ(store.fenced_commits(), 1u);
  EXPECT_EQ(store.open_transactions(), 1u);
}

}  // namespace
}  // namespace flinksim::model::ha
