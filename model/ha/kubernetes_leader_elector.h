#pragma once

// Leader election on a ConfigMap lock, as Flink's KubernetesLeaderElector runs fabric8's
// LeaderElector (ConfigMapLock, releaseOnCancel) and starts it again after each lost leadership
// (KubernetesLeaderElectionDriver: notLeader, then run()). One round (fabric8 6.x):
// - acquire: at once and then every retry-period stretched by a jitter of up to 1.2 times
//   (LeaderElector.jitter, drawn here from the seeded generator), read the lock: take it when it
//   is absent, has no holder, or its renew time + lease duration lies before now
//   (canBecomeLeader), by a create or a replace naming the version read (a lost race is a
//   conflict). Taking it starts leading (onStartLeading).
// - renew: at once and then every retry-period, write the record again with renew time now. A
//   renew that finds another holder within its lease stops leading at once; failed renews
//   (server unreachable, conflicts) go on until the renew deadline has passed since the last
//   successful one, then the elector releases the lock (an empty holder; fails when the server
//   is unreachable) and stops leading.
// Both loops run at a variable rate: attempt k+1 is due retry-period after attempt k was due,
// or at once when attempt k took longer (Utils.scheduleWithVariableRate).
// A dead leader does not release: the next leader waits until its lease expired.

#include <functional>
#include <optional>
#include <string>

#include "model/ha/kubernetes_client.h"
#include "model/ids.h"
#include "sim/lifetime.h"
#include "sim/rng.h"

namespace flinksim::model::ha {

// high-availability.kubernetes.leader-election.* (KubernetesHighAvailabilityOptions).
struct LeaderElectionTimes {
  sim::Duration lease_duration = sim::Duration::seconds(15);  // .lease-duration
  sim::Duration renew_deadline = sim::Duration::seconds(15);  // .renew-deadline
  sim::Duration retry_period = sim::Duration::seconds(5);     // .retry-period
};

class KubernetesLeaderElector {
 public:
  using GrantListener = std::function<void(LeaderSessionId)>;
  using RevokeListener = std::function<void()>;

  KubernetesLeaderElector(sim::Process& process, KubernetesClient& client,
                          std::string config_map, std::string identity, LeaderElectionTimes times,
                          sim::Rng rng, GrantListener on_grant, RevokeListener on_revoke);
  ~KubernetesLeaderElector();

  void start() { acquire_attempt(process_.now()); }
  bool has_leadership() const { return leading_; }
  const std::string& identity() const { return identity_; }

  // KubernetesLeaderElector.hasLeadership: whether the ConfigMap names `identity` as holder.
  static bool has_leadership(const ConfigMap& config_map, const std::string& identity);

 private:
  // One tryAcquireOrRenew; `done(true)` when the record was written with us as holder,
  // `done(false)` when another holder's lease is still valid, unset when the request failed.
  void try_acquire_or_renew(std::function<void(std::optional<bool>)> done);
  void write_record(const std::optional<ConfigMap>& current, std::function<void(std::optional<bool>)> done);
  void acquire_attempt(sim::Instant due);
  void renew_attempt(sim::Instant due);
  void schedule(sim::Instant due, void (KubernetesLeaderElector::*attempt)(sim::Instant));
  void stop_leading();
  void revoke_and_restart();
  sim::Duration jittered_retry_period();

  sim::Process& process_;
  KubernetesClient& client_;
  std::string config_map_;
  std::string identity_;
  LeaderElectionTimes times_;
  sim::Rng rng_;
  GrantListener on_grant_;
  RevokeListener on_revoke_;
  bool leading_ = false;
  sim::Instant renew_by_;
  uint64_t acquired_version_ = 0;
  sim::TimerId timer_;
  sim::Lifetime lifetime_;
};

}  // namespace flinksim::model::ha
