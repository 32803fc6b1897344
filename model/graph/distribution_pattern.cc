#include "model/graph/distribution_pattern.h"

#include "model/graph/text.h"

namespace flinksim::graph {

DistributionPattern distribution_of(Partitioner partitioner) {
  switch (partitioner) {
    case Partitioner::forward:
    case Partitioner::rescale: return DistributionPattern::pointwise;
    case Partitioner::rebalance:
    case Partitioner::hash:
    case Partitioner::broadcast: return DistributionPattern::all_to_all;
  }
  return DistributionPattern::all_to_all;
}

std::string_view to_string(DistributionPattern pattern) {
  return pattern == DistributionPattern::pointwise ? "pointwise" : "all_to_all";
}

std::string_view to_string(Partitioner partitioner) {
  switch (partitioner) {
    case Partitioner::forward: return "forward";
    case Partitioner::rescale: return "rescale";
    case Partitioner::rebalance: return "rebalance";
    case Partitioner::hash: return "hash";
    case Partitioner::broadcast: return "broadcast";
  }
  return "?";
}

std::optional<DistributionPattern> parse_distribution_pattern(std::string_view text) {
  const std::string wanted = normalize_enum_text(text);
  for (DistributionPattern p : {DistributionPattern::pointwise, DistributionPattern::all_to_all}) {
    if (wanted == to_string(p)) return p;
  }
  return std::nullopt;
}

std::optional<Partitioner> parse_partitioner(std::string_view text) {
  const std::string wanted = normalize_enum_text(text);
  for (Partitioner p : {Partitioner::forward, Partitioner::rescale, Partitioner::rebalance,
                        Partitioner::hash, Partitioner::broadcast}) {
    if (wanted == to_string(p)) return p;
  }
  return std::nullopt;
}

}  // namespace flinksim::graph
