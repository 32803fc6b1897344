// Goal: every generated scenario is valid by construction — the scenario loader accepts its
// YAML as written, and the loaded job has the generated shape. Method: RapidCheck generates
// scenarios of every shape the properties use and loads them; nothing is simulated, so this
// runs many cases cheaply and catches generator bugs before the properties spend runs on them.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "model/graph/distribution_pattern.h"
#include "property_tests/property_check.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

// Each generated vertex is one operator; chaining (StreamingJobGraphGenerator) may put several
// into one job vertex, and the forward edges between them stay inside it.
size_t operators_of(const graph::JobGraph& job) {
  size_t operators = 0;
  for (const graph::JobVertex& vertex : job.vertices()) operators += vertex.operators.size();
  return operators;
}

Violation loads_as_generated(const GeneratedScenario& scenario) {
  const scenarios::ScenarioSpec spec = load_generated(scenario);
  if (!spec.job) return "the loaded scenario has no job";
  if (spec.seed != scenario.seed) return "the loaded seed differs";
  if (spec.faults.empty()) return "the loaded scenario has no faults";
  if (operators_of(*spec.job) != scenario.job.vertices.size()) {
    return "the loaded job has " + std::to_string(operators_of(*spec.job)) + " operators";
  }
  const bool batch = spec.job->mode() == graph::JobMode::batch;
  if (batch != (scenario.job.mode == JobMode::batch)) return "the loaded job mode differs";
  if (spec.cluster.jobmanagers != scenario.cluster.jobmanagers) {
    return "the loaded cluster has " + std::to_string(spec.cluster.jobmanagers) + " jobmanagers";
  }
  const bool high_availability = spec.config.get_enum("high-availability.type") == "zookeeper";
  if (high_availability != scenario.cluster.high_availability) {
    return "the loaded high-availability.type differs";
  }
  if (spec.config.get_enum("restart-strategy.type") !=
      to_string(scenario.configuration.restart_strategy)) {
    return "the loaded restart strategy is " + spec.config.get_enum("restart-strategy.type");
  }
  return std::nullopt;
}

// Every kind of fault a schedule holds in some case, so that a generator that stopped producing
// one shows here (checked by the Generators tests that name it).
Violation has_leader_change(const GeneratedScenario& scenario) {
  if (Violation violation = loads_as_generated(scenario)) return violation;
  for (const FaultCommand& command : scenario.faults) {
    if (changes_leader(command)) return std::nullopt;
  }
  return "a leader-change schedule without a leader-changing command";
}

// Operator actions (job_action_plan.h): the loader takes every one of them, as many as drawn,
// and the savepoint directory they need.
Violation loads_with_actions(const GeneratedScenario& scenario) {
  if (Violation violation = loads_as_generated(scenario)) return violation;
  const scenarios::ScenarioSpec spec = load_generated(scenario);
  const auto drawn = std::count_if(scenario.faults.begin(), scenario.faults.end(), [](const FaultCommand& c) {
    return std::holds_alternative<JobAction>(c);
  });
  if (drawn == 0) return "no action drawn";
  if (static_cast<size_t>(drawn) != spec.job_actions.size()) {
    return "drew " + std::to_string(drawn) + " actions, loaded " + std::to_string(spec.job_actions.size());
  }
  if (!spec.config.is_set("execution.checkpointing.savepoint-dir")) return "no savepoint-dir";
  return std::nullopt;
}

TEST(Generators, EveryActionPlanLoadsAsGenerated) {
  for (const ActionPlan plan : {ActionPlan::intermediate_savepoints, ActionPlan::stop_and_resume,
                                ActionPlan::cancel_and_resume, ActionPlan::cancel}) {
    ScenarioShape shape;
    shape.name = "generators-actions-" + std::to_string(static_cast<int>(plan));
    shape.jitter = true;
    shape.moment_faults = true;
    shape.batch = plan == ActionPlan::cancel;
    shape.actions = plan;
    check_property({.name = shape.name, .cases = 100}, generate_scenario(shape), loads_with_actions);
  }
}

TEST(Generators, ExactlyOnceShapeLoadsAsGenerated) {
  ScenarioShape shape;
  shape.name = "generators-exactly-once";
  shape.jitter = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), loads_as_generated);
}

TEST(Generators, AtLeastOnceShapeLoadsAsGenerated) {
  ScenarioShape shape;
  shape.name = "generators-at-least-once";
  shape.jitter = true;
  shape.delivery = graph::SinkDelivery::at_least_once;
  shape.modes = {CheckpointingMode::exactly_once, CheckpointingMode::at_least_once};
  shape.expect = ExpectedOutcome{.finished = true, .no_records_lost = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), loads_as_generated);
}

TEST(Generators, BatchShapeWithVariedConfigurationLoadsAsGenerated) {
  ScenarioShape shape;
  shape.name = "generators-batch";
  shape.batch = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), loads_as_generated);
}

TEST(Generators, VariedConfigurationShapeLoadsAsGenerated) {
  ScenarioShape shape;
  shape.name = "generators-varied-configuration";
  shape.jitter = true;
  shape.varied_configuration = true;
  shape.modes = {CheckpointingMode::exactly_once, CheckpointingMode::at_least_once};
  shape.expect = ExpectedOutcome{.finished = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), loads_as_generated);
}

TEST(Generators, HighAvailabilityShapeLoadsAsGeneratedAndChangesTheLeader) {
  ScenarioShape shape;
  shape.name = "generators-high-availability";
  shape.jitter = true;
  shape.high_availability = true;
  shape.leader_change = true;
  shape.varied_configuration = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape), has_leader_change);
}

TEST(Generators, LivenessShapeLoadsAsGeneratedWithPartitionsAndSlowLinks) {
  ScenarioShape shape;
  shape.name = "generators-liveness";
  shape.jitter = true;
  shape.partitions = true;
  shape.kills_anywhere = true;
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  int64_t slow_links = 0;
  int64_t loaded = 0;
  check_property({.name = shape.name, .cases = 300}, generate_scenario(shape),
                 [&](const GeneratedScenario& scenario) -> Violation {
                   if (Violation violation = loads_as_generated(scenario)) return violation;
                   ++loaded;
                   for (const FaultCommand& command : scenario.faults) {
                     slow_links += std::holds_alternative<SlowLink>(command) ? 1 : 0;
                   }
                   return std::nullopt;
                 });
  // One command kind in five or six: hundreds of slow links in 300 schedules of 1-4 commands.
  EXPECT_GT(slow_links, loaded / 10) << slow_links << " slow links in " << loaded << " scenarios";
}

// Every generated edge loads with the partitioner it was generated with, and so with that
// partitioner's distribution pattern (forward and rescale POINTWISE, the others ALL_TO_ALL).
Violation edges_load_as_generated(const GeneratedScenario& scenario) {
  const scenarios::ScenarioSpec spec = load_generated(scenario);
  if (!spec.job) return "the loaded scenario has no job";
  const graph::JobGraph& job = *spec.job;
  const size_t chained_edges = operators_of(job) - job.vertices().size();
  if (job.edges().size() + chained_edges != scenario.job.edges.size()) {
    return "the loaded job has " + std::to_string(job.edges().size()) + " edges and " +
           std::to_string(chained_edges) + " chained";
  }
  for (const GeneratedEdge& generated : scenario.job.edges) {
    const std::optional<graph::JobVertexId> source = job.find_vertex(generated.source);
    const std::optional<graph::JobVertexId> target = job.find_vertex(generated.target);
    if (!source || !target) return "the loaded job lacks a vertex of " + generated.source;
    if (*source == *target) {
      // Chained: only a forward edge chains (isChainable).
      if (generated.partitioning != Partitioning::forward) {
        return "the " + std::string(to_string(generated.partitioning)) + " edge " + generated.source +
               " -> " + generated.target + " was chained";
      }
      continue;
    }
    const std::optional<graph::JobEdgeId> id = job.find_edge(*source, *target);
    if (!id) return "the loaded job lacks the edge " + generated.source + " -> " + generated.target;
    const graph::JobEdge& edge = job.edge(*id);
    if (!edge.partitioner ||
        graph::to_string(*edge.partitioner) != to_string(generated.partitioning)) {
      return "the edge " + generated.source + " -> " + generated.target + " loaded as " +
             (edge.partitioner ? std::string(graph::to_string(*edge.partitioner))
                               : "no partitioner") +
             ", generated as " + std::string(to_string(generated.partitioning));
    }
    if (edge.distribution != graph::distribution_of(*edge.partitioner)) {
      return "the " + std::string(to_string(generated.partitioning)) + " edge " + generated.source +
             " -> " + generated.target + " loaded as " +
             std::string(graph::to_string(edge.distribution));
    }
  }
  return std::nullopt;
}

// Every partitioner is drawn in the shapes of every property (the job generator does not depend
// on the shape but for its size and mode), so small, large and batch jobs each show all five.
TEST(Generators, EveryPartitionerOccursAndLoadsInSmallLargeAndBatchJobs) {
  ScenarioShape small;
  small.name = "generators-partitioners";
  small.jitter = true;
  small.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  ScenarioShape large = small;
  large.name = "generators-partitioners-large";
  large.large_jobs = true;
  ScenarioShape batch = small;
  batch.name = "generators-partitioners-batch";
  batch.batch = true;
  for (const ScenarioShape& shape : {small, large, batch}) {
    std::map<std::string, int64_t> edges;
    check_property({.name = shape.name, .cases = 300}, generate_scenario(shape),
                   [&](const GeneratedScenario& scenario) -> Violation {
                     if (Violation violation = loads_as_generated(scenario)) return violation;
                     if (Violation violation = edges_load_as_generated(scenario)) return violation;
                     for (const GeneratedEdge& edge : scenario.job.edges) {
                       ++edges[std::string(to_string(edge.partitioning))];
                     }
                     return std::nullopt;
                   });
    for (const std::string_view partitioner :
         {"forward", "rescale", "rebalance", "hash", "broadcast"}) {
      // Some 600-900 edges in 300 jobs; the rarest partitioner, forward (one input of equal
      // parallelism), occurs 26-40 times at seed 1, broadcast (fan-out at most 4) 87-111.
      EXPECT_GT(edges[std::string(partitioner)], 10)
          << shape.name << ": " << edges[std::string(partitioner)] << " " << partitioner
          << " edges in 300 jobs";
    }
  }
}

}  // namespace
}  // namespace flinksim::property_tests
