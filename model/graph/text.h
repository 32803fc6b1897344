#pragma once

// Small text helpers shared by the graph module's enum parsers and id formatting.

#include <string>
#include <string_view>

namespace flinksim::graph {

// Lower-case, with '-' turned into '_', so "ALL-TO-ALL", "all_to_all" and "All_To_All" compare
// equal (the scenario format accepts Flink's enum names and kebab-case alike).
std::string normalize_enum_text(std::string_view text);

}  // namespace flinksim::graph
