#include "model/sink_store.h"

namespace flinksim::model {

SinkStoreProcess::SinkStoreProcess(sim::Context& context, sim::HostId host)
    : sim::Process(context, host, "sink-store") {
  endpoint_ = add_endpoint("sink-store/api", [this](sim::EndpointId source, const sim::MessagePtr& message) {
    on_message(source, message);
  });
}

void SinkStoreProcess::on_message(sim::EndpointId source, const sim::MessagePtr& message) {
  apply(message);
  if (const auto* write = message->as<SinkWrite>()) {
    acknowledge(source, write->sink, write->sequence);
  } else if (const auto* commit = message->as<SinkCommit>()) {
    acknowledge(source, commit->transaction.sink, commit->sequence);
  } else if (const auto* abort = message->as<SinkAbort>()) {
    acknowledge(source, abort->transaction.sink, abort->sequence);
  } else if (const auto* lingering = message->as<SinkAbortLingering>()) {
    acknowledge(source, lingering->sink, lingering->sequence);
  }
}

void SinkStoreProcess::acknowledge(sim::EndpointId source, graph::ExecutionVertexId sink, uint64_t sequence) {
  auto ack = std::make_shared<SinkAck>();
  ack->sink = sink;
  ack->sequence = sequence;
  send(endpoint_, source, std::move(ack));
}

void SinkStoreProcess::apply(const sim::MessagePtr& message) {
  if (const auto* write = message->as<SinkWrite>()) {
    if (!write->transaction) {
      for (const runtime::Record& record : write->records) {
        committed_.push_back({write->sink, record, now()});
      }
      return;
    }
    if (finished_.count(*write->transaction) > 0) return;  // a write after the end is ignored
    auto& data = pending_[*write->transaction];
    data.insert(data.end(), write->records.begin(), write->records.end());
  } else if (const auto* commit = message->as<SinkCommit>()) {
    // Planted bug fenced-leader-commits (cmake/planted_bugs.cmake): the store takes commits from
    // any leadership, however stale.
#ifndef FLINKSIM_PLANTED_BUG_FENCED_LEADER_COMMITS
    if (committing_leader_ && commit->leader_session < *committing_leader_) {
      ++fenced_commits_;
      trace("commit fenced", "leader session " + std::to_string(commit->leader_session.value) +
                                 " < " + std::to_string(committing_leader_->value));
      return;
    }
#endif
    // Which leadership's commits the store takes, whenever that changes, so that a check of the
    // trace can tell that accepted commits never go back to an older leadership
    // (property_tests, output-never-retracted). The first leadership that commits is not traced:
    // a run without a leader change keeps its trace.
    if (committing_leader_ && *committing_leader_ != commit->leader_session) {
      trace("commit leader changed", "leader session " +
                                         std::to_string(committing_leader_->value) + " -> " +
                                         std::to_string(commit->leader_session.value));
    }
    committing_leader_ = commit->leader_session;
    if (finished_.count(commit->transaction) > 0) return;  // idempotent
    finished_[commit->transaction] = true;
    const auto it = pending_.find(commit->transaction);
    if (it == pending_.end()) return;
    for (const runtime::Record& record : it->second) {
      committed_.push_back({commit->transaction.sink, record, now()});
    }
    pending_.erase(it);
  } else if (const auto* abort = message->as<SinkAbort>()) {
    if (finished_.count(abort->transaction) > 0) return;
    finished_[abort->transaction] = false;
    pending_.erase(abort->transaction);
  } else if (const auto* lingering = message->as<SinkAbortLingering>()) {
    trace("abort lingering", "before attempt " + std::to_string(lingering->before_attempt) + ", " +
                                 std::to_string(pending_.size()) + " open");
    for (auto it = pending_.begin(); it != pending_.end();) {
      const TransactionId& open = it->first;
      const bool older = std::pair(open.leader_session, open.attempt) <
                         std::pair(lingering->before_leader_session, lingering->before_attempt);
      if (open.sink == lingering->sink && older) {
        finished_[it->first] = false;
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
  }
}

size_t SinkStoreProcess::aborted_transactions() const {
  size_t aborted = 0;
  for (const auto& [transaction, committed] : finished_) aborted += committed ? 0 : 1;
  return aborted;
}

}  // namespace flinksim::model
