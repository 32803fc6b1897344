// Goal: `make demo` builds only what the demo needs, the flinksim executable, while `make test`
// still builds everything (issue 21: the demo built all targets, 34 min on a busy 2-core
// machine). Method: `make -n` prints the recipes without running them.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

std::string dry_run(const std::string& target) {
  const std::string command = std::string("make -n -C '") + FLINKSIM_SOURCE_DIR + "' " + target +
                              " BUILD_DIR=/nonexistent-flinksim-build 2>&1";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer{};
  size_t count = 0;
  while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), count);
  pclose(pipe);
  return out;
}

TEST(MakeDemo, BuildsOnlyTheFlinksimTarget) {
  const std::string demo = dry_run("demo");
  EXPECT_NE(demo.find("cmake --build /nonexistent-flinksim-build -j"), std::string::npos) << demo;
  EXPECT_NE(demo.find("--target flinksim"), std::string::npos) << demo;
  EXPECT_NE(demo.find("scripts/demo.sh /nonexistent-flinksim-build"), std::string::npos) << demo;
}

TEST(MakeTest, StillBuildsEverything) {
  const std::string test = dry_run("test");
  EXPECT_NE(test.find("cmake --build /nonexistent-flinksim-build -j"), std::string::npos) << test;
  EXPECT_EQ(test.find("--target"), std::string::npos) << test;
}

}  // namespace
