#include "scenarios/committed_output.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace flinksim::scenarios {

void write_committed_output(const graph::JobGraph& job, const std::vector<model::CommittedRecord>& output,
                            std::ostream& out) {
  for (const model::CommittedRecord& c : output) {
    nlohmann::ordered_json line;
    // The sink operator's own name, also when it runs chained behind other operators.
    const graph::JobVertex& vertex = job.vertex(c.sink.vertex);
    line["sink"] = vertex.sink() ? vertex.sink()->name : vertex.name;
    line["key"] = fmt::format("k{}", c.record.key);
    if (c.record.window_end >= 0) line["window_end_ms"] = c.record.window_end / 1'000'000;
    line["value"] = c.record.value;
    line["sources"] = c.record.lineage.count;
    out << line.dump() << "\n";
  }
}

}  // namespace flinksim::scenarios
