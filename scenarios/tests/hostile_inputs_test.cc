// Goal: nothing the loader is fed makes it crash, hang or allocate without bound. Method: every
// file in scenarios/tests/hostile/ — inputs the fuzz target (fuzz/scenario_loader_fuzz.cc) found
// and hand-made hostile ones (alias bombs, deep nesting, huge numbers, binary) — is loaded as a
// scenario (each must end in diagnostics that name the file, never in a spec) and as a job
// document (a graph or diagnostics, never a crash). Adding a file to the folder adds it to this test.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "scenarios/diagnostics.h"
#include "scenarios/job_loader.h"
#include "scenarios/scenario_loader.h"

namespace flinksim::scenarios {
namespace {

std::vector<std::string> hostile_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(FLINKSIM_HOSTILE_INPUTS_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(HostileInputs, FolderHoldsTheKnownCases) {
  // Guards against the folder silently going missing (the test below would then pass vacuously).
  const std::vector<std::string> files = hostile_files();
  EXPECT_GE(files.size(), 10u);
  const auto has = [&](const std::string& name) {
    return std::any_of(files.begin(), files.end(),
                       [&](const std::string& file) { return file.ends_with("/" + name); });
  };
  for (const char* name : {"alias-bomb.yaml", "deep-flow-nesting.yaml", "deep-block-nesting.yaml",
                           "huge-numbers.yaml", "binary.yaml", "fuzz-stray-comma.yaml"}) {
    EXPECT_TRUE(has(name)) << name;
  }
}

TEST(HostileInputs, EveryFileIsRejectedWithDiagnosticsNamingIt) {
  for (const std::string& file : hostile_files()) {
    SCOPED_TRACE(file);
    Diagnostics diagnostics;
    EXPECT_FALSE(load_scenario(file, diagnostics).has_value());
    ASSERT_FALSE(diagnostics.empty());
    for (const Diagnostic& diagnostic : diagnostics.errors()) {
      EXPECT_EQ(diagnostic.location.file, file);
      EXPECT_FALSE(diagnostic.message.empty());
    }
    // The edge type the CLI throws carries the same text.
    const InputError error(diagnostics);
    EXPECT_EQ(std::string(error.what()), diagnostics.format());

    // As a job document only the job section counts, which may well be fine; either way the
    // outcome is a graph or diagnostics, never both or neither.
    Diagnostics job_diagnostics;
    const bool loaded = load_job_file(file, job_diagnostics).has_value();
    EXPECT_NE(loaded, !job_diagnostics.empty());
  }
}

}  // namespace
}  // namespace flinksim::scenarios
