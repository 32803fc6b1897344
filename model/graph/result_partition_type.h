#pragma once

// Flink's ResultPartitionType (flink-runtime io/network/partition/ResultPartitionType.java) and
// the properties the failover and region code depend on.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace flinksim::graph {

enum class ResultPartitionType {
  blocking,
  blocking_persistent,
  pipelined,
  pipelined_bounded,
  pipelined_approximate,
  hybrid_full,
  hybrid_selective,
};

inline constexpr std::array<ResultPartitionType, 7> all_result_partition_types = {
    ResultPartitionType::blocking,          ResultPartitionType::blocking_persistent,
    ResultPartitionType::pipelined,         ResultPartitionType::pipelined_bounded,
    ResultPartitionType::pipelined_approximate, ResultPartitionType::hybrid_full,
    ResultPartitionType::hybrid_selective,
};

// When a consumer may start relative to its producer (Flink's ConsumingConstraint).
enum class ConsumingConstraint { blocking, can_be_pipelined, must_be_pipelined };

// Who releases the partition once it has been consumed (Flink's ReleaseBy).
enum class ReleasedBy { upstream, scheduler };

struct ResultPartitionTypeProperties {
  bool reconsumable;
  bool bounded;
  bool persistent;
  ConsumingConstraint consuming_constraint;
  ReleasedBy released_by;
};

// The properties table of FLINK_FACTS.md §1.3.
ResultPartitionTypeProperties properties_of(ResultPartitionType type);

// Only PIPELINED and PIPELINED_BOUNDED tie producer and consumer into one pipelined region.
bool must_be_pipelined_consumed(ResultPartitionType type);
// The partition can be read again after a consumer restarts (BLOCKING*, HYBRID_FULL).
bool is_reconsumable(ResultPartitionType type);

// Lower-case snake_case spelling as in the scenario format ("pipelined_bounded").
std::string_view to_string(ResultPartitionType type);
// Flink's enum name ("PIPELINED_BOUNDED").
std::string flink_name(ResultPartitionType type);
// Case-insensitive; '-' and '_' are interchangeable.
std::optional<ResultPartitionType> parse_result_partition_type(std::string_view text);

}  // namespace flinksim::graph
