// Goal: an independent brute-force oracle agrees with the real regions and region failover on
// a few hundred random job graphs with mixed parallelism, distribution patterns and all seven
// result types. Method: the oracle enumerates every producer/consumer subtask pair from the
// pointwise formulas (no partition groups), joins tasks with a plain union-find, merges regions
// that reach each other through non-pipelined pairs (reachability by DFS, no Boost), and runs
// the failover BFS over those pairs. Graphs come from a seeded sim::Rng.

#include <gtest/gtest.h>

#include <functional>
#include <numeric>
#include <set>

#include "model/graph/execution_graph.h"
#include "model/graph/pipelined_regions.h"
#include "sim/rng.h"
#include "strategies/restart_pipelined_region_failover_strategy.h"

namespace flinksim::strategies {
namespace {

using graph::ResultPartitionType;

struct PlainUnionFind {
  std::vector<int> parent;
  explicit PlainUnionFind(int n) : parent(static_cast<size_t>(n)) {
    std::iota(parent.begin(), parent.end(), 0);
  }
  int find(int x) { return parent[x] == x ? x : parent[x] = find(parent[x]); }
  void unite(int a, int b) { parent[find(a)] = find(b); }
};

struct Pair {
  int edge;
  int producer_task;  // global task number
  int consumer_task;
  int producer_subtask;
};

struct Oracle {
  std::vector<int> first_task;  // by job vertex, in declaration order
  int task_count = 0;
  std::vector<Pair> pairs;
  std::vector<int> region_of;  // final region id per task
};

bool pointwise_connected(int64_t p, int64_t c, int64_t i, int64_t j) {
  if (p == c) return i == j;
  if (p > c) return j * p / c <= i && i < (j + 1) * p / c;
  return (i * c + p - 1) / p <= j && j < ((i + 1) * c + p - 1) / p;
}

Oracle oracle_regions(const graph::JobGraph& job) {
  Oracle o;
  for (const auto& v : job.vertices()) {
    o.first_task.push_back(o.task_count);
    o.task_count += v.parallelism;
  }
  const auto& edges = job.edges();
  for (int e = 0; e < static_cast<int>(edges.size()); ++e) {
    const int p = job.vertices()[edges[e].producer.index].parallelism;
    const int c = job.vertices()[edges[e].consumer.index].parallelism;
    for (int i = 0; i < p; ++i) {
      for (int j = 0; j < c; ++j) {
        if (edges[e].distribution == graph::DistributionPattern::pointwise &&
            !pointwise_connected(p, c, i, j)) {
          continue;
        }
        o.pairs.push_back(Pair{e, o.first_task[edges[e].producer.index] + i,
                               o.first_task[edges[e].consumer.index] + j, i});
      }
    }
  }
  auto pipelined = [&](int e) {
    auto t = job.result_type_of(graph::JobEdgeId{static_cast<uint32_t>(e)});
    return t == ResultPartitionType::pipelined || t == ResultPartitionType::pipelined_bounded;
  };
  PlainUnionFind logical(static_cast<int>(job.vertices().size()));
  for (int e = 0; e < static_cast<int>(edges.size()); ++e) {
    if (pipelined(e)) logical.unite(edges[e].producer.index, edges[e].consumer.index);
  }
  std::set<int> whole;
  for (const auto& edge : edges) {
    if (edge.distribution == graph::DistributionPattern::all_to_all &&
        logical.find(edge.producer.index) == logical.find(edge.consumer.index)) {
      whole.insert(logical.find(edge.producer.index));
    }
  }
  PlainUnionFind raw(o.task_count);
  std::vector<int> job_vertex_of(o.task_count);
  for (int v = 0; v < static_cast<int>(job.vertices().size()); ++v) {
    for (int s = 0; s < job.vertices()[v].parallelism; ++s) job_vertex_of[o.first_task[v] + s] = v;
  }
  for (int a = 0; a < o.task_count; ++a) {
    for (int b = 0; b < o.task_count; ++b) {
      const int la = logical.find(job_vertex_of[a]);
      if (la == logical.find(job_vertex_of[b]) && whole.contains(la)) raw.unite(a, b);
    }
  }
  for (const Pair& pair : o.pairs) {
    if (pipelined(pair.edge)) raw.unite(pair.producer_task, pair.consumer_task);
  }
  // Reachability between raw regions through the other pairs.
  std::vector<std::set<int>> successors(o.task_count);
  for (const Pair& pair : o.pairs) {
    if (!pipelined(pair.edge)) {
      successors[raw.find(pair.producer_task)].insert(raw.find(pair.consumer_task));
    }
  }
  auto reachable_from = [&](int start) {
    std::set<int> seen{start};
    std::vector<int> stack{start};
    while (!stack.empty()) {
      int r = stack.back();
      stack.pop_back();
      for (int next : successors[r]) {
        if (seen.insert(next).second) stack.push_back(next);
      }
    }
    return seen;
  };
  std::vector<std::set<int>> reach(o.task_count);
  for (int t = 0; t < o.task_count; ++t) {
    if (raw.find(t) == t) reach[t] = reachable_from(t);
  }
  PlainUnionFind final_regions(o.task_count);
  for (int a = 0; a < o.task_count; ++a) {
    for (int b = 0; b < o.task_count; ++b) {
      const int ra = raw.find(a);
      const int rb = raw.find(b);
      if (ra == rb || (reach[ra].contains(rb) && reach[rb].contains(ra))) final_regions.unite(a, b);
    }
  }
  o.region_of.resize(o.task_count);
  for (int t = 0; t < o.task_count; ++t) o.region_of[t] = final_regions.find(t);
  return o;
}

std::set<int> oracle_failover(const graph::JobGraph& job, const Oracle& o, int failed_task,
                              const std::set<std::pair<int, int>>& unavailable) {
  auto available = [&](const Pair& pair) {
    auto t = job.result_type_of(graph::JobEdgeId{static_cast<uint32_t>(pair.edge)});
    const bool consumable = t == ResultPartitionType::blocking ||
                            t == ResultPartitionType::blocking_persistent ||
                            t == ResultPartitionType::hybrid_full ||
                            t == ResultPartitionType::pipelined_approximate;
    return consumable && !unavailable.contains({pair.edge, pair.producer_subtask});
  };
  std::set<int> regions{o.region_of[failed_task]};
  bool grew = true;
  while (grew) {
    grew = false;
    for (const Pair& pair : o.pairs) {
      const bool producer_in = regions.contains(o.region_of[pair.producer_task]);
      const bool consumer_in = regions.contains(o.region_of[pair.consumer_task]);
      if (producer_in && !consumer_in) {
        regions.insert(o.region_of[pair.consumer_task]);
        grew = true;
      } else if (consumer_in && !producer_in && !available(pair)) {
        regions.insert(o.region_of[pair.producer_task]);
        grew = true;
      }
    }
  }
  std::set<int> tasks;
  for (int t = 0; t < o.task_count; ++t) {
    if (regions.contains(o.region_of[t])) tasks.insert(t);
  }
  return tasks;
}

graph::JobGraph random_job(sim::Rng& rng) {
  graph::JobGraph job("random", rng.chance(0.2) ? graph::JobMode::batch : graph::JobMode::streaming);
  const int vertices = static_cast<int>(rng.uniform_int(1, 6));
  for (int v = 0; v < vertices; ++v) {
    job.add_vertex("v" + std::to_string(v), static_cast<int>(rng.uniform_int(1, 5)));
  }
  for (int a = 0; a < vertices; ++a) {
    for (int b = a + 1; b < vertices; ++b) {
      if (!rng.chance(0.45)) continue;
      const auto pattern = rng.chance(0.5) ? graph::DistributionPattern::pointwise
                                           : graph::DistributionPattern::all_to_all;
      std::optional<ResultPartitionType> type;
      if (!rng.chance(0.15)) {
        type = graph::all_result_partition_types[static_cast<size_t>(rng.uniform_int(0, 6))];
      }
      job.add_edge(graph::JobVertexId{static_cast<uint32_t>(a)},
                   graph::JobVertexId{static_cast<uint32_t>(b)}, pattern, type);
    }
  }
  return job;
}

TEST(RegionOracle, RandomGraphs_RegionsAndFailoverAgree) {
  sim::Rng rng(0x5eed);
  int failovers_checked = 0;
  for (int round = 0; round < 300; ++round) {
    const graph::JobGraph job = random_job(rng);
    const auto graph = graph::ExecutionGraph::build(job).value();
    const auto regions = graph::compute_pipelined_regions(graph);
    const Oracle oracle = oracle_regions(job);

    // Regions: the same partition of tasks.
    auto task_number = [&](graph::VertexIndex v) {
      const auto id = graph.vertex(v).id;
      return oracle.first_task[id.vertex.index] + static_cast<int>(id.subtask);
    };
    std::set<std::set<int>> expected_regions;
    std::map<int, std::set<int>> by_region;
    for (int t = 0; t < oracle.task_count; ++t) by_region[oracle.region_of[t]].insert(t);
    for (auto& [_, members] : by_region) expected_regions.insert(members);
    std::set<std::set<int>> actual_regions;
    for (const auto& region : regions.regions) {
      std::set<int> members;
      for (graph::VertexIndex v : region) members.insert(task_number(v));
      actual_regions.insert(members);
    }
    ASSERT_EQ(actual_regions, expected_regions) << "round " << round;

    // Failover: a random failed task, a random set of unavailable partitions.
    for (int trial = 0; trial < 3; ++trial) {
      UnavailablePartitionSet checker;
      std::set<std::pair<int, int>> unavailable;
      for (const auto& partition : graph.partitions()) {
        if (rng.chance(0.2)) {
          checker.mark_unavailable(partition.id);
          unavailable.insert({static_cast<int>(partition.id.edge.index),
                              static_cast<int>(partition.id.producer_subtask)});
        }
      }
      const auto failed = static_cast<graph::VertexIndex>(
          rng.uniform_int(0, static_cast<int64_t>(graph.vertex_count()) - 1));
      RestartPipelinedRegionFailoverStrategy strategy(graph, regions, checker);
      std::set<int> actual;
      for (auto id : strategy.tasks_needing_restart(graph.vertex(failed).id, {})) {
        actual.insert(task_number(graph.index_of(id)));
      }
      ASSERT_EQ(actual, oracle_failover(job, oracle, task_number(failed), unavailable))
          << "round " << round << " trial " << trial;
      ++failovers_checked;
    }
  }
  EXPECT_EQ(failovers_checked, 900);
}

}  // namespace
}  // namespace flinksim::strategies
