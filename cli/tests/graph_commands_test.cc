// Goal: `flinksim regions`, `failover`, `backoff` and `graph` keep the contract of SCENARIOS.md
// §3: the JSON shapes and orders, Flink's answers on Flink's own test topologies, and bad input
// reported with file:line:col and exit code 2. Method: run the built binary on files written by
// the test and compare its output with values taken from Flink's tests or worked out by hand.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct GraphCommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

// A path in the temporary directory that no other test uses: ctest runs tests in parallel.
std::string temp_path(const std::string& name) {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + test->test_suite_name() + "." + test->name() + "." + name;
}

// Runs flinksim; `arguments` must already be shell-quoted where needed.
GraphCommandResult flinksim(const std::string& arguments) {
  const std::string err_path = temp_path("stderr.txt");
  const std::string command =
      std::string("'") + FLINKSIM_BINARY + "' " + arguments + " 2>'" + err_path + "'";
  GraphCommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t count = 0;
  while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.out.append(buffer.data(), count);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = slurp(err_path);
  return result;
}

std::string job_file(const std::string& name, const std::string& text) {
  const std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return "'" + path + "'";
}

nlohmann::json json_of(const GraphCommandResult& result) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return nlohmann::json::parse(result.out);
}

// RestartPipelinedRegionFailoverStrategyTest#testRegionFailoverForRegionInternalErrors, in the
// contract's YAML: parallelism-1 vertices, pointwise blocking edges.
const char* const kSixVertices = R"(job:
  vertices: [{name: v1}, {name: v2}, {name: v3}, {name: v4}, {name: v5}, {name: v6}]
  edges:
    - {from: v1, to: v4, distribution: pointwise, result: blocking}
    - {from: v1, to: v5, distribution: pointwise, result: blocking}
    - {from: v2, to: v4, distribution: pointwise, result: blocking}
    - {from: v2, to: v5, distribution: pointwise, result: blocking}
    - {from: v3, to: v6, distribution: pointwise, result: blocking}
)";

TEST(RegionsCommand, ExecutionLevel_SortedRegionsOfSortedTasks) {
  // source(4) -hash-> count(2) pipelined: one region; count -> sink pointwise blocking: one region
  // per sink subtask.
  const std::string file = job_file("wordcount.yaml", R"(job:
  vertices:
    - {name: source, parallelism: 4}
    - {name: count, parallelism: 2}
    - {name: sink, parallelism: 2}
  edges:
    - {from: source, to: count, partitioning: hash}
    - {from: count, to: sink, distribution: pointwise, result: blocking}
)");
  EXPECT_EQ(json_of(flinksim("regions " + file + " --json")),
            nlohmann::json::parse(R"j({"regions": [
              ["count (1/2)","count (2/2)","source (1/4)","source (2/4)","source (3/4)","source (4/4)"],
              ["sink (1/2)"], ["sink (2/2)"]]})j"));
  EXPECT_EQ(json_of(flinksim("regions " + file + " --level logical --json")),
            nlohmann::json::parse(R"({"regions": [["count","source"],["sink"]]})"));
}

TEST(RegionsCommand, CyclicDependentRegions_MergedAsFlinkTestExpects) {
  const std::string file = job_file("cyclic.yaml", R"(vertices: [{name: v1}, {name: v2}, {name: v3}, {name: v4}]
edges:
  - {from: v1, to: v2, distribution: pointwise, result: blocking}
  - {from: v1, to: v3, distribution: pointwise, result: pipelined}
  - {from: v2, to: v4, distribution: pointwise, result: blocking}
  - {from: v3, to: v4, distribution: pointwise, result: pipelined}
)");
  EXPECT_EQ(json_of(flinksim("regions " + file + " --json")),
            nlohmann::json::parse(R"j({"regions": [["v1 (1/1)","v2 (1/1)","v3 (1/1)","v4 (1/1)"]]})j"));
}

TEST(FailoverCommand, RegionInternalErrors_MatchFlinkTest) {
  const std::string file = job_file("six.yaml", kSixVertices);
  auto restart = [&](const std::string& task) {
    return json_of(flinksim("failover " + file + " --strategy region --fail " + task + " --json"))
        .at("restart");
  };
  EXPECT_EQ(restart("v1:0"), nlohmann::json::parse(R"j(["v1 (1/1)","v4 (1/1)","v5 (1/1)"])j"));
  EXPECT_EQ(restart("v2:0"), nlohmann::json::parse(R"j(["v2 (1/1)","v4 (1/1)","v5 (1/1)"])j"));
  EXPECT_EQ(restart("v3:0"), nlohmann::json::parse(R"j(["v3 (1/1)","v6 (1/1)"])j"));
  EXPECT_EQ(restart("v4:0"), nlohmann::json::parse(R"j(["v4 (1/1)"])j"));
}

TEST(FailoverCommand, PartitionErrorAndUnavailable_DragProducersIn) {
  const std::string file = job_file("six.yaml", kSixVertices);
  EXPECT_EQ(json_of(flinksim("failover " + file +
                             " --strategy region --fail v4:0 --partition-error 'v1->v4/0' --json")),
            nlohmann::json::parse(R"j({"restart": ["v1 (1/1)","v4 (1/1)","v5 (1/1)"]})j"));
  EXPECT_EQ(json_of(flinksim("failover " + file +
                             " --fail v5:0 --unavailable 'v2->v5/0' --unavailable 'v1->v5/0' --json")),
            nlohmann::json::parse(R"j({"restart": ["v1 (1/1)","v2 (1/1)","v4 (1/1)","v5 (1/1)"]})j"));
}

TEST(FailoverCommand, StrategiesAndAliases) {
  const std::string file = job_file("chain.yaml", R"(job:
  vertices: [{name: a, parallelism: 2}, {name: b, parallelism: 2}, {name: c, parallelism: 1}]
  edges:
    - {from: a, to: b, partitioning: forward}
    - {from: b, to: c, partitioning: rebalance}
)");
  // a -> b is a forward edge of equal parallelism: chained into the tasks "a -> b (i/2)"
  // (StreamingJobGraphGenerator#isChainable); --fail b:1 names the task holding b's subtask 1.
  const auto all = nlohmann::json::parse(R"j(["a -> b (1/2)","a -> b (2/2)","c (1/1)"])j");
  EXPECT_EQ(json_of(flinksim("failover " + file + " --strategy full --fail b:1 --json"))["restart"], all);
  EXPECT_EQ(json_of(flinksim("failover " + file + " --strategy restart-all --fail b:1 --json"))["restart"], all);
  // Streaming, all edges pipelined and connected through the rebalance: one region.
  EXPECT_EQ(json_of(flinksim("failover " + file + " --strategy region --fail b:1 --json"))["restart"], all);
  // Approximate local recovery: the failed task and everything downstream (FLIP-135).
  const auto downstream = nlohmann::json::parse(R"j(["a -> b (2/2)","c (1/1)"])j");
  EXPECT_EQ(json_of(flinksim("failover " + file + " --strategy approximate --fail b:1 --json"))["restart"], downstream);
  EXPECT_EQ(json_of(flinksim("failover " + file + " --strategy approximate-local --fail b:1 --json"))["restart"], downstream);
}

TEST(FailoverCommand, BadTaskOrStrategy_Exit2WithMessage) {
  const std::string file = job_file("six.yaml", kSixVertices);
  auto result = flinksim("failover " + file + " --fail v9:0 --json");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unknown vertex 'v9'"), std::string::npos) << result.err;
  result = flinksim("failover " + file + " --strategy individual --fail v1:0");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unknown failover strategy 'individual'"), std::string::npos);
  result = flinksim("failover " + file + " --fail v1:0 --unavailable 'v1->v6/0'");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("no edge 'v1->v6'"), std::string::npos) << result.err;
}

TEST(JobFileErrors, UnknownKeysVerticesDuplicatesForwardAndCycle_FileLineColumn) {
  const std::string file = job_file("bad.yaml", R"(job:
  vertices:
    - {name: a, parallelism: 2}
    - {name: b, paralelism: 4}
    - {name: a}
    - {name: c, parallelism: 4, max-parallelism: 2}
  edges:
    - {from: a, to: bb}
    - {from: a, to: c, partitioning: forward}
)");
  const auto result = flinksim("regions " + file + " --json");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.out.empty());
  const std::string path = temp_path("bad.yaml");
  EXPECT_NE(result.err.find(path + ":4:17: error: unknown key 'paralelism' (did you mean "
                                   "'parallelism'?) in 'job.vertices[1]'"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(path + ":5:14: error: duplicate vertex name 'a'"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(":6:30: error: parallelism 4 is larger than max-parallelism 2 in "
                            "'job.vertices[3].parallelism'"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(":8:21: error: unknown vertex 'bb' (did you mean 'b'?) in "
                            "'job.edges[0].to'"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("forward partitioning does not allow a change of parallelism"),
            std::string::npos)
      << result.err;

  const std::string cycle = job_file("cycle.yaml", R"(vertices: [{name: a}, {name: b}]
edges:
  - {from: a, to: b}
  - {from: b, to: a, result: blocking}
)");
  const auto cyclic = flinksim("regions " + cycle);
  EXPECT_EQ(cyclic.exit_code, 2);
  EXPECT_NE(cyclic.err.find(":3:5: error: the job graph has a cycle: a -> b -> a in 'job.edges[0]'"),
            std::string::npos)
      << cyclic.err;
}

TEST(BackoffCommand, ContractExample_ErrorThenAttemptThenRemainingTime) {
  const std::string file = job_file("steps.yaml", R"(config: {restart-strategy.type: exponential-delay, restart-strategy.exponential-delay.initial-backoff: 1 ms}
seed: 7
steps:
  - {at: 0 ms, op: backoff_time}
  - {at: 0 ms, op: notify_failure}
  - {at: 0 ms, op: can_restart}
  - {at: 0 ms, op: backoff_time}
  - {at: 0 ms, op: notify_failure}
)");
  EXPECT_EQ(json_of(flinksim("backoff " + file + " --json")), nlohmann::json::parse(R"({"results": [
      {"error": "Please call notifyFailure first."}, {"new_attempt": true}, {"value": true},
      {"ms": 1}, {"new_attempt": false}]})"));
}

TEST(BackoffCommand, FixedDelayWithFlinkAlias_ThreeRestartsThenRefused) {
  const std::string file = job_file("fixed.yaml", R"(config:
  restart-strategy.type: fixeddelay
  restart-strategy.fixed-delay.attempts: 2
  restart-strategy.fixed-delay.delay: 10 s
steps:
  - {at: 0 ms, op: notify_failure}
  - {at: 0 ms, op: can_restart}
  - {at: 0 ms, op: backoff_time}
  - {at: 20 s, op: notify_failure}
  - {at: 20 s, op: can_restart}
  - {at: 40 s, op: notify_failure}
  - {at: 40 s, op: can_restart}
)");
  EXPECT_EQ(json_of(flinksim("backoff " + file + " --json")), nlohmann::json::parse(R"({"results": [
      {"new_attempt": true}, {"value": true}, {"ms": 10000}, {"new_attempt": true},
      {"value": true}, {"new_attempt": true}, {"value": false}]})"));
}

TEST(BackoffCommand, DefaultChoice_NoneWithoutCheckpointingExponentialWith) {
  const std::string none = job_file("default_none.yaml", R"(steps:
  - {at: 0 ms, op: notify_failure}
  - {at: 0 ms, op: can_restart}
)");
  EXPECT_EQ(json_of(flinksim("backoff " + none + " --json"))["results"][1],
            nlohmann::json::parse(R"({"value": false})"));
  // Checkpointing on: exponential-delay with Flink's defaults (1 s initial, jitter 0.1 -> the
  // first backoff lies in [1000, 1100] after clamping at the initial backoff).
  const std::string exponential = job_file("default_exp.yaml", R"(config: {execution.checkpointing.interval: 5 s}
steps:
  - {at: 0 ms, op: notify_failure}
  - {at: 0 ms, op: can_restart}
  - {at: 0 ms, op: backoff_time}
)");
  const auto results = json_of(flinksim("backoff " + exponential + " --json"))["results"];
  EXPECT_EQ(results[1], nlohmann::json::parse(R"({"value": true})"));
  EXPECT_GE(results[2]["ms"].get<int64_t>(), 1000);
  EXPECT_LE(results[2]["ms"].get<int64_t>(), 1100);
}

TEST(BackoffCommand, InvalidStrategyOrStep_Exit2) {
  const std::string invalid = job_file("invalid.yaml", R"(config:
  restart-strategy.type: exponential-delay
  restart-strategy.exponential-delay.initial-backoff: 5 s
  restart-strategy.exponential-delay.max-backoff: 1 s
steps: []
)");
  auto result = flinksim("backoff " + invalid + " --json");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("Initial backoff cannot be higher than maximum backoff."),
            std::string::npos)
      << result.err;
  const std::string bad_op = job_file("bad_op.yaml", R"(steps:
  - {at: 0 ms, op: notify}
)");
  result = flinksim("backoff " + bad_op + " --json");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(":2:20: error: unknown value 'notify'"), std::string::npos)
      << result.err;
}

TEST(GraphCommand, DotColoursTasksByRegion) {
  const std::string file = job_file("six.yaml", kSixVertices);
  const auto result = flinksim("graph " + file + " --dot");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("digraph ", 0), 0u);
  EXPECT_NE(result.out.find("\"v1 (1/1)\" -> \"v4 (1/1)\" [style=dashed"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("fillcolor="), std::string::npos);
  const auto text = flinksim("graph " + file);
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("6 pipelined regions"), std::string::npos) << text.out;
}

}  // namespace
