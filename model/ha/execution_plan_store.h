#pragma once

// Flink's ExecutionPlanStore (JobGraphStore before 2.0) on ZooKeeper: a node per submitted job.
// The execution plan itself would live in high-availability.storageDir; here the scenario's job
// graph is that blob, and the node says the job was submitted and not yet cleaned up.

#include <functional>
#include <string>

#include "model/ha/ha_paths.h"
#include "model/ha/zookeeper_client.h"

namespace flinksim::model::ha {

class ExecutionPlanStore {
 public:
  enum class Lookup { present, absent, unavailable };
  explicit ExecutionPlanStore(ZooKeeperClient& client) : client_(client) {}

  void put(const std::string& job, std::function<void(bool)> done) {
    client_.put(paths::execution_plan(job), job, false,
                [done = std::move(done)](const ZooKeeperResponse& response) {
                  done(response.result == ZooKeeperResult::ok);
                });
  }
  void contains(const std::string& job, std::function<void(Lookup)> done) {
    client_.get(paths::execution_plan(job),
                [done = std::move(done)](const ZooKeeperResponse& response) {
                  done(response.result == ZooKeeperResult::ok        ? Lookup::present
                       : response.result == ZooKeeperResult::no_node ? Lookup::absent
                                                                     : Lookup::unavailable);
                });
  }
  void remove(const std::string& job) {
    client_.remove(paths::execution_plan(job), [](const ZooKeeperResponse&) {});
  }

 private:
  ZooKeeperClient& client_;
};

}  // namespace flinksim::model::ha
