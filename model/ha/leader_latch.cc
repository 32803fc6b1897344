#include "model/ha/leader_latch.h"

#include <algorithm>

namespace flinksim::model::ha {

LeaderLatch::LeaderLatch(ZooKeeperClient& client, std::string latch_path, bool tolerate_suspended,
                         GrantListener on_grant, RevokeListener on_revoke)
    : client_(client),
      latch_path_(std::move(latch_path)),
      tolerate_suspended_(tolerate_suspended),
      on_grant_(std::move(on_grant)),
      on_revoke_(std::move(on_revoke)) {
  std::weak_ptr<bool> alive = alive_;
  client_.add_state_listener([this, alive](ConnectionState state) {
    if (alive.lock()) on_connection_state(state);
  });
  client_.watch(latch_path_, [this, alive] {
    if (alive.lock()) check_leadership();
  });
  if (client_.connected()) join();
}

LeaderLatch::~LeaderLatch() = default;

void LeaderLatch::on_connection_state(ConnectionState state) {
  switch (state) {
    case ConnectionState::connected:
      node_.clear();  // a new session: the old node dies with the old one
      join();
      return;
    case ConnectionState::reconnected:
      // Curator resets the latch on RECONNECTED unless suspension is tolerated and it still leads.
      if (!tolerate_suspended_ || !leader_) join();
      return;
    case ConnectionState::suspended:
      if (!tolerate_suspended_) revoke();
      return;
    case ConnectionState::lost:
      revoke();
      node_.clear();
      return;
  }
}

void LeaderLatch::join() {
  const uint64_t generation = ++generation_;
  std::weak_ptr<bool> alive = alive_;
  // LeaderLatch.reset(): drop our old node (if any) and queue up again.
  if (!node_.empty()) client_.remove(node_, [](const ZooKeeperResponse&) {});
  node_.clear();
  client_.create(latch_path_ + "/latch-", "", true, true,
                 [this, alive, generation](const ZooKeeperResponse& response) {
                   if (!alive.lock() || generation != generation_) return;
                   if (response.result != ZooKeeperResult::ok) return;  // retried on reconnect
                   node_ = response.path;
                   check_leadership();
                 });
}

void LeaderLatch::check_leadership() {
  if (node_.empty()) return;
  std::weak_ptr<bool> alive = alive_;
  const uint64_t generation = generation_;
  client_.children(latch_path_, [this, alive, generation](const ZooKeeperResponse& response) {
    if (!alive.lock() || generation != generation_ || node_.empty()) return;
    if (response.result != ZooKeeperResult::ok) return;
    const std::string own = node_.substr(node_.rfind('/') + 1);
    // Sequence numbers are zero-padded, so names sort by sequence.
    const bool lowest = !response.children.empty() && response.children.front() == own;
    const bool present = std::find(response.children.begin(), response.children.end(), own) !=
                         response.children.end();
    if (lowest && !leader_) {
      leader_ = true;
      const uint64_t sequence = std::stoull(own.substr(own.size() - 10));
      on_grant_(LeaderSessionId{sequence + 1});
    } else if (!present) {
      // Our node vanished (the session expired under us): queue up again.
      revoke();
      join();
    }
  });
}

void LeaderLatch::revoke() {
  if (!leader_) return;
  leader_ = false;
  on_revoke_();
}

}  // namespace flinksim::model::ha
