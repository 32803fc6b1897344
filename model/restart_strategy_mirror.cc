#include "model/restart_strategy_mirror.h"

namespace flinksim::model {

RestartStrategyMirror::RestartStrategyMirror(const sim::Context& context,
                                             strategies::RestartStrategyOptions options)
    : context_(context), options_(std::move(options)) {
  start_strategy();
}

void RestartStrategyMirror::start_strategy() {
  // The JobMaster's stream: forked by name from the seed, so both draw the same jitter.
  rng_ = std::make_unique<sim::Rng>(context_.fork_rng("restart-backoff"));
  // The scenario loader validated the options, as it did for the JobMaster's strategy.
  strategy_ = strategies::create_restart_backoff_time_strategy(options_, *rng_).value();
}

void RestartStrategyMirror::notify_failure(sim::Instant time, LeaderSessionId session) {
  if (session_ < session) {
    session_ = session;
    start_strategy();
  }
  strategy_->notify_failure(time);
}

std::string RestartStrategyMirror::suppressed_reason() const {
  return "Recovery is suppressed by " + strategy_->describe();
}

}  // namespace flinksim::model
