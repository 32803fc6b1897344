#pragma once

// What Flink's HA stores need from their backing service, shared by ZooKeeper and Kubernetes
// (Flink's StateHandleStore with its ZooKeeper and Kubernetes implementations): named entries
// grouped per job, created (refused when present), overwritten, read, listed, removed. Each
// backend decides where an entry lives (a znode; a key in a ConfigMap) and whether its writes are
// fenced by leadership (Kubernetes checks the leader annotation for some; ZooKeeper never does).

#include <functional>
#include <string>
#include <vector>

namespace flinksim::model::ha {

// The kinds of entries Flink's HA services keep.
enum class HaRecord { execution_plan, job_result, checkpoint, checkpoint_counter, job_event };

struct HaKey {
  HaRecord record;
  std::string job;
  std::string name;  // checkpoint and job_event entries: the entry within the job's group
};

// absent: no such entry; exists: create found one; unavailable: the service did not answer;
// not_leader: a fenced write by a writer the service does not see as leader.
enum class StoreResult { ok, absent, exists, unavailable, not_leader };

struct StoreAnswer {
  StoreResult result = StoreResult::ok;
  std::string data;                // get
  std::vector<std::string> names;  // list: entry names, sorted
};

class HaStoreClient {
 public:
  using Done = std::function<void(const StoreAnswer&)>;
  virtual ~HaStoreClient() = default;

  // Whether the client may send at all (ZooKeeper: connected; Kubernetes: always).
  virtual bool available() const = 0;
  // Each `done` runs exactly once, later.
  virtual void create(const HaKey& key, std::string data, Done done) = 0;
  virtual void put(const HaKey& key, std::string data, Done done) = 0;
  // A new entry in the key's group, named after the ones before it (ZooKeeper's sequential node).
  virtual void append(const HaKey& key, std::string data, Done done) = 0;
  virtual void get(const HaKey& key, Done done) = 0;
  // The entries of `record` for `job`, by name.
  virtual void list(HaRecord record, const std::string& job, Done done) = 0;
  virtual void remove(const HaKey& key, Done done) = 0;
};

}  // namespace flinksim::model::ha
