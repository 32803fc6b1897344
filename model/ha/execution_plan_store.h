#pragma once

// Flink's ExecutionPlanStore (JobGraphStore before 2.0) on the HA store: an entry per submitted
// job (a znode; the "executionPlan-<job>" key of the cluster ConfigMap, written only by the
// leader). The execution plan itself would live in high-availability.storageDir; here the
// scenario's job graph is that blob, and the entry says the job was submitted and not yet
// cleaned up.

#include <functional>
#include <string>

#include "model/ha/ha_store_client.h"

namespace flinksim::model::ha {

class ExecutionPlanStore {
 public:
  enum class Lookup { present, absent, unavailable };
  explicit ExecutionPlanStore(HaStoreClient& client) : client_(client) {}

  // `done(false)` also when a fenced store refused a writer that no longer leads.
  void put(const std::string& job, std::function<void(bool)> done) {
    client_.put(HaKey{HaRecord::execution_plan, job, ""}, job,
                [done = std::move(done)](const StoreAnswer& answer) {
                  done(answer.result == StoreResult::ok);
                });
  }
  void contains(const std::string& job, std::function<void(Lookup)> done) {
    client_.get(HaKey{HaRecord::execution_plan, job, ""},
                [done = std::move(done)](const StoreAnswer& answer) {
                  done(answer.result == StoreResult::ok       ? Lookup::present
                       : answer.result == StoreResult::absent ? Lookup::absent
                                                              : Lookup::unavailable);
                });
  }
  void remove(const std::string& job) {
    client_.remove(HaKey{HaRecord::execution_plan, job, ""}, [](const StoreAnswer&) {});
  }

 private:
  HaStoreClient& client_;
};

}  // namespace flinksim::model::ha
