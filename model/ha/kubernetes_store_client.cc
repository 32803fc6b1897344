#include "model/ha/kubernetes_store_client.h"

#include <cstdio>
#include <memory>

#include "model/ha/kubernetes_leader_elector.h"

namespace flinksim::model::ha {
namespace {

std::string key_prefix(HaRecord record) {
  switch (record) {
    case HaRecord::execution_plan:
      return "executionPlan-";
    case HaRecord::job_result:
      return "jobResult-";
    case HaRecord::checkpoint:
      return "checkpointID-";
    case HaRecord::checkpoint_counter:
      return "counter";
    case HaRecord::job_event:
      return "jobEvent-";
  }
  return {};
}

StoreAnswer answer(StoreResult result) {
  StoreAnswer answer;
  answer.result = result;
  return answer;
}

// The names after `prefix` among the ConfigMap's keys, in key order.
std::vector<std::string> names_with(const ConfigMap& config_map, const std::string& prefix) {
  std::vector<std::string> names;
  for (auto it = config_map.data.lower_bound(prefix); it != config_map.data.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    names.push_back(it->first.substr(prefix.size()));
  }
  return names;
}

}  // namespace

std::string cluster_config_map() { return kKubernetesClusterId + "-cluster-config-map"; }
std::string job_config_map(const std::string& job) {
  return kKubernetesClusterId + "-" + job + "-config-map";
}

KubernetesStoreClient::Location KubernetesStoreClient::locate(const HaKey& key) {
  const std::string prefix = key_prefix(key.record);
  switch (key.record) {
    case HaRecord::execution_plan:
      return {cluster_config_map(), prefix + key.job, true};
    case HaRecord::job_result:
      return {cluster_config_map(), prefix + key.job, false};
    case HaRecord::checkpoint_counter:
      return {job_config_map(key.job), prefix, false};
    case HaRecord::checkpoint:
    case HaRecord::job_event:
      return {job_config_map(key.job), prefix + key.name, false};
  }
  return {};
}

void KubernetesStoreClient::create(const HaKey& key, std::string data, Done done) {
  update(key, Write::create, std::move(data), std::move(done));
}
void KubernetesStoreClient::put(const HaKey& key, std::string data, Done done) {
  update(key, Write::put, std::move(data), std::move(done));
}
void KubernetesStoreClient::append(const HaKey& key, std::string data, Done done) {
  update(key, Write::append, std::move(data), std::move(done));
}
void KubernetesStoreClient::remove(const HaKey& key, Done done) {
  update(key, Write::remove, "", std::move(done));
}

void KubernetesStoreClient::get(const HaKey& key, Done done) {
  const Location where = locate(key);
  client_.get(where.config_map, [where, done](const KubernetesResponse& response) {
    if (response.result == KubernetesResult::not_found) return done(answer(StoreResult::absent));
    if (response.result != KubernetesResult::ok) return done(answer(StoreResult::unavailable));
    const auto entry = response.config_map->data.find(where.key);
    if (entry == response.config_map->data.end()) return done(answer(StoreResult::absent));
    StoreAnswer found;
    found.data = entry->second;
    done(found);
  });
}

void KubernetesStoreClient::list(HaRecord record, const std::string& job, Done done) {
  const std::string name = job_config_map(job);
  client_.get(name, [record, done](const KubernetesResponse& response) {
    if (response.result == KubernetesResult::not_found) return done(answer(StoreResult::ok));
    if (response.result != KubernetesResult::ok) return done(answer(StoreResult::unavailable));
    StoreAnswer listing;
    listing.names = names_with(*response.config_map, key_prefix(record));
    done(listing);
  });
}

void KubernetesStoreClient::update(const HaKey& key, Write write, std::string data, Done done) {
  const Location where = locate(key);
  // What the update function decided, for the answer (it runs once per attempt).
  auto outcome = std::make_shared<StoreResult>(StoreResult::ok);
  const auto change = [this, where, key, write, data, outcome](const ConfigMap& current) {
    return changed(current, where, key.record, write, data, *outcome);
  };
  client_.check_and_update(
      where.config_map, change,
      [this, where, write, change, outcome, done](KubernetesClient::UpdateResult result) {
        using Result = KubernetesClient::UpdateResult;
        if (result == Result::updated) return done(answer(StoreResult::ok));
        if (result == Result::unchanged) return done(answer(*outcome));
        // The job's ConfigMap is created when first needed (createConfigMapIfItDoesNotExist);
        // the cluster's belongs to the leader elector.
        if (result == Result::failed || where.fenced || write == Write::remove)
          return done(answer(result == Result::missing ? StoreResult::absent
                                                       : StoreResult::unavailable));
        create_then_update(where, change, outcome, done);
      });
}

std::optional<ConfigMap> KubernetesStoreClient::changed(const ConfigMap& current,
                                                        const Location& where, HaRecord record,
                                                        Write write, const std::string& data,
                                                        StoreResult& outcome) const {
  // KubernetesStateHandleStore.isValidOperation: with a lock identity, only while we lead.
  if (where.fenced && !KubernetesLeaderElector::has_leadership(current, lock_identity_)) {
    outcome = StoreResult::not_leader;
    return std::nullopt;
  }
  const bool present = current.data.count(where.key) > 0;
  outcome = write == Write::create && present    ? StoreResult::exists
            : write == Write::remove && !present ? StoreResult::absent
                                                 : StoreResult::ok;
  if (outcome != StoreResult::ok) return std::nullopt;
  ConfigMap next = current;
  if (write == Write::remove) {
    next.data.erase(where.key);
  } else if (write == Write::append) {
    char sequence[16];
    std::snprintf(sequence, sizeof sequence, "%010zu", names_with(current, key_prefix(record)).size());
    next.data[where.key + sequence] = data;
  } else {
    next.data[where.key] = data;
  }
  return next;
}

void KubernetesStoreClient::create_then_update(const Location& where,
                                               KubernetesClient::UpdateFunction change,
                                               std::shared_ptr<StoreResult> outcome, Done done) {
  client_.create(ConfigMap{where.config_map, 0, {}, std::nullopt},
                 [this, where, change, outcome, done](const KubernetesResponse& created) {
                   if (created.result != KubernetesResult::ok &&
                       created.result != KubernetesResult::already_exists)
                     return done(answer(StoreResult::unavailable));
                   client_.check_and_update(
                       where.config_map, change,
                       [outcome, done](KubernetesClient::UpdateResult result) {
                         using Result = KubernetesClient::UpdateResult;
                         done(answer(result == Result::updated     ? StoreResult::ok
                                     : result == Result::unchanged ? *outcome
                                                                   : StoreResult::unavailable));
                       });
                 });
}

}  // namespace flinksim::model::ha
