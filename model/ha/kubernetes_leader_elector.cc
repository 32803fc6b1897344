#include "model/ha/kubernetes_leader_elector.h"

namespace flinksim::model::ha {

KubernetesLeaderElector::KubernetesLeaderElector(sim::Process& process, KubernetesClient& client,
                                                 std::string config_map, std::string identity,
                                                 LeaderElectionTimes times, sim::Rng rng,
                                                 GrantListener on_grant, RevokeListener on_revoke)
    : process_(process),
      client_(client),
      config_map_(std::move(config_map)),
      identity_(std::move(identity)),
      times_(times),
      rng_(std::move(rng)),
      on_grant_(std::move(on_grant)),
      on_revoke_(std::move(on_revoke)) {}

KubernetesLeaderElector::~KubernetesLeaderElector() { process_.cancel_timer(timer_); }

bool KubernetesLeaderElector::has_leadership(const ConfigMap& config_map,
                                             const std::string& identity) {
  return config_map.leader && config_map.leader->holder_identity == identity;
}

sim::Duration KubernetesLeaderElector::jittered_retry_period() {
  // fabric8's jitter(retryPeriod, 1.2): the period plus up to 1.2 times more.
  const int64_t period = times_.retry_period.count_nanoseconds();
  return times_.retry_period +
         sim::Duration::nanoseconds(static_cast<int64_t>(period * rng_.uniform_real() * 1.2));
}

void KubernetesLeaderElector::schedule(sim::Instant due,
                                       void (KubernetesLeaderElector::*attempt)(sim::Instant)) {
  const sim::Duration delay = due > process_.now() ? due - process_.now() : sim::Duration::zero();
  process_.cancel_timer(timer_);
  timer_ = process_.set_timer(delay, [this, attempt, due] { (this->*attempt)(due); });
}

void KubernetesLeaderElector::try_acquire_or_renew(std::function<void(std::optional<bool>)> done) {
  client_.get(config_map_, lifetime_.guard([this, done](const KubernetesResponse& response) {
    if (response.result == KubernetesResult::not_found) return write_record(std::nullopt, done);
    if (response.result != KubernetesResult::ok) return done(std::nullopt);
    write_record(response.config_map, done);
  }));
}

void KubernetesLeaderElector::write_record(const std::optional<ConfigMap>& current,
                                           std::function<void(std::optional<bool>)> done) {
  const sim::Instant now = process_.now();
  const auto& old = current ? current->leader : std::nullopt;
  const bool is_leader = old && old->holder_identity == identity_;
  // canBecomeLeader: no holder, or the holder's lease ran out (strictly) before now.
  const bool can_become = !old || old->holder_identity.empty() ||
                          now > old->renew_time + old->lease_duration;
  if (!is_leader && !can_become) return done(false);
  ConfigMap next = current.value_or(ConfigMap{config_map_, 0, {}, std::nullopt});
  const int64_t transitions = old ? old->leader_transitions + (is_leader ? 0 : 1) : 0;
  next.leader = LeaderElectionRecord{identity_, times_.lease_duration,
                                     is_leader ? old->acquire_time : now, now, transitions};
  const auto written = lifetime_.guard([this, done](const KubernetesResponse& response) {
    if (response.result != KubernetesResult::ok) return done(std::nullopt);
    acquired_version_ = response.config_map->resource_version;
    done(true);
  });
  if (current) return client_.replace(std::move(next), written);
  client_.create(std::move(next), written);
}

void KubernetesLeaderElector::acquire_attempt(sim::Instant due) {
  try_acquire_or_renew([this, due](std::optional<bool> acquired) {
    if (acquired.has_value() && !*acquired) process_.trace("kubernetes leader lease held", config_map_);
    if (!acquired.value_or(false)) return schedule(due + jittered_retry_period(),
                                                   &KubernetesLeaderElector::acquire_attempt);
    leading_ = true;
    process_.trace("kubernetes leader lease acquired", config_map_);
    // The new leadership's fencing token grows with every write the server takes.
    on_grant_(LeaderSessionId{acquired_version_});
    renew_by_ = process_.now() + times_.renew_deadline;
    renew_attempt(process_.now());
  });
}

void KubernetesLeaderElector::renew_attempt(sim::Instant due) {
  if (process_.now() > renew_by_) return stop_leading();
  try_acquire_or_renew([this, due](std::optional<bool> renewed) {
    if (renewed.has_value() && !*renewed) {
      // Another holder's lease: deposed, no release.
      process_.trace("kubernetes leader lease lost", config_map_);
      return revoke_and_restart();
    }
    if (renewed) renew_by_ = process_.now() + times_.renew_deadline;
    schedule(due + times_.retry_period, &KubernetesLeaderElector::renew_attempt);
  });
}

void KubernetesLeaderElector::stop_leading() {
  process_.trace("kubernetes leader renew deadline passed", config_map_);
  // releaseOnCancel: hand the lock back (an empty holder) if it is still ours.
  client_.check_and_update(
      config_map_,
      [this](const ConfigMap& current) -> std::optional<ConfigMap> {
        if (!has_leadership(current, identity_)) return std::nullopt;
        ConfigMap released = current;
        const sim::Instant now = process_.now();
        released.leader = LeaderElectionRecord{"", sim::Duration::seconds(1), now, now,
                                               current.leader->leader_transitions};
        return released;
      },
      lifetime_.guard([this](KubernetesClient::UpdateResult) { revoke_and_restart(); }));
}

void KubernetesLeaderElector::revoke_and_restart() {
  leading_ = false;
  on_revoke_();
  // Flink's driver runs the elector again: a new round of acquiring, at once.
  acquire_attempt(process_.now());
}

}  // namespace flinksim::model::ha
