#pragma once

// Loads the `job:` section of a scenario (SCENARIOS.md §1 and the operator keys of §2) into a
// graph::JobGraph, strictly: unknown keys (with a did-you-mean), unknown vertices in edges,
// duplicate names, parallelism outside [1, max parallelism], forward edges between vertices of
// different parallelism, and cycles are all reported with file:line:col and the document path.
// All problems of a document are reported, not only the first.

#include <optional>
#include <string>

#include "model/graph/job_graph.h"
#include "model/graph/operator_chaining.h"
#include "scenarios/flink_configuration.h"
#include "scenarios/diagnostics.h"
#include "scenarios/yaml_document.h"

namespace flinksim::scenarios {

// `job_node` is the value of the `job` key (a map). Returns nullopt if anything was reported.
// The job comes back unchained, one vertex per operator (Flink's StreamGraph); `chaining: false`
// and `start-new-chain: true` set a vertex's chaining strategy.
std::optional<graph::JobGraph> load_job(const NodeRef& job_node, Diagnostics& diagnostics);

// `pipeline.operator-chaining.*` of a configuration.
graph::ChainingOptions chaining_options(const FlinkConfiguration& config);

// A standalone JOB document, as `flinksim regions`/`failover`/`graph` read it: the root is either
// a map with a `job` key (a scenario file or `{job: ...}`; other keys are left to the scenario
// loader) or the job map itself. Unchained, as load_job.
std::optional<graph::JobGraph> load_job_document(const NodeRef& root, Diagnostics& diagnostics);
std::optional<graph::JobGraph> load_job_file(const std::string& path, Diagnostics& diagnostics);
// The job of a JOB document as it runs: chained, unless the document's `config` has
// `pipeline.operator-chaining.enabled: false` (written as that one key).
std::optional<graph::JobGraph> load_chained_job_file(const std::string& path,
                                                     Diagnostics& diagnostics);

}  // namespace flinksim::scenarios
