#include "property_tests/source_log_oracle.h"

#include <algorithm>

namespace flinksim::property_tests {
namespace {

bool has_kind(const GeneratedJob& job, graph::OperatorKind kind) {
  return std::any_of(job.vertices.begin(), job.vertices.end(),
                     [kind](const GeneratedVertex& vertex) { return vertex.kind == kind; });
}

}  // namespace

std::optional<SourceLogExpectation> source_log_expectation(const GeneratedJob& job) {
  const bool aggregate = has_kind(job, graph::OperatorKind::aggregate);
  if (has_kind(job, graph::OperatorKind::filter)) return std::nullopt;
  if (aggregate && has_kind(job, graph::OperatorKind::window)) return std::nullopt;
  SourceLogExpectation expectation;
  expectation.count_lineage = !aggregate;
  for (const GeneratedVertex& vertex : job.vertices) {
    if (vertex.kind != graph::OperatorKind::source) continue;
    expectation.records += vertex.records * job.broadcast_copies_after(vertex.name);
  }
  return expectation;
}

std::optional<std::string> check_against_source_log(
    const GeneratedJob& job, const std::vector<model::CommittedRecord>& committed) {
  const std::optional<SourceLogExpectation> expectation = source_log_expectation(job);
  if (!expectation) return std::nullopt;
  int64_t effects = 0;
  for (const model::CommittedRecord& record : committed) {
    effects += expectation->count_lineage ? static_cast<int64_t>(record.record.lineage.count) : 1;
  }
  if (effects == expectation->records) return std::nullopt;
  const std::string what = expectation->count_lineage ? "source records reflected"
                                                      : "aggregate updates committed";
  return std::to_string(effects) + " " + what + ", the source log gives " +
         std::to_string(expectation->records) + " (" +
         (effects < expectation->records ? "lost " + std::to_string(expectation->records - effects)
                                         : "duplicated " + std::to_string(effects - expectation->records)) +
         ")";
}

}  // namespace flinksim::property_tests
