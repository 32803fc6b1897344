#pragma once

// Which part of a sweep this process runs. Shard K of N (K counts from 0) takes every N-th seed of
// the range, starting with the K-th, so N workers of a batch system cover the range exactly once
// and their databases merge into the unsharded result.
//
// When `--shard` is not given, the batch system's environment decides:
//   Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based) with the shard count from `--shards N`
//     or FLINKSIM_SHARDS (Kubernetes does not tell a pod the job's completions).
//   Slurm job array: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN (MIN defaults to 0) of
//     SLURM_ARRAY_TASK_COUNT (or `--shards` / FLINKSIM_SHARDS when set).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "reports/seed_range.h"

namespace flinksim::reports {

struct Shard {
  uint64_t index = 0;  // 0 <= index < count
  uint64_t count = 1;

  bool contains(const SeedRange& range, uint64_t seed) const {
    return (seed - range.first) % count == index;
  }
  std::string to_string() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// Parses "K/N" with 0 <= K < N.
std::optional<Shard> parse_shard(std::string_view text, std::string& error);

// Reads an environment variable; returns nullopt when it is not set. Injected so that tests do not
// touch the process environment.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvironmentLookup process_environment();

// The shard the batch system assigns (see the header comment); nullopt when no batch-system
// variable is set. `shards` is `--shards` from the command line. A malformed or inconsistent
// variable is an error naming it.
std::optional<Shard> shard_from_environment(const EnvironmentLookup& environment,
                                            std::optional<uint64_t> shards, std::string& error);

}  // namespace flinksim::reports
