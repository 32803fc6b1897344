#pragma once

// Flink's JobResultStore: a globally terminated job's result, written before its execution plan
// is removed, so that a new leader does not run a finished job again. (Flink keeps it in the file
// system under high-availability.storageDir; here it shares the HA store with the other entries.)

#include <functional>
#include <optional>
#include <string>

#include "model/execution_state.h"
#include "model/ha/ha_store_client.h"

namespace flinksim::model::ha {

class JobResultStore {
 public:
  // `status` unset: no result recorded; `available` false: the store could not be read.
  struct Lookup {
    bool available = false;
    std::optional<JobStatus> status;
  };
  explicit JobResultStore(HaStoreClient& client) : client_(client) {}

  void put(const std::string& job, JobStatus status, std::function<void(bool)> done) {
    client_.put(HaKey{HaRecord::job_result, job, ""}, std::string(to_string(status)),
                [done = std::move(done)](const StoreAnswer& answer) {
                  done(answer.result == StoreResult::ok);
                });
  }
  void get(const std::string& job, std::function<void(Lookup)> done) {
    client_.get(HaKey{HaRecord::job_result, job, ""},
                [done = std::move(done)](const StoreAnswer& answer) {
                  Lookup lookup;
                  lookup.available = answer.result == StoreResult::ok ||
                                     answer.result == StoreResult::absent;
                  if (answer.result == StoreResult::ok) {
                    for (JobStatus status :
                         {JobStatus::finished, JobStatus::failed, JobStatus::canceled}) {
                      if (answer.data == to_string(status)) lookup.status = status;
                    }
                  }
                  done(lookup);
                });
  }

 private:
  HaStoreClient& client_;
};

}  // namespace flinksim::model::ha
