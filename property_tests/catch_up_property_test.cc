// Goal: catch-up (issue 18) is never reported before the job recovered, and reading a log's
// backlog as fast as the pipeline allows keeps the output exactly-once. Method: RapidCheck
// generates the exactly-once shape (jobs, clusters, checkpoint settings, healing fault
// schedules) and makes every source a Kafka-like log (`backlog: log`), which after a restore
// reads what the log grew meanwhile at the pipeline's pace; each case runs with its faults and
// without. Whenever the run reports a catch-up time, it is at least the recovery time of the
// same (last) failure episode - the figure a user reads as "back to real time" cannot precede
// "running again" - and the committed output equals the failure-free reference. Few cases:
// the same runs as the exactly-once property, with a different pacing after restores.
// What it does not reach: the generated outages are short (seconds at 200-500 records/s), so a
// backlog mostly fits into the network buffers and the catch-up ends with the recovery (at
// seed 1 every case that caught up did so exactly at its recovery); backlogs that take long
// to work off are scenarios/tests/catch_up_scenario_test.cc and the library's
// catch-up-after-five-minute-outage.
#include <gtest/gtest.h>

#include "property_tests/property_check.h"
#include "property_tests/run_verdicts.h"
#include "property_tests/scenario_loading.h"

namespace flinksim::property_tests {
namespace {

GeneratedScenario with_log_sources(GeneratedScenario scenario) {
  for (GeneratedVertex& vertex : scenario.job.vertices) {
    if (vertex.kind == graph::OperatorKind::source) vertex.log_backlog = true;
  }
  return scenario;
}

// From the last episode's fault until every task ran again, when that episode recovered.
std::optional<int64_t> last_recovery_ms(const model::RunMetrics& metrics) {
  if (!metrics.last_episode_start || !metrics.last_episode_recovered) return std::nullopt;
  if (*metrics.last_episode_recovered < *metrics.last_episode_start) return std::nullopt;
  return (*metrics.last_episode_recovered - *metrics.last_episode_start).count_milliseconds();
}

Violation caught_up_after_recovery(const scenarios::RunResult& result) {
  const std::optional<int64_t> caught_up = result.caught_up_ms();
  const std::optional<int64_t> recovery = last_recovery_ms(result.run.metrics);
  if (!caught_up || !recovery || *caught_up >= *recovery) return std::nullopt;
  return "caught up " + std::to_string(*caught_up) + " ms after the last episode's fault, before it recovered (" +
         std::to_string(*recovery) + " ms)";
}

Violation log_sources_catch_up_exactly_once(const GeneratedScenario& scenario) {
  const scenarios::RunResult result = scenarios::run_scenario(load_generated(scenario));
  if (Violation violation = expect_finished(result.reference, "failure-free reference")) return violation;
  if (Violation violation = expect_finished(result.run, "faulty run")) return violation;
  if (Violation violation = caught_up_after_recovery(result)) return violation;
  return expect_exactly_once(result);
}

TEST(CatchUpProperty, LogSourcesCatchUpAfterRecoveringAndStayExactlyOnce) {
  ScenarioShape shape;
  shape.name = "catch-up";
  shape.delivery = graph::SinkDelivery::exactly_once;
  shape.modes = {CheckpointingMode::exactly_once};
  shape.expect = ExpectedOutcome{.finished = true, .exactly_once = true};
  check_property({.name = shape.name, .cases = 40}, rc::gen::map(generate_scenario(shape), with_log_sources),
                 log_sources_catch_up_exactly_once);
}

}  // namespace
}  // namespace flinksim::property_tests
