// Goal: the promises of `flinksim sweep` that only the real executable can show — a sweep killed
// with SIGKILL leaves an intact database and `--resume` completes exactly the missing runs; shards
// (by --shard or by the batch system's environment) merge into the unsharded sweep row for row;
// results do not depend on --jobs; bad input exits 2 naming the problem. Method: run the built
// flinksim on scenarios written by the test, inspect the databases through the store and SQLite.

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <set>
#include <thread>

#include "../test_support.h"
#include "reports/results_schema.h"
#include "reports/results_store.h"

extern char** environ;

namespace flinksim::reports {
namespace {

using testing::temp_path;

// Seeded task failures and network jitter: every seed gives a different run. Sources are slow
// and the run short, so that a run stays a few milliseconds however much detail the model gains.
const char* const kSeededScenario = R"(name: seeded
duration: 30 s
network: {latency: 1 ms, jitter: 200 us}
cluster: {taskmanagers: 2}
config:
  taskmanager.numberOfTaskSlots: 2
  jobmanager.execution.failover-strategy: region
  restart-strategy.type: fixed-delay
  restart-strategy.fixed-delay.attempts: 1000
  restart-strategy.fixed-delay.delay: 1 s
job:
  vertices:
    - {name: source, operator: source, parallelism: 2, rate: 20/s}
    - {name: sink, operator: sink, parallelism: 2}
  edges:
    - {from: source, to: sink, partitioning: forward}
faults:
  - random: {fail-task: 1/5s, until: 25 s}
)";

struct Process {
  pid_t pid = -1;
  std::string err_path;
};

// Starts flinksim with `arguments` and extra environment entries "NAME=VALUE"; stdout and stderr
// go to files.
Process start(const std::vector<std::string>& arguments, const std::vector<std::string>& environment = {}) {
  Process process;
  process.err_path = temp_path("stderr.txt");
  std::vector<std::string> argv_storage{FLINKSIM_BINARY};
  argv_storage.insert(argv_storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_storage) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage(environment);
  for (char** entry = environ; *entry != nullptr; ++entry) env_storage.emplace_back(*entry);
  std::vector<char*> envp;
  for (std::string& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, process.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  EXPECT_EQ(posix_spawn(&process.pid, FLINKSIM_BINARY, &actions, nullptr, argv.data(), envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  return process;
}

struct Finished {
  int exit_code = -1;
  std::string err;
};

Finished wait_for(const Process& process) {
  int status = 0;
  waitpid(process.pid, &status, 0);
  std::ifstream in(process.err_path);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, std::string(std::istreambuf_iterator<char>(in), {})};
}

Finished flinksim(const std::vector<std::string>& arguments, const std::vector<std::string>& environment = {}) {
  return wait_for(start(arguments, environment));
}

std::vector<RunRecord> records_of(const std::string& db) { return ResultsStore(db, OpenMode::read_only).records(); }

size_t stored_runs(const std::string& db) {
  try {
    return ResultsStore(db, OpenMode::read_only).size();
  } catch (const std::exception&) {
    return 0;  // not created yet
  }
}

std::map<uint64_t, std::string> trace_hash_by_seed(const std::vector<RunRecord>& records) {
  std::map<uint64_t, std::string> hashes;
  for (const RunRecord& record : records) hashes[record.key.seed] = record.metric_text("trace_hash").value_or("");
  return hashes;
}

TEST(SweepProcess, KilledSweepLeavesAnIntactDatabaseAndResumeCompletesExactlyTheMissingRuns) {
  const std::string scenario = testing::write_text(temp_path("seeded.yaml"), kSeededScenario);
  const std::string db = temp_path("killed.db");
  constexpr size_t kRuns = 5000;
  const std::vector<std::string> sweep{"sweep", scenario, "--seeds", "1..5000", "--jobs", "2", "--db", db, "--quiet"};
  const Process running = start(sweep);
  // Kill as soon as a few runs are committed: the sweep is then far from done.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (stored_runs(db) < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(kill(running.pid, SIGKILL), 0);
  wait_for(running);

  size_t survived = 0;
  {
    SQLite::Database database(db, SQLite::OPEN_READWRITE);
    EXPECT_EQ(database.execAndGet("PRAGMA integrity_check").getString(), "ok");
    survived = static_cast<size_t>(database.execAndGet("SELECT count(*) FROM runs").getInt64());
  }
  EXPECT_GE(survived, 5u);
  ASSERT_LT(survived, kRuns) << "the sweep finished before it was killed; the test proves nothing";

  const Finished without_resume = flinksim(sweep);
  EXPECT_EQ(without_resume.exit_code, 2);
  EXPECT_NE(without_resume.err.find("--resume"), std::string::npos) << without_resume.err;

  std::vector<std::string> resume = sweep;
  resume.push_back("--resume");
  const Finished resumed = flinksim(resume);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find(std::to_string(kRuns - survived) + " runs to do, " + std::to_string(survived) +
                             " already stored"),
            std::string::npos)
      << resumed.err;
  SQLite::Database database(db, SQLite::OPEN_READONLY);
  EXPECT_EQ(database.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM runs").getInt(), 5000);
  EXPECT_EQ(database.execAndGet("SELECT count(DISTINCT seed) FROM runs").getInt(), 5000);
  EXPECT_EQ(database.execAndGet("SELECT min(seed) || '..' || max(seed) FROM runs").getString(), "1..5000");
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM run_series WHERE run_id NOT IN (SELECT id FROM runs)")
                .getInt(),
            0);
}

TEST(SweepProcess, ShardsMergeIntoTheUnshardedSweepRowForRow) {
  const std::string scenario = testing::write_text(temp_path("seeded.yaml"), kSeededScenario);
  const std::vector<std::string> common{"sweep", scenario, "--seeds", "3..22", "--strategies", "full,region",
                                        "--quiet"};
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> arguments = common;
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return arguments;
  };
  const std::string whole = temp_path("whole.db");
  ASSERT_EQ(flinksim(with({"--db", whole, "--jobs", "2"})).exit_code, 0);
  const std::string shard0 = temp_path("shard0.db");
  const std::string shard1 = temp_path("shard1.db");
  const std::string shard2 = temp_path("shard2.db");
  ASSERT_EQ(flinksim(with({"--db", shard0, "--shard", "0/3"})).exit_code, 0);
  // The other two shards take their index from the batch systems' environment.
  ASSERT_EQ(flinksim(with({"--db", shard1}), {"JOB_COMPLETION_INDEX=1", "FLINKSIM_SHARDS=3"}).exit_code, 0);
  ASSERT_EQ(flinksim(with({"--db", shard2}), {"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=3"}).exit_code, 0);
  EXPECT_EQ(records_of(shard0).size(), 14u);  // seeds 3, 6, ..., 21: 7 seeds x 2 strategies
  EXPECT_EQ(records_of(shard1).size(), 14u);  // seeds 4, 7, ..., 22
  EXPECT_EQ(records_of(shard2).size(), 12u);  // seeds 5, 8, ..., 20

  const std::string merged = temp_path("merged.db");
  const Finished merge = flinksim({"merge", merged, shard0, shard1, shard2});
  ASSERT_EQ(merge.exit_code, 0) << merge.err;
  const std::vector<std::string> expected = testing::dump_without_wall_time(records_of(whole));
  EXPECT_EQ(expected.size(), 40u);
  EXPECT_EQ(testing::dump_without_wall_time(records_of(merged)), expected);
  EXPECT_EQ(flinksim({"merge", merged, shard1}).exit_code, 0);
  EXPECT_EQ(records_of(merged).size(), 40u);
}

TEST(SweepProcess, ResultsPerSeedDoNotDependOnTheNumberOfWorkers) {
  const std::string scenario = testing::write_text(temp_path("seeded.yaml"), kSeededScenario);
  const std::string one = temp_path("jobs1.db");
  const std::string two = temp_path("jobs2.db");
  ASSERT_EQ(flinksim({"sweep", scenario, "--seeds", "1..40", "--jobs", "1", "--db", one, "--quiet"}).exit_code, 0);
  ASSERT_EQ(flinksim({"sweep", scenario, "--seeds", "1..40", "--jobs", "2", "--db", two, "--quiet"}).exit_code, 0);
  const std::map<uint64_t, std::string> hashes = trace_hash_by_seed(records_of(one));
  ASSERT_EQ(hashes.size(), 40u);
  EXPECT_EQ(trace_hash_by_seed(records_of(two)), hashes);
  std::set<std::string> distinct;
  for (const auto& [seed, hash] : hashes) distinct.insert(hash);
  EXPECT_GT(distinct.size(), 30u) << "seeds should matter in this scenario, or the test cannot fail";
  EXPECT_EQ(testing::dump_without_wall_time(records_of(two)), testing::dump_without_wall_time(records_of(one)));
}

TEST(SweepProcess, VariedKeyIsStoredWithEveryRow) {
  const std::string scenario = testing::write_text(temp_path("seeded.yaml"), kSeededScenario);
  const std::string db = temp_path("vary.db");
  const Finished sweep = flinksim({"sweep", scenario, "--seeds", "1..3", "--db", db, "--quiet", "--vary",
                                   "restart-strategy.fixed-delay.delay=1 s,5 s"});
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  const std::vector<RunRecord> records = records_of(db);
  ASSERT_EQ(records.size(), 6u);
  std::map<std::string, int> per_value;
  for (const RunRecord& record : records) {
    EXPECT_EQ(record.vary_key, "restart-strategy.fixed-delay.delay");
    ++per_value[record.vary_value.value_or("")];
  }
  EXPECT_EQ(per_value, (std::map<std::string, int>{{"1 s", 3}, {"5 s", 3}}));
}

TEST(SweepProcess, UnusableDatabasesExitTwoNamingTheFile) {
  const std::string scenario = testing::write_text(temp_path("seeded.yaml"), kSeededScenario);
  const std::string future = temp_path("future.db");
  { ResultsStore store(future, OpenMode::read_write); }
  { SQLite::Database database(future, SQLite::OPEN_READWRITE);
    database.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1)); }
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"sweep", scenario, "--seeds", "1..2", "--db", future},
        std::vector<std::string>{"report", future, "-o", temp_path("r.html")},
        std::vector<std::string>{"merge", temp_path("out.db"), future}}) {
    const Finished result = flinksim(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments[0];
    EXPECT_NE(result.err.find(future + ": results database schema version 2 is newer"), std::string::npos)
        << result.err;
  }
  const std::string corrupt = testing::write_text(temp_path("corrupt.db"), std::string(8192, 'x'));
  const Finished result = flinksim({"sweep", scenario, "--seeds", "1..2", "--db", corrupt});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(corrupt + ": not a readable flinksim results database"), std::string::npos) << result.err;
  std::ifstream in(corrupt);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), std::string(8192, 'x'));
}

}  // namespace
}  // namespace flinksim::reports
