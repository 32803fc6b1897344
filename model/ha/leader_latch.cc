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
  client_.add_state_listener(
      lifetime_.guard([this](ConnectionState state) { on_connection_state(state); }));
  client_.watch(latch_path_, lifetime_.guard([this] { check_leadership(); }));
  if (client_.connected()) join();
}

LeaderLatch::~LeaderLatch() = default;

void LeaderLatch::on_connection_state(ConnectionState state) {
  switch (state) {
    case ConnectionState::connected:
      // A new session: the old session's nodes die with it.
      node_.clear();
      to_delete_.clear();
      unconfirmed_.clear();
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
      to_delete_.clear();
      unconfirmed_.clear();
      return;
  }
}

void LeaderLatch::join() {
  const uint64_t generation = ++generation_;
  // LeaderLatch.reset(): drop our old node (if any) and queue up again.
  if (!node_.empty()) to_delete_.insert(node_);
  node_.clear();
  delete_stale_nodes();
  // Curator's protected mode names the node "_c_<id>-latch-<sequence>"; the session and the
  // join's generation make the id unique.
  const std::string prefix = "_c_" + std::to_string(client_.session().value) + "-" +
                             std::to_string(generation) + "-latch-";
  client_.create(latch_path_ + "/" + prefix, "", true, true,
                 lifetime_.guard([this, generation, prefix](const ZooKeeperResponse& response) {
                   if (response.result == ZooKeeperResult::connection_loss) {
                     unconfirmed_.insert(prefix);  // found among the children later
                     return;
                   }
                   if (response.result != ZooKeeperResult::ok) return;
                   if (generation != generation_) {
                     // An earlier join's node, created after we queued up again.
                     to_delete_.insert(response.path);
                     delete_stale_nodes();
                     return;
                   }
                   node_ = response.path;
                   check_leadership();
                 }));
}

void LeaderLatch::delete_stale_nodes() {
  for (const std::string& path : std::set<std::string>(to_delete_)) {
    client_.remove(path, lifetime_.guard([this, path](const ZooKeeperResponse& response) {
      // Otherwise the connection was lost: retried at the next join, after reconnecting.
      if (response.result == ZooKeeperResult::ok || response.result == ZooKeeperResult::no_node) {
        to_delete_.erase(path);
      }
    }));
  }
}

void LeaderLatch::collect_orphans(const std::vector<std::string>& children) {
  bool found = false;
  for (const std::string& child : children) {
    for (const std::string& prefix : unconfirmed_) {
      if (child.rfind(prefix, 0) != 0) continue;
      to_delete_.insert(latch_path_ + "/" + child);
      unconfirmed_.erase(prefix);
      found = true;
      break;
    }
  }
  if (found) delete_stale_nodes();
}

void LeaderLatch::check_leadership() {
  if (node_.empty()) return;
  const uint64_t generation = generation_;
  client_.children(latch_path_, lifetime_.guard([this, generation](
                                                   const ZooKeeperResponse& response) {
    if (generation != generation_ || node_.empty()) return;
    if (response.result != ZooKeeperResult::ok) return;
    collect_orphans(response.children);
    const std::string own = node_.substr(node_.rfind('/') + 1);
    // The queue is ordered by the zero-padded sequence number at the end of each name.
    const auto sequence = [](const std::string& name) { return name.substr(name.size() - 10); };
    const auto first = std::min_element(
        response.children.begin(), response.children.end(),
        [&](const std::string& a, const std::string& b) { return sequence(a) < sequence(b); });
    const bool lowest = first != response.children.end() && *first == own;
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
  }));
}

void LeaderLatch::revoke() {
  if (!leader_) return;
  leader_ = false;
  on_revoke_();
}

}  // namespace flinksim::model::ha
