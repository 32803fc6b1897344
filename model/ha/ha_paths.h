#pragma once

// Where Flink's ZooKeeper HA services keep their nodes, under high-availability.zookeeper.path.root
// (default /flink) and the cluster id. Checkpoint node names are zero-padded so that they sort by
// id.

#include <cstdio>
#include <string>

#include "model/checkpoint/task_state_snapshot.h"

namespace flinksim::model::ha::paths {

inline const std::string root = "/flink/default";
inline std::string leader_latch() {
  return root + "/leaderlatch";
}
inline std::string connection_info() {
  return root + "/leader/connection_info";
}
inline std::string execution_plans() {
  return root + "/jobgraphs";
}
inline std::string execution_plan(const std::string& job) {
  return execution_plans() + "/" + job;
}
inline std::string job_result(const std::string& job) {
  return root + "/job-results/" + job;
}
inline std::string checkpoints(const std::string& job) {
  return root + "/checkpoints/" + job;
}
// A checkpoint's entry name: its id, zero-padded so that names sort by id.
inline std::string checkpoint_name(checkpoint::CheckpointId id) {
  char name[24];
  std::snprintf(name, sizeof name, "%019lld", static_cast<long long>(id));
  return name;
}
inline std::string checkpoint(const std::string& job, checkpoint::CheckpointId id) {
  return checkpoints(job) + "/" + checkpoint_name(id);
}
inline std::string checkpoint_counter(const std::string& job) {
  return root + "/checkpoint-counter/" + job;
}
inline std::string job_events(const std::string& job) {
  return root + "/job-events/" + job;
}

}  // namespace flinksim::model::ha::paths
