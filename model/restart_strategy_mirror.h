#pragma once

// Why a job FAILED, in Flink's words: ExecutionFailureHandler fails the job with "Recovery is
// suppressed by " + the RestartBackoffTimeStrategy's toString once can_restart says no. The run
// recorder learns only the failovers and the status, so it keeps a second strategy built from the
// same options and the same random stream ("restart-backoff") and feeds it the failures the
// JobMaster handled: its state — and so its description, which for exponential-delay includes the
// attempt count and the next restart time — is the JobMaster's. Instrumentation only; a new
// leader's JobMaster starts a fresh strategy, and so does the mirror.

#include <memory>
#include <string>

#include "model/ids.h"
#include "sim/context.h"
#include "strategies/restart_backoff_time_strategy_factory.h"

namespace flinksim::model {

class RestartStrategyMirror {
 public:
  RestartStrategyMirror(const sim::Context& context, strategies::RestartStrategyOptions options);

  // A failure the JobMaster of `session` handled at `time`: restarted tasks, or gave up.
  void notify_failure(sim::Instant time, LeaderSessionId session);
  // "Recovery is suppressed by NoRestartBackoffTimeStrategy".
  std::string suppressed_reason() const;

 private:
  void start_strategy();

  const sim::Context& context_;
  strategies::RestartStrategyOptions options_;
  LeaderSessionId session_;
  std::unique_ptr<sim::Rng> rng_;  // the strategy keeps a reference to it
  std::unique_ptr<strategies::RestartBackoffTimeStrategy> strategy_;
};

}  // namespace flinksim::model
