#include "model/ha/zookeeper_store_client.h"

#include "model/ha/ha_paths.h"

namespace flinksim::model::ha {
namespace {

StoreResult result_of(ZooKeeperResult result) {
  switch (result) {
    case ZooKeeperResult::ok:
      return StoreResult::ok;
    case ZooKeeperResult::no_node:
      return StoreResult::absent;
    case ZooKeeperResult::node_exists:
      return StoreResult::exists;
    case ZooKeeperResult::session_expired:
    case ZooKeeperResult::connection_loss:
      return StoreResult::unavailable;
  }
  return StoreResult::unavailable;
}

ZooKeeperClient::ResponseHandler answer(HaStoreClient::Done done) {
  return [done = std::move(done)](const ZooKeeperResponse& response) {
    StoreAnswer answer;
    answer.result = result_of(response.result);
    answer.data = response.data;
    answer.names = response.children;
    done(answer);
  };
}

}  // namespace

std::string ZooKeeperStoreClient::group_path(HaRecord record, const std::string& job) {
  return record == HaRecord::checkpoint ? paths::checkpoints(job) : paths::job_events(job);
}

std::string ZooKeeperStoreClient::path(const HaKey& key) {
  switch (key.record) {
    case HaRecord::execution_plan:
      return paths::execution_plan(key.job);
    case HaRecord::job_result:
      return paths::job_result(key.job);
    case HaRecord::checkpoint_counter:
      return paths::checkpoint_counter(key.job);
    case HaRecord::checkpoint:
    case HaRecord::job_event:
      return group_path(key.record, key.job) + "/" + key.name;
  }
  return {};
}

void ZooKeeperStoreClient::create(const HaKey& key, std::string data, Done done) {
  client_.create(path(key), data, false, false, answer(std::move(done)));
}

void ZooKeeperStoreClient::put(const HaKey& key, std::string data, Done done) {
  client_.put(path(key), data, false, answer(std::move(done)));
}

void ZooKeeperStoreClient::append(const HaKey& key, std::string data, Done done) {
  client_.create(path(key), data, false, true, answer(std::move(done)));
}

void ZooKeeperStoreClient::get(const HaKey& key, Done done) {
  client_.get(path(key), answer(std::move(done)));
}

void ZooKeeperStoreClient::list(HaRecord record, const std::string& job, Done done) {
  client_.children(group_path(record, job), answer(std::move(done)));
}

void ZooKeeperStoreClient::remove(const HaKey& key, Done done) {
  client_.remove(path(key), answer(std::move(done)));
}

}  // namespace flinksim::model::ha
