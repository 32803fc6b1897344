#include "reports/report.h"

#include <algorithm>
#include <set>

namespace flinksim::reports {

Report::Report(const ResultsStore& store, const std::optional<Gnuplot>& gnuplot, std::string charts_absent)
    : database_(store.path()), records_(store.records()), charts_absent_(std::move(charts_absent)) {
  std::set<std::string> commits;
  for (const RunRecord& record : records_) commits.insert(record.commit);
  commits_.assign(commits.begin(), commits.end());
  std::vector<RunGroup> groups = group_runs(records_);
  for (RunGroup& group : groups) {
    if (sections_.empty() || sections_.back().scenario != group.scenario) {
      sections_.push_back({group.scenario, {}, {}});
    }
    sections_.back().groups.push_back(std::move(group));
  }
  if (!gnuplot) return;
  for (ReportSection& section : sections_) section.charts = draw_charts(*gnuplot, section.groups);
}

}  // namespace flinksim::reports
