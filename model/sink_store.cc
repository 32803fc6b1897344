#include "model/sink_store.h"

namespace flinksim::model {

SinkStoreProcess::SinkStoreProcess(sim::Context& context, sim::HostId host)
    : sim::Process(context, host, "sink-store") {
  endpoint_ = add_endpoint("sink-store/api", [this](sim::EndpointId source, const sim::MessagePtr& message) {
    on_message(source, message);
  });
}

void SinkStoreProcess::on_start() {
  // The coordinator's cleanup ticks start over with the process; the transactions it knew are
  // durable and still ongoing (TransactionCoordinator.startup schedules the first 10 s later).
  timeouts_.on_start(now());
  abort_check_at_.reset();
  arm_abort_check();
}

void SinkStoreProcess::on_message(sim::EndpointId source, const sim::MessagePtr& message) {
  if (const auto* write = message->as<SinkWrite>()) {
    acknowledge(source, write->sink, write->sequence, apply_write(*write));
  } else if (const auto* commit = message->as<SinkCommit>()) {
    acknowledge(source, commit->transaction.sink, commit->sequence, apply_commit(*commit));
  } else if (const auto* abort = message->as<SinkAbort>()) {
    apply_abort(*abort);
    acknowledge(source, abort->transaction.sink, abort->sequence, SinkRefusal::none);
  } else if (const auto* lingering = message->as<SinkAbortLingering>()) {
    apply_abort_lingering(*lingering);
    acknowledge(source, lingering->sink, lingering->sequence, SinkRefusal::none);
  }
  arm_abort_check();
}

void SinkStoreProcess::acknowledge(sim::EndpointId source, graph::ExecutionVertexId sink,
                                   uint64_t sequence, SinkRefusal refusal) {
  auto ack = std::make_shared<SinkAck>();
  ack->sink = sink;
  ack->sequence = sequence;
  ack->refusal = refusal;
  send(endpoint_, source, std::move(ack));
}

SinkRefusal SinkStoreProcess::apply_write(const SinkWrite& write) {
  if (!write.transaction) {
    for (const runtime::Record& record : write.records)
      committed_.push_back({write.sink, record, now()});
    return SinkRefusal::none;
  }
  const TransactionId& transaction = *write.transaction;
  if (timed_out_.contains(transaction)) return SinkRefusal::producer_fenced;
  if (finished_.count(transaction) > 0)
    return SinkRefusal::none;  // a write after the end is ignored
  if (!timeouts_.is_ongoing(transaction) && !write.records.empty()) {
    timeouts_.on_first_write(transaction, now(), write.transaction_timeout);
  }
  auto& data = pending_[transaction];
  data.insert(data.end(), write.records.begin(), write.records.end());
  return SinkRefusal::none;
}

bool SinkStoreProcess::fenced(const SinkCommit& commit) {
  // Planted bug fenced-leader-commits (cmake/planted_bugs.cmake): the store takes commits from
  // any leadership, however stale.
#ifndef FLINKSIM_PLANTED_BUG_FENCED_LEADER_COMMITS
  if (committing_leader_ && commit.leader_session < *committing_leader_) {
    ++fenced_commits_;
    trace("commit fenced", "leader session " + std::to_string(commit.leader_session.value) + " < " +
                               std::to_string(committing_leader_->value));
    return true;
  }
#endif
  // Which leadership's commits the store takes, whenever that changes, so that a check of the
  // trace can tell that accepted commits never go back to an older leadership
  // (property_tests, output-never-retracted). The first leadership that commits is not traced:
  // a run without a leader change keeps its trace.
  if (committing_leader_ && *committing_leader_ != commit.leader_session) {
    trace("commit leader changed", "leader session " + std::to_string(committing_leader_->value) +
                                       " -> " + std::to_string(commit.leader_session.value));
  }
  committing_leader_ = commit.leader_session;
  return false;
}

SinkRefusal SinkStoreProcess::apply_commit(const SinkCommit& commit) {
  if (fenced(commit)) return SinkRefusal::none;
  if (timed_out_.contains(commit.transaction)) {
    trace("commit refused", "transaction timed out");
    return SinkRefusal::transaction_aborted;
  }
  if (finished_.count(commit.transaction) > 0) return SinkRefusal::none;  // idempotent
  const auto it = pending_.find(commit.transaction);
  if (it != pending_.end()) {
    for (const runtime::Record& record : it->second) {
      committed_.push_back({commit.transaction.sink, record, now()});
    }
  }
  finish(commit.transaction, true);
  return SinkRefusal::none;
}

void SinkStoreProcess::apply_abort(const SinkAbort& abort) {
  if (finished_.count(abort.transaction) == 0) finish(abort.transaction, false);
}

void SinkStoreProcess::apply_abort_lingering(const SinkAbortLingering& lingering) {
  trace("abort lingering", "before attempt " + std::to_string(lingering.before_attempt) + ", " +
                               std::to_string(pending_.size()) + " open");
  const auto older = [&](const TransactionId& open) {
    return std::pair(open.leader_session, open.attempt) <
           std::pair(lingering.before_leader_session, lingering.before_attempt);
  };
  std::vector<TransactionId> lingering_ones;
  for (const auto& [open, records] : pending_) {
    if (open.sink == lingering.sink && older(open)) lingering_ones.push_back(open);
  }
  for (const TransactionId& open : lingering_ones) finish(open, false);
}

void SinkStoreProcess::finish(const TransactionId& transaction, bool committed) {
  finished_[transaction] = committed;
  pending_.erase(transaction);
  timeouts_.on_finished(transaction);
}

void SinkStoreProcess::arm_abort_check() {
  const std::optional<sim::Instant> at = timeouts_.next_abort_check();
  if (at == abort_check_at_) return;
  cancel_timer(abort_check_timer_);
  abort_check_at_ = at;
  if (at) abort_check_timer_ = set_timer(*at - now(), [this] { abort_timed_out_transactions(); });
}

void SinkStoreProcess::abort_timed_out_transactions() {
  abort_check_at_.reset();
  for (const TransactionId& transaction : timeouts_.expired(now())) {
    const auto it = pending_.find(transaction);
    const int64_t records = it == pending_.end() ? 0 : static_cast<int64_t>(it->second.size());
    trace("transaction timed out", "vertex " + std::to_string(transaction.sink.vertex.index) +
                                       " subtask " + std::to_string(transaction.sink.subtask) +
                                       " attempt " + std::to_string(transaction.attempt) +
                                       " transaction " + std::to_string(transaction.number) + ", " +
                                       std::to_string(records) + " records aborted");
    timed_out_records_ += records;
    timed_out_.insert(transaction);
    finish(transaction, false);
  }
  arm_abort_check();
}

size_t SinkStoreProcess::aborted_transactions() const {
  size_t aborted = 0;
  for (const auto& [transaction, committed] : finished_) aborted += committed ? 0 : 1;
  return aborted;
}

}  // namespace flinksim::model
