#pragma once

// Every metric a run reports, defined once: `flinksim help metrics` prints these definitions and
// docs/metrics.md holds them as `flinksim help metrics --markdown` writes them (a CLI test keeps
// the two equal and checks that every key of `run --json`'s recovery and exactly_once objects
// has a definition here).

#include <string>
#include <string_view>
#include <vector>

namespace flinksim::scenarios {

struct MetricDefinition {
  std::string_view name;                    // as the text summary prints it: "recovery time"
  std::vector<std::string_view> json_keys;  // where `run --json` puts it: "recovery.recovery_time_ms"
  std::string_view definition;              // sentences
};

const std::vector<MetricDefinition>& metric_definitions();

// One entry per metric: the name and keys on a line, the definition wrapped beneath, indented.
std::string metrics_help_text();
// One list item per metric, for docs/metrics.md.
std::string metrics_markdown();

}  // namespace flinksim::scenarios
