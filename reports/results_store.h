#pragma once

// The results database: one row per run (run_record.h) in SQLite. Every insert is its own
// transaction (or one transaction for a batch), the database runs in WAL mode, so a process
// killed at any moment loses at most the runs it had not committed and never corrupts the file.
// A run whose key is already stored is not inserted again (UNIQUE constraint), which is what makes
// `sweep --resume` and `merge` exact.
//
// Only one thread may use a ResultsStore; sweeps funnel every write through the thread that owns
// it (sweep_runner.h).

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "reports/run_record.h"

namespace flinksim::reports {

enum class OpenMode {
  read_only,     // report, merge inputs: the file must exist and be a flinksim database
  read_write,    // sweep, compare, merge output: created when missing
};

class ResultsStore {
 public:
  // Opens and checks the database; throws StoreError naming `path` when it cannot be opened or
  // written, is corrupt, is not a flinksim database, or has a newer schema version.
  ResultsStore(const std::string& path, OpenMode mode);
  ~ResultsStore();
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  const std::string& path() const { return path_; }
  int schema_version() const;

  // Inserts the run and its series in one transaction; false (and nothing written) when a run
  // with the same key is already stored.
  bool insert(const RunRecord& record);
  // Inserts every run not yet stored in one transaction; returns how many were inserted.
  size_t insert_all(std::span<const RunRecord> records);

  std::set<RunKey> keys() const;
  size_t size() const;
  // Every run with its series, ordered by (scenario, strategy, vary_value, overrides, seed,
  // scenario_hash): an order that depends only on the contents, not on insertion order.
  std::vector<RunRecord> records() const;

 private:
  bool insert_unlocked(const RunRecord& record);
  void open_checked(OpenMode mode);
  void check_tables() const;
  std::set<RunKey> read_keys() const;
  std::vector<RunRecord> read_records() const;
  // Runs `operation`; a SQLite error (disk full, a damaged schema) becomes a StoreError naming
  // the file and what was being done.
  template <typename Operation>
  auto named(const char* doing, Operation operation) const;

  std::string path_;
  bool writable_ = false;
  std::unique_ptr<SQLite::Database> database_;
  // Prepared once, reused for every run: parsing the statement cost more than executing it.
  std::unique_ptr<SQLite::Statement> insert_run_;
  std::unique_ptr<SQLite::Statement> insert_point_;
};

}  // namespace flinksim::reports
