#pragma once

// The `sink-store` service: the external system sinks write to (think Kafka or a transactional
// database). At-least-once sinks write records that are visible at once; exactly-once sinks write
// inside transactions that become visible only when committed, and are discarded when aborted.
// Commits are idempotent, so a recovered sink may commit a restored transaction again. The store
// is durable: a crash makes it unreachable, not forgetful. Like Kafka's transaction coordinator
// it aborts a transaction left open longer than its timeout (model/transaction_timeouts.h).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/gateways.h"
#include "model/runtime/record.h"
#include "model/transaction_id.h"
#include "model/transaction_timeouts.h"
#include "sim/process.h"

namespace flinksim::model {

// Every request is acknowledged with its sequence number once the store applied it.
struct SinkWrite final : sim::Message {
  FLINKSIM_MESSAGE(SinkWrite)
  uint64_t sequence = 0;
  graph::ExecutionVertexId sink;
  std::optional<TransactionId> transaction;  // unset: visible at once
  // The producer's transaction.timeout.ms, which Kafka's producer declares when it initializes.
  sim::Duration transaction_timeout = sim::Duration::hours(1);
  std::vector<runtime::Record> records;
  int64_t bytes = 0;
  int64_t size_bytes() const override { return bytes; }
};

struct SinkCommit final : sim::Message {
  FLINKSIM_MESSAGE(SinkCommit)
  uint64_t sequence = 0;
  TransactionId transaction;
  // The leadership of the committing task: a commit from an older leadership than one the store
  // has already seen is fenced out (no output may be committed by two JobManager leaders).
  LeaderSessionId leader_session;
};

struct SinkAbort final : sim::Message {
  FLINKSIM_MESSAGE(SinkAbort)
  uint64_t sequence = 0;
  TransactionId transaction;
};

// A restored sink subtask aborts what earlier attempts left open and never committed (Flink's
// sinks abort lingering transactions on initialization); commits sent before it still apply.
struct SinkAbortLingering final : sim::Message {
  FLINKSIM_MESSAGE(SinkAbortLingering)
  uint64_t sequence = 0;
  graph::ExecutionVertexId sink;
  uint32_t before_attempt = 0;
  uint64_t before_leader_session = 0;
};

// Why the store did not apply a request. A write into a transaction the store aborted for its
// timeout is fenced (Kafka: ProducerFencedException, the writer fails); a commit of it finds the
// transaction aborted (InvalidTxnStateException, the committer gives the committable up).
enum class SinkRefusal { none, producer_fenced, transaction_aborted };

struct SinkAck final : sim::Message {
  FLINKSIM_MESSAGE(SinkAck)
  graph::ExecutionVertexId sink;
  uint64_t sequence = 0;
  SinkRefusal refusal = SinkRefusal::none;
};

// One record as the sink store made it visible.
struct CommittedRecord {
  graph::ExecutionVertexId sink;
  runtime::Record record;
  sim::Instant committed_at;
};

class SinkStoreProcess final : public sim::Process {
 public:
  SinkStoreProcess(sim::Context& context, sim::HostId host);
  sim::EndpointId endpoint() const { return endpoint_; }
  const std::vector<CommittedRecord>& committed() const { return committed_; }
  size_t open_transactions() const { return pending_.size(); }
  size_t aborted_transactions() const;
  // Transactions aborted because they stayed open longer than their timeout, and their records.
  int64_t timed_out_transactions() const { return static_cast<int64_t>(timed_out_.size()); }
  int64_t timed_out_records() const { return timed_out_records_; }
  // Commits refused because they came from a stale JobManager leadership.
  uint64_t fenced_commits() const { return fenced_commits_; }

 protected:
  void on_start() override;

 private:
  void on_message(sim::EndpointId source, const sim::MessagePtr& message);
  SinkRefusal apply_write(const SinkWrite& write);
  SinkRefusal apply_commit(const SinkCommit& commit);
  void apply_abort(const SinkAbort& abort);
  void apply_abort_lingering(const SinkAbortLingering& lingering);
  bool fenced(const SinkCommit& commit);
  void finish(const TransactionId& transaction, bool committed);
  void acknowledge(sim::EndpointId source, graph::ExecutionVertexId sink, uint64_t sequence,
                   SinkRefusal refusal);
  // Kafka's periodic abort of timed-out transactions, armed only for the tick that aborts one.
  void arm_abort_check();
  void abort_timed_out_transactions();

  sim::EndpointId endpoint_;
  std::map<TransactionId, std::vector<runtime::Record>> pending_;
  std::map<TransactionId, bool> finished_;  // committed (true) or aborted (false)
  TransactionTimeouts timeouts_;
  std::set<TransactionId> timed_out_;
  int64_t timed_out_records_ = 0;
  std::optional<sim::Instant> abort_check_at_;
  sim::TimerId abort_check_timer_;
  std::vector<CommittedRecord> committed_;
  // The leadership of the last commit the store accepted (unset before the first): a commit of
  // an older one is fenced out.
  std::optional<LeaderSessionId> committing_leader_;
  uint64_t fenced_commits_ = 0;
};

}  // namespace flinksim::model
