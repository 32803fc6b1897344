// Goal: a crash really ends a process's incarnation — its timers never fire, its endpoints refuse
// messages, on_crash drops its state — and start() runs it again from scratch as a new
// incarnation that hears nothing of the old one.
// Method: a small hand-written test process driven at fixed virtual times; what must and must not
// happen at each instant is listed by hand.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/context.h"
#include "sim/process.h"
#include "sim/tests/printers.h"

namespace flinksim::sim {
namespace {

struct Note final : Message {
  explicit Note(std::string text_in) : text(std::move(text_in)) {}
  std::string_view type_name() const override { return "Note"; }
  std::string text;
};

Instant at_ms(int64_t ms) { return Instant::zero() + Duration::milliseconds(ms); }

// Records everything that happens to it; the protected Process API is made callable by the test.
class RecordingProcess final : public Process {
 public:
  RecordingProcess(Context& context, HostId host, std::string name)
      : Process(context, host, std::move(name)) {
    endpoint_ = add_endpoint(this->name() + ".rpc", [this](EndpointId source,
                                                          const MessagePtr& message) {
      received.push_back(message->as<Note>()->text);
      last_source = source;
    });
  }

  EndpointId endpoint() const { return endpoint_; }
  TimerId timer(Duration delay, std::string label) {
    return set_timer(delay, [this, label] { fired.push_back(label); });
  }
  void cancel(TimerId& id) { cancel_timer(id); }
  void send_note(EndpointId target, std::string text, FailureCallback on_failure = nullptr) {
    send(endpoint_, target, std::make_shared<Note>(std::move(text)), std::move(on_failure));
  }

  int starts = 0;
  int crashes = 0;
  int state = 0;  // stands for in-memory state that a crash must wipe
  std::vector<std::string> fired;
  std::vector<std::string> received;
  EndpointId last_source;

 private:
  void on_start() override {
    ++starts;
    EXPECT_EQ(state, 0) << "a start must begin from scratch";
  }
  void on_crash() override {
    ++crashes;
    state = 0;
  }

  EndpointId endpoint_;
};

class ProcessTest : public ::testing::Test {
 protected:
  ProcessTest() : context_(7) {
    const HostId host_1 = context_.network().add_host("host-1");
    const HostId host_2 = context_.network().add_host("host-2");
    worker_ = std::make_unique<RecordingProcess>(context_, host_1, "worker");
    peer_ = std::make_unique<RecordingProcess>(context_, host_2, "peer");
    context_.trace().set_capture(true);
  }

  void at(Instant when, std::function<void()> action) {
    context_.simulation().schedule_at(when, std::move(action));
  }

  Context context_;
  std::unique_ptr<RecordingProcess> worker_;
  std::unique_ptr<RecordingProcess> peer_;
};

TEST_F(ProcessTest, EndpointsAreClosedUntilStart) {
  EXPECT_FALSE(worker_->alive());
  EXPECT_FALSE(context_.network().is_open(worker_->endpoint()));
  worker_->start();
  EXPECT_TRUE(worker_->alive());
  EXPECT_TRUE(context_.network().is_open(worker_->endpoint()));
  EXPECT_EQ(worker_->starts, 1);
  EXPECT_EQ(context_.network().host_name(worker_->host()), "host-1");
  EXPECT_EQ(context_.network().endpoint_name(worker_->endpoint()), "worker.rpc");
}

TEST_F(ProcessTest, CrashDiscardsTimersForever) {
  worker_->start();
  worker_->timer(Duration::milliseconds(3), "before-crash-early");
  worker_->timer(Duration::milliseconds(10), "before-crash-late");
  at(at_ms(5), [&] { worker_->crash(); });
  // Restarted before the old 10 ms timer is due: the new incarnation must not inherit it.
  at(at_ms(6), [&] {
    worker_->start();
    worker_->timer(Duration::milliseconds(1), "after-restart");  // due at 7 ms
  });
  context_.simulation().run_until_idle();
  EXPECT_EQ(worker_->fired, (std::vector<std::string>{"before-crash-early", "after-restart"}));
  EXPECT_EQ(worker_->crashes, 1);
  EXPECT_EQ(worker_->starts, 2);
}

TEST_F(ProcessTest, CancelledTimerNeverFiresAndTheIdIsReset) {
  worker_->start();
  TimerId id = worker_->timer(Duration::milliseconds(2), "cancelled");
  worker_->timer(Duration::milliseconds(4), "kept");
  EXPECT_TRUE(context_.simulation().is_pending(id));
  worker_->cancel(id);
  EXPECT_FALSE(id.valid());
  context_.simulation().run_until_idle();
  EXPECT_EQ(worker_->fired, (std::vector<std::string>{"kept"}));
}

TEST_F(ProcessTest, MessagesToACrashedProcessAreRefused) {
  worker_->start();
  peer_->start();
  std::vector<DeliveryFailure> failures;
  std::vector<Instant> failure_times;
  const auto on_failure = [&](DeliveryFailure failure) {
    failures.push_back(failure);
    failure_times.push_back(context_.now());
  };
  at(at_ms(10), [&] { worker_->crash(); });
  // Default link latency is 1 ms: arrival a little after 11 ms, refusal one latency later.
  at(at_ms(10), [&] { peer_->send_note(worker_->endpoint(), "to-the-dead", on_failure); });
  context_.simulation().run_until_idle();
  EXPECT_TRUE(worker_->received.empty());
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0], DeliveryFailure::refused);
  EXPECT_GT(failure_times[0], at_ms(12));
  EXPECT_LT(failure_times[0], at_ms(13));
}

TEST_F(ProcessTest, RestartIsANewIncarnationThatOnlyGetsNewMessages) {
  worker_->start();
  peer_->start();
  const uint64_t first = worker_->incarnation();
  // Sent to the first incarnation, due a little after 1 ms; the worker crashes and restarts
  // before then.
  peer_->send_note(worker_->endpoint(), "old");
  at(Instant::zero() + Duration::microseconds(200), [&] { worker_->crash(); });
  at(Instant::zero() + Duration::microseconds(400), [&] { worker_->start(); });
  at(at_ms(5), [&] { peer_->send_note(worker_->endpoint(), "new"); });
  context_.simulation().run_until_idle();
  EXPECT_GT(worker_->incarnation(), first);
  EXPECT_EQ(worker_->received, (std::vector<std::string>{"new"}));
  EXPECT_EQ(worker_->last_source, peer_->endpoint());
}

TEST_F(ProcessTest, CrashCallsOnCrashOnceAndIsIdempotent) {
  worker_->start();
  worker_->state = 42;
  worker_->crash();
  EXPECT_EQ(worker_->state, 0);
  EXPECT_FALSE(worker_->alive());
  worker_->crash();  // already down: nothing happens
  EXPECT_EQ(worker_->crashes, 1);
  worker_->start();  // on_start checks that the state was wiped
  EXPECT_EQ(worker_->starts, 2);
}

TEST_F(ProcessTest, DeadProcessSendsNothing) {
  peer_->start();
  worker_->start();
  worker_->crash();
  worker_->send_note(peer_->endpoint(), "ghost");
  context_.simulation().run_until_idle();
  EXPECT_TRUE(peer_->received.empty());
  EXPECT_EQ(context_.network().counters().messages_sent, 0u);
}

TEST_F(ProcessTest, StartAndCrashAreTraced) {
  at(at_ms(30), [&] { worker_->start(); });
  at(at_ms(45), [&] { worker_->crash(); });
  context_.simulation().run_until_idle();
  const auto& events = context_.trace().events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].time, at_ms(30));
  EXPECT_EQ(events[0].component, "worker");
  EXPECT_EQ(events[0].kind, "started");
  EXPECT_EQ(events[1].time, at_ms(45));
  EXPECT_EQ(events[1].kind, "crashed");
}

TEST_F(ProcessTest, EndpointAddedWhileAliveIsOpenAtOnce) {
  // A process may declare endpoints lazily; one added while running must be reachable.
  class LateEndpoint final : public Process {
   public:
    using Process::Process;
    EndpointId late;
    int received = 0;

   private:
    void on_start() override {
      late = add_endpoint("late", [this](EndpointId, const MessagePtr&) { ++received; });
    }
  };
  LateEndpoint late(context_, worker_->host(), "late-process");
  late.start();
  peer_->start();
  EXPECT_TRUE(context_.network().is_open(late.late));
  peer_->send_note(late.late, "hello");
  context_.simulation().run_until_idle();
  EXPECT_EQ(late.received, 1);
}

TEST(ProcessDeathTest, StartingARunningProcessAsserts) {
  Context context(1);
  const HostId host = context.network().add_host("h");
  RecordingProcess process(context, host, "twice");
  process.start();
  EXPECT_DEATH(process.start(), "already running");
}

}  // namespace
}  // namespace flinksim::sim
