#pragma once

// `flinksim report`: everything a comparison report shows, built from the results database alone
// — per scenario, the groups of runs (strategy, varied value), their tables and charts — and its
// two renderings: one self-contained HTML file with the SVG charts inlined, and Markdown that
// links SVG files written beside it.

#include <optional>
#include <string>
#include <vector>

#include "reports/charts.h"
#include "reports/gnuplot.h"
#include "reports/results_store.h"
#include "reports/run_groups.h"

namespace flinksim::reports {

struct ReportSection {
  std::string scenario;
  std::vector<RunGroup> groups;
  ChartSet charts;
};

class Report {
 public:
  // Reads every run of `store`; draws charts when `gnuplot` is given, otherwise notes
  // `charts_absent` (why there is no gnuplot) in the report.
  Report(const ResultsStore& store, const std::optional<Gnuplot>& gnuplot, std::string charts_absent);
  Report(const Report&) = delete;
  Report& operator=(const Report&) = delete;

  const std::string& database() const { return database_; }
  size_t runs() const { return records_.size(); }
  const std::vector<std::string>& commits() const { return commits_; }
  const std::vector<ReportSection>& sections() const { return sections_; }
  const std::string& charts_absent() const { return charts_absent_; }

 private:
  std::string database_;
  std::vector<RunRecord> records_;  // the groups point into it
  std::vector<std::string> commits_;
  std::vector<ReportSection> sections_;
  std::string charts_absent_;
};

std::string render_html(const Report& report);

// Markdown; chart i of section s is linked as "<chart_stem>-<s>-<name>.svg" (relative to the
// Markdown file); write_markdown_report writes those files.
std::string render_markdown(const Report& report, const std::string& chart_stem);
// Writes `path` and the SVG files it links, beside it. Throws std::runtime_error naming a file
// that cannot be written.
void write_markdown_report(const Report& report, const std::string& path);
void write_html_report(const Report& report, const std::string& path);

}  // namespace flinksim::reports
