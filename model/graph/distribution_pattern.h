#pragma once

// How producer subtasks connect to consumer subtasks (Flink's DistributionPattern), and the
// stream partitioners that imply one.

#include <optional>
#include <string_view>

namespace flinksim::graph {

enum class DistributionPattern { pointwise, all_to_all };

// Flink's StreamPartitioner choices. forward and rescale are POINTWISE; rebalance, hash
// (keyBy) and broadcast are ALL_TO_ALL (StreamingJobGraphGenerator#connect).
enum class Partitioner { forward, rescale, rebalance, hash, broadcast };

DistributionPattern distribution_of(Partitioner partitioner);

std::string_view to_string(DistributionPattern pattern);
std::string_view to_string(Partitioner partitioner);
// Case-insensitive; '-' and '_' are interchangeable ("ALL_TO_ALL", "all-to-all").
std::optional<DistributionPattern> parse_distribution_pattern(std::string_view text);
std::optional<Partitioner> parse_partitioner(std::string_view text);

}  // namespace flinksim::graph
