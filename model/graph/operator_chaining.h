#pragma once

// Operator chaining, as Flink's StreamingJobGraphGenerator builds the JobGraph from the
// StreamGraph: the operators of a chainable edge run in one task, one subtask per index, with
// no channel between them.
//
// The job the loader builds is the StreamGraph here: one vertex per operator. An edge is
// chainable (StreamingJobGraphGenerator#isChainable and #isChainableInput) when
// - the downstream operator has exactly this one input (no union, no second input);
// - both are in the same slot sharing group (flinksim has only the default group);
// - areOperatorsChainable: the upstream's ChainingStrategy is not NEVER, the downstream's is
//   ALWAYS (HEAD and NEVER start a chain; sources are HEAD);
// - the partitioner is forward and the exchange mode is not BATCH (an explicit blocking
//   result); the job's runtime mode does not matter: a batch job chains its forward edges and
//   only the edges between chains are blocking;
// - both have the same parallelism, and the same max parallelism when
//   `pipeline.operator-chaining.chain-operators-with-different-max-parallelism` is false;
// - chaining is enabled (`pipeline.operator-chaining.enabled`, default true).
// Edges given as a distribution pattern (`distribution: pointwise`) are JobGraph edges
// already, with no stream partitioner, and are never chained.
//
// Not simulated: a chain holds at most one sink (the sink store knows a sink by its subtask);
// Flink would also chain a second sink on a forward edge into the same task.

#include "model/graph/job_graph.h"

namespace flinksim::graph {

struct ChainingOptions {
  bool enabled = true;                        // pipeline.operator-chaining.enabled
  bool different_max_parallelism = true;      // ...chain-operators-with-different-max-parallelism
};

// Whether `edge` of the unchained job (one operator per vertex) can be chained.
bool is_chainable(const JobGraph& stream_graph, JobEdgeId edge, const ChainingOptions& options);

// The job with every chainable edge folded into a chain: a vertex per chain, named after its
// head operator, holding the chain's operators; the edges that stay connect chains, each from
// the operator that writes it. A job without chainable edges comes back unchanged.
JobGraph chain_operators(const JobGraph& stream_graph, const ChainingOptions& options);

}  // namespace flinksim::graph
