#include "property_tests/run_verdicts.h"

#include <string>

#include "sim/time.h"

namespace flinksim::property_tests {

Violation expect_finished(const scenarios::RunOutcome& outcome, std::string_view which) {
  if (outcome.metrics.final_status == model::JobStatus::finished) return std::nullopt;
  return std::string(which) + " ended " +
         std::string(model::to_string(outcome.metrics.final_status)) + " at " +
         sim::format_seconds(outcome.virtual_time) + " after " +
         std::to_string(outcome.metrics.failovers) + " failovers, expected FINISHED";
}

}  // namespace flinksim::property_tests
