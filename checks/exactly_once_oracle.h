#pragma once

// The exactly-once oracle: compares what the sinks of a faulty run made visible with what the
// same scenario and seed commit without faults.
// - `output_matches_reference`: the committed outputs are equal as multisets (commit order may
//   differ between runs; content may not).
// - records lost and duplicated, in source records: a window result reflects the records counted
//   in its lineage, so per (sink, key, window) the difference of reflected records is lost (less)
//   or duplicated (more) — a window fired twice doubles them, data lost in flight shrinks them;
//   any other output (running aggregate, map) stands for the one record that caused it, so per
//   (sink, key) the difference in the number of outputs counts — per source record where every
//   output of a sink reflects exactly one (a pass-through pipeline: maps and filters).
// Pipelines whose results depend on the arrival order across channels (a window over running
// aggregate updates) legitimately differ from their reference after a recovery; scenarios that
// check exactly-once should not use them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/operators/stream_operator.h"
#include "model/sink_store.h"

namespace flinksim::checks {

struct ExactlyOnceVerdict {
  bool output_matches_reference = true;
  int64_t records_lost = 0;
  int64_t records_duplicated = 0;
  // Records the reference committed beyond where a faulty run that ended for good stopped: a
  // LOST or FAILED job never delivers them. Counted apart from records lost inside the prefix
  // both runs reached, because the cause differs (the job's end, not its recovery).
  int64_t records_missing = 0;
  // Why the faulty run stopped short ("job ended LOST at 30.0 s"); empty when nothing is missing.
  std::string missing_reason;
  // Both runs finished and every operator subtask ended with the same keyed state; unset when
  // there is nothing to compare (a run did not finish).
  std::optional<bool> state_matches_reference;
  // Source records the running aggregates' final state reflects fewer (lost) or more
  // (duplicated) than the reference's, summed over keys: what a restart dropped from state or
  // counted twice into it, whatever the output showed. Zero when the state was not compared.
  int64_t state_records_lost = 0;
  int64_t state_records_duplicated = 0;
  bool exactly_once() const {
    return output_matches_reference && records_lost == 0 && records_duplicated == 0 &&
           records_missing == 0 && state_matches_reference.value_or(true);
  }
};

using FinalKeyedState = std::map<graph::ExecutionVertexId, std::vector<model::operators::KeyedStateEntry>>;

// Whether two finished runs left every operator subtask with the same keyed state.
bool same_final_state(const FinalKeyedState& run, const FinalKeyedState& reference);

// How much of the two outputs to compare. A bounded job that finished in both runs is compared
// whole. A job still running at the end of the run is compared on the prefix both runs reached:
// windows that ended before the last window both committed, per key the running-aggregate
// updates both committed, and per source partition the pass-through outputs of offsets both
// committed — a faulty run is behind its reference, not wrong, for the rest. A faulty run that
// ended for good (LOST, FAILED, or short of a reference that finished) will never catch up: it
// is compared on that prefix too, and what the reference committed beyond it is missing.
enum class Comparison { whole, common_prefix, run_ended };

// Adds what two finished runs' final keyed state shows to a verdict of their whole outputs. A
// running aggregate's updates say how many records reached it, not whether its state kept them:
// approximate recovery (FLIP-135) restores the state of the latest checkpoint under sources that
// never rewind, so the records the aggregate counted since then are gone from its count while
// every update about them stays committed. Per key, records lost are raised to what the state
// lacks and records duplicated to what it holds in excess, where the outputs showed less. The
// state and the updates count the same records where they were lost on the way to the
// aggregate, so the larger of the two is taken, not their sum. (Keys are matched across
// aggregates and sinks: a job with several running aggregates over the same keys may count a
// loss behind one aggregate and another dropped from the other's state as one.)
void add_final_state(ExactlyOnceVerdict& verdict, const std::vector<model::CommittedRecord>& run_output,
                     const std::vector<model::CommittedRecord>& reference_output,
                     const FinalKeyedState& run_state, const FinalKeyedState& reference_state);

ExactlyOnceVerdict compare_with_reference(const std::vector<model::CommittedRecord>& run,
                                          const std::vector<model::CommittedRecord>& reference,
                                          Comparison comparison = Comparison::whole);

}  // namespace flinksim::checks
