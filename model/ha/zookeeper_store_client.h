#pragma once

// The HA stores on ZooKeeper (Flink's ZooKeeperStateHandleStore): one znode per entry under
// high-availability.zookeeper.path.root and the cluster id (ha_paths.h). Writes are not fenced:
// whoever holds a session may write.

#include "model/ha/ha_store_client.h"
#include "model/ha/zookeeper_client.h"

namespace flinksim::model::ha {

class ZooKeeperStoreClient final : public HaStoreClient {
 public:
  explicit ZooKeeperStoreClient(ZooKeeperClient& client) : client_(client) {}

  bool available() const override { return client_.connected(); }
  void create(const HaKey& key, std::string data, Done done) override;
  void put(const HaKey& key, std::string data, Done done) override;
  void append(const HaKey& key, std::string data, Done done) override;
  void get(const HaKey& key, Done done) override;
  void list(HaRecord record, const std::string& job, Done done) override;
  void remove(const HaKey& key, Done done) override;

  // The znode of an entry, and the parent of a job's checkpoint or job event entries.
  static std::string path(const HaKey& key);
  static std::string group_path(HaRecord record, const std::string& job);

 private:
  ZooKeeperClient& client_;
};

}  // namespace flinksim::model::ha
