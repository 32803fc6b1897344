#include "model/ha/leader_retrieval.h"

namespace flinksim::model::ha {

LeaderRetrieval::LeaderRetrieval(ZooKeeperClient& client, std::string path, bool tolerate_suspended,
                                 Listener listener)
    : client_(client),
      path_(std::move(path)),
      tolerate_suspended_(tolerate_suspended),
      listener_(std::move(listener)) {
  client_.add_state_listener(lifetime_.guard([this](ConnectionState state) {
    if (state == ConnectionState::lost ||
        (state == ConnectionState::suspended && !tolerate_suspended_)) {
      notify(std::nullopt);
    }
  }));
  client_.watch(path_, lifetime_.guard([this] { refresh(); }));
  if (client_.connected()) refresh();
}

void LeaderRetrieval::refresh() {
  client_.get(path_, lifetime_.guard([this](const ZooKeeperResponse& response) {
    if (response.result == ZooKeeperResult::ok) {
      notify(LeaderInformation::parse(response.data));
    } else if (response.result == ZooKeeperResult::no_node) {
      notify(std::nullopt);
    }
  }));
}

void LeaderRetrieval::notify(const std::optional<LeaderInformation>& leader) {
  if (leader == last_) return;
  last_ = leader;
  listener_(leader);
}

}  // namespace flinksim::model::ha
