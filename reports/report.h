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
#include "reports/graphviz_svg.h"
#include "reports/results_store.h"
#include "reports/run_groups.h"

namespace flinksim::reports {

// The job graph of one strategy's run: the tasks that failed and restarted, marked.
struct JobGraphView {
  std::string label;  // the group's label
  size_t tasks_failed = 0;
  size_t tasks_restarted = 0;
  std::string svg;    // empty when it could not be drawn
  std::string error;  // why not
};

struct ReportSection {
  std::string scenario;
  std::vector<RunGroup> groups;
  ChartSet charts;
  std::vector<JobGraphView> graphs;
};

class Report {
 public:
  // Reads every run of `store`; draws charts when `gnuplot` is given, otherwise notes
  // `charts_absent` (why there is no gnuplot) in the report; the same for job graphs and `dot`.
  Report(const ResultsStore& store, const std::optional<Gnuplot>& gnuplot, std::string charts_absent,
         const std::optional<Graphviz>& graphviz = std::nullopt,
         std::string graphs_absent = "no Graphviz dot was given");
  Report(const Report&) = delete;
  Report& operator=(const Report&) = delete;

  const std::string& database() const { return database_; }
  size_t runs() const { return records_.size(); }
  const std::vector<std::string>& commits() const { return commits_; }
  const std::vector<ReportSection>& sections() const { return sections_; }
  const std::string& charts_absent() const { return charts_absent_; }
  const std::string& graphs_absent() const { return graphs_absent_; }

 private:
  std::string database_;
  std::vector<RunRecord> records_;  // the groups point into it
  std::vector<std::string> commits_;
  std::vector<ReportSection> sections_;
  std::string charts_absent_;
  std::string graphs_absent_;
};

// The groups a section shows one run of (charts over time, graphs, checkpoint history): every
// strategy at the first varied value, each with its run of the section's first seed.
std::vector<std::pair<const RunGroup*, const RunRecord*>> representative_runs(std::span<const RunGroup> groups);

std::string render_html(const Report& report);

// Markdown; chart i of section s is linked as "<chart_stem>-<s>-<name>.svg" (relative to the
// Markdown file); write_markdown_report writes those files.
std::string render_markdown(const Report& report, const std::string& chart_stem);
// Writes `path` and the SVG files it links, beside it. Throws std::runtime_error naming a file
// that cannot be written.
void write_markdown_report(const Report& report, const std::string& path);
void write_html_report(const Report& report, const std::string& path);

}  // namespace flinksim::reports
