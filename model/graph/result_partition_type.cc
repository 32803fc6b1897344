#include "model/graph/result_partition_type.h"

#include <algorithm>

#include "model/graph/text.h"

namespace flinksim::graph {

ResultPartitionTypeProperties properties_of(ResultPartitionType type) {
  using enum ConsumingConstraint;
  using enum ReleasedBy;
  switch (type) {
    case ResultPartitionType::blocking: return {true, false, false, blocking, scheduler};
    case ResultPartitionType::blocking_persistent: return {true, false, true, blocking, scheduler};
    case ResultPartitionType::pipelined: return {false, false, false, must_be_pipelined, upstream};
    case ResultPartitionType::pipelined_bounded:
      return {false, true, false, must_be_pipelined, upstream};
    case ResultPartitionType::pipelined_approximate:
      return {false, true, false, can_be_pipelined, upstream};
    case ResultPartitionType::hybrid_full: return {true, false, false, can_be_pipelined, scheduler};
    case ResultPartitionType::hybrid_selective:
      return {false, false, false, can_be_pipelined, scheduler};
  }
  return {false, false, false, blocking, scheduler};
}

bool must_be_pipelined_consumed(ResultPartitionType type) {
  return properties_of(type).consuming_constraint == ConsumingConstraint::must_be_pipelined;
}

bool is_reconsumable(ResultPartitionType type) { return properties_of(type).reconsumable; }

std::string_view to_string(ResultPartitionType type) {
  switch (type) {
    case ResultPartitionType::blocking: return "blocking";
    case ResultPartitionType::blocking_persistent: return "blocking_persistent";
    case ResultPartitionType::pipelined: return "pipelined";
    case ResultPartitionType::pipelined_bounded: return "pipelined_bounded";
    case ResultPartitionType::pipelined_approximate: return "pipelined_approximate";
    case ResultPartitionType::hybrid_full: return "hybrid_full";
    case ResultPartitionType::hybrid_selective: return "hybrid_selective";
  }
  return "?";
}

std::string flink_name(ResultPartitionType type) {
  std::string name(to_string(type));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

std::optional<ResultPartitionType> parse_result_partition_type(std::string_view text) {
  const std::string wanted = normalize_enum_text(text);
  for (ResultPartitionType type : all_result_partition_types) {
    if (wanted == to_string(type)) return type;
  }
  return std::nullopt;
}

}  // namespace flinksim::graph
