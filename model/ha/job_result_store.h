#pragma once

// Flink's JobResultStore: a globally terminated job's result, written before its execution plan
// is removed, so that a new leader does not run a finished job again. (Flink keeps it in the file
// system under high-availability.storageDir; here it shares ZooKeeper with the other stores.)

#include <functional>
#include <optional>
#include <string>

#include "model/execution_state.h"
#include "model/ha/ha_paths.h"
#include "model/ha/zookeeper_client.h"

namespace flinksim::model::ha {

class JobResultStore {
 public:
  // `status` unset: no result recorded; `available` false: the store could not be read.
  struct Lookup {
    bool available = false;
    std::optional<JobStatus> status;
  };
  explicit JobResultStore(ZooKeeperClient& client) : client_(client) {}

  void put(const std::string& job, JobStatus status, std::function<void(bool)> done) {
    client_.put(paths::job_result(job), std::string(to_string(status)), false,
                [done = std::move(done)](const ZooKeeperResponse& response) {
                  done(response.result == ZooKeeperResult::ok);
                });
  }
  void get(const std::string& job, std::function<void(Lookup)> done) {
    client_.get(
        paths::job_result(job), [done = std::move(done)](const ZooKeeperResponse& response) {
          Lookup lookup;
          lookup.available =
              response.result == ZooKeeperResult::ok || response.result == ZooKeeperResult::no_node;
          if (response.result == ZooKeeperResult::ok) {
            for (JobStatus status : {JobStatus::finished, JobStatus::failed, JobStatus::canceled}) {
              if (response.data == to_string(status)) lookup.status = status;
            }
          }
          done(lookup);
        });
  }

 private:
  ZooKeeperClient& client_;
};

}  // namespace flinksim::model::ha
