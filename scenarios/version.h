#pragma once

// Which flinksim and which Flink: printed by `flinksim --version` and carried by every `--json`
// result, so a stored result can be traced to the code that produced it and the Flink behaviour
// it models.

#include <string_view>

namespace flinksim::scenarios {

// `git describe --always --dirty` of the source tree when the build was configured (cmake), or
// "unknown" outside a git checkout. Reconfigure to refresh it after a commit.
std::string_view flinksim_version();

// The Flink releases whose fault-tolerance behaviour the model follows.
inline constexpr std::string_view kModelledFlinkVersion = "1.20 / 2.0";

}  // namespace flinksim::scenarios
