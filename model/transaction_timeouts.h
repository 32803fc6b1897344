#pragma once

// When the sink store gives up on an open transaction, as Kafka's transaction coordinator does
// (TransactionStateManager.timedOutTransactions, TransactionCoordinator.abortTimedOutTransactions):
// a transaction is ongoing from its first write (txnStartTimestamp; an empty transaction never
// began at the broker); every transaction.abort.timed.out.transaction.cleanup.interval.ms (10 s,
// the first 10 s after the coordinator started) the coordinator aborts every ongoing transaction
// whose start + transaction.timeout.ms < now. Pre-committing (KafkaWriter's flush before the
// barrier) does not stop that clock: only the commit does. Hence the KafkaSink warning
// (FLINK-24131, KafkaCommitter): a recovery that takes longer than the timeout loses data.

#include <map>
#include <optional>
#include <vector>

#include "model/transaction_id.h"
#include "sim/time.h"

namespace flinksim::model {

class TransactionTimeouts {
 public:
  // Kafka's transaction.abort.timed.out.transaction.cleanup.interval.ms default.
  static sim::Duration cleanup_interval() { return sim::Duration::seconds(10); }

  // The coordinator (re)started: its cleanup ticks are counted from here.
  void on_start(sim::Instant now) { origin_ = now; }
  // A transaction's first write: it is ongoing from now and may stay so for `timeout`.
  void on_first_write(const TransactionId& transaction, sim::Instant now, sim::Duration timeout);
  // Committed or aborted: no longer ongoing.
  void on_finished(const TransactionId& transaction) { deadlines_.erase(transaction); }
  bool is_ongoing(const TransactionId& transaction) const {
    return deadlines_.contains(transaction);
  }
  // The ongoing transactions a cleanup at `now` aborts (start + timeout < now), in id order.
  std::vector<TransactionId> expired(sim::Instant now) const;
  // The first cleanup tick that aborts something; unset while nothing is ongoing.
  std::optional<sim::Instant> next_abort_check() const;

 private:
  sim::Instant origin_ = sim::Instant::zero();
  std::map<TransactionId, sim::Instant> deadlines_;  // start + timeout
};

}  // namespace flinksim::model
