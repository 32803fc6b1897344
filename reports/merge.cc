#include "reports/merge.h"

#include <filesystem>
#include <memory>

#include "reports/results_store.h"
#include "reports/store_error.h"

namespace flinksim::reports {
namespace {

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return std::filesystem::exists(a) && std::filesystem::exists(b) &&
         std::filesystem::equivalent(a, b, error);
}

}  // namespace

std::vector<MergeInputSummary> merge_results(const std::string& output, const std::vector<std::string>& inputs) {
  std::vector<std::unique_ptr<ResultsStore>> sources;
  for (const std::string& input : inputs) {
    if (same_file(input, output)) throw StoreError(input + ": is the merge output itself");
    sources.push_back(std::make_unique<ResultsStore>(input, OpenMode::read_only));
  }
  ResultsStore target(output, OpenMode::read_write);
  std::vector<MergeInputSummary> summaries;
  for (const std::unique_ptr<ResultsStore>& source : sources) {
    const std::vector<RunRecord> records = source->records();
    summaries.push_back({source->path(), records.size(), target.insert_all(records)});
  }
  return summaries;
}

}  // namespace flinksim::reports
