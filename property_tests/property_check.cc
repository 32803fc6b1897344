#include "property_tests/property_check.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>

#include "property_tests/scenario_yaml.h"

namespace flinksim::property_tests {
namespace {

struct Failure {
  GeneratedScenario scenario;
  std::string violation;
};

std::filesystem::path scratch_directory() {
  const char* directory = std::getenv("TMPDIR");
  return directory != nullptr && *directory != '\0' ? directory : "/tmp";
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

// FNV-1a 64 of the property's name.
uint64_t name_hash(const std::string& name) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

// RC_PARAMS="max_success=N" applies to every property; otherwise each property runs its own
// number of cases, sized for the `property` label's time budget. Each property draws from its
// own stream (RapidCheck's seed mixed with the property's name): with one seed for all, every
// property would check the same sequence of scenarios.
rc::detail::TestParams params_for(const PropertySettings& settings) {
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.seed ^= name_hash(settings.name);
  const char* rc_params = std::getenv("RC_PARAMS");
  if (rc_params == nullptr ||
      std::string_view(rc_params).find("max_success") == std::string_view::npos) {
    params.maxSuccess = settings.cases;
  }
  return params;
}

// Exceptions (a scenario the loader rejects, a runner error) are violations like any other, so
// RapidCheck shrinks them too.
Violation evaluate(const ScenarioProperty& property, const GeneratedScenario& scenario) {
  try {
    return property(scenario);
  } catch (const std::exception& error) {
    return std::string("exception: ") + error.what();
  }
}

std::string test_id() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::string(info->test_suite_name()) + "/" + info->name();
}

// The seed RC_PARAMS="seed=N" sets; each property mixes its name into it.
uint64_t rapidcheck_seed() {
  return rc::detail::configuration().testParams.seed;
}

std::string counterexample_header(const PropertySettings& settings, const Failure& failure) {
  return "Counterexample to the property '" + settings.name + "', shrunk by RapidCheck (seed " +
         std::to_string(rapidcheck_seed()) + ").\nViolation: " + failure.violation +
         "\nReplay: flinksim run " + counterexample_path(settings.name).string();
}

// How big a shrunk case is, so that a planted-bug test (cmake/run_planted_bug.cmake) can report
// it: vertices, tasks (subtasks of all vertices), TaskManagers, faults, and the lines of its YAML
// that are not comments.
std::string scenario_size(const GeneratedScenario& scenario) {
  int64_t tasks = 0;
  for (const GeneratedVertex& vertex : scenario.job.vertices) tasks += vertex.parallelism;
  std::istringstream yaml(to_yaml(scenario, ""));
  int64_t lines = 0;
  for (std::string line; std::getline(yaml, line);) {
    if (!line.empty() && line.front() != '#') ++lines;
  }
  return std::to_string(scenario.job.vertices.size()) + " vertices, " + std::to_string(tasks) +
         " tasks, " + std::to_string(scenario.cluster.taskmanagers) + " taskmanagers, " +
         std::to_string(scenario.faults.size()) + " faults, " + std::to_string(lines) +
         " yaml lines";
}

// One line a script can parse: the generated cases up to the first failure (RapidCheck's
// successes plus the failing one), the shrink steps RapidCheck took, and the shrunk size.
std::string failure_summary(const PropertySettings& settings, const rc::detail::TestResult& result,
                            const Failure& failure) {
  rc::detail::FailureResult failed;
  if (!result.match(failed)) return {};
  return "property '" + settings.name + "' failed after " + std::to_string(failed.numSuccess + 1) +
         " generated cases and " + std::to_string(failed.reproduce.shrinkPath.size()) +
         " shrink steps, shrunk to " + scenario_size(failure.scenario);
}

void report_failure(const PropertySettings& settings, const rc::detail::TestResult& result,
                    const std::optional<Failure>& failure) {
  if (failure) std::cout << failure_summary(settings, result, *failure) << std::endl;
  std::ostringstream message;
  rc::detail::printResultMessage(result, message);
  message << "\nSEED=" << rapidcheck_seed()
          << " (RapidCheck; RC_PARAMS=\"seed=" << rapidcheck_seed() << "\" replays every property)";
  if (failure) {
    const std::filesystem::path path = counterexample_path(settings.name);
    write_file(path, to_yaml(failure->scenario, counterexample_header(settings, *failure)));
    message << "\nviolation: " << failure->violation << "\nshrunk scenario (simulation seed "
            << failure->scenario.seed << ") written to " << path.string()
            << "\nreplay: flinksim run " << path.string();
  }
  ADD_FAILURE() << "property '" << settings.name << "' violated\n" << message.str();
}

}  // namespace

std::filesystem::path counterexample_path(const std::string& property) {
  return scratch_directory() / ("flinksim-counterexample-" + property + ".yaml");
}

std::filesystem::path in_flight_path(const std::string& property) {
  return scratch_directory() / ("flinksim-in-flight-" + property + ".yaml");
}

void check_property(const PropertySettings& settings, const rc::Gen<GeneratedScenario>& generator,
                    const ScenarioProperty& property) {
  const rc::detail::TestParams params = params_for(settings);
  const std::filesystem::path in_flight = in_flight_path(settings.name);
  // RapidCheck accepts a shrink only if it fails too, so the last failing case is the shrunk one.
  std::optional<Failure> last_failure;
  int cases = 0;
  const auto testable = [&] {
    const GeneratedScenario scenario = *generator;
    write_file(in_flight, to_yaml(scenario, "In flight: the case property '" + settings.name +
                                                "' was checking when the process stopped."));
    ++cases;
    const Violation violation = evaluate(property, scenario);
    if (violation) {
      last_failure = Failure{scenario, *violation};
      RC_FAIL(*violation);
    }
  };
  rc::detail::TestMetadata metadata;
  metadata.id = test_id();
  metadata.description = settings.name;
  const auto start = std::chrono::steady_clock::now();
  const rc::detail::TestResult result = rc::detail::checkTestable(testable, metadata, params);
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  std::filesystem::remove(in_flight);
  std::cout << "property '" << settings.name << "': " << cases << " cases run in " << wall.count()
            << " s (RapidCheck seed " << rapidcheck_seed() << ")" << std::endl;
  if (!result.template is<rc::detail::SuccessResult>()) {
    report_failure(settings, result, last_failure);
  }
}

}  // namespace flinksim::property_tests
