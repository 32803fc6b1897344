// Goal: the report renders its tables from the database alone, says why charts are absent when
// gnuplot is missing, inlines SVG charts in one self-contained HTML file when it is present,
// escapes text from the database, and the Markdown variant links SVG files it writes beside it.
// Method: stores filled by hand; gnuplot found on PATH (the chart tests skip without it).

#include <gtest/gtest.h>

#include <filesystem>

#include "reports/gnuplot.h"
#include "reports/progress.h"
#include "reports/report.h"
#include "test_support.h"

namespace flinksim::reports {
namespace {

using testing::make_record;
using testing::temp_path;

std::string filled_store(const std::string& scenario = "demo") {
  const std::string path = temp_path("runs.db");
  ResultsStore store(path, OpenMode::read_write);
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    store.insert(make_record("full", seed, 12, 1100 + 10 * static_cast<int64_t>(seed), scenario));
    store.insert(make_record("region", seed, 3, 1000 + 10 * static_cast<int64_t>(seed), scenario));
  }
  return path;
}

std::optional<Gnuplot> gnuplot_on_path(std::string& reason) {
  return Gnuplot::find(process_environment(), reason);
}

size_t count(const std::string& text, const std::string& word) {
  size_t n = 0;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

TEST(Report, WithoutGnuplotTablesRenderAndTheReasonIsGiven) {
  const ResultsStore store(filled_store(), OpenMode::read_only);
  const Report report(store, std::nullopt, "gnuplot was not found on PATH");
  const std::string html = render_html(report);
  EXPECT_NE(html.find("Charts are absent: gnuplot was not found on PATH."), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  // Recovery times full: 1110..1150 -> min 1110, median 1130 (rank 3), p90 1150 (rank 5), max 1150.
  EXPECT_NE(html.find("<td>1110 / 1130 / 1150 / 1150</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>1010 / 1030 / 1050 / 1050</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>full</th><th>region</th>"), std::string::npos);
  EXPECT_EQ(report.runs(), 10u);
}

TEST(Report, TextFromTheDatabaseIsEscaped) {
  const ResultsStore store(filled_store("<script>alert(1)</script>"), OpenMode::read_only);
  const std::string html = render_html(Report(store, std::nullopt, "off"));
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(Report, FindingGnuplotHonoursTheEnvironment) {
  std::string reason;
  EXPECT_FALSE(Gnuplot::find([](const std::string& name) -> std::optional<std::string> {
    if (name == "PATH") return std::string("/nonexistent");
    return std::nullopt;
  }, reason));
  EXPECT_NE(reason.find("not found on PATH"), std::string::npos);
  EXPECT_FALSE(Gnuplot::find([](const std::string& name) -> std::optional<std::string> {
    if (name == "FLINKSIM_GNUPLOT") return std::string("");
    return std::string("/usr/bin");
  }, reason));
  EXPECT_NE(reason.find("switched off"), std::string::npos);
  EXPECT_EQ(gnuplot_text("region'; system('rm')"), "region__ system(_rm_)");
}

TEST(Report, WithGnuplotChartsAreInlinedAsSvg) {
  std::string reason;
  const std::optional<Gnuplot> gnuplot = gnuplot_on_path(reason);
  if (!gnuplot) GTEST_SKIP() << reason;
  const ResultsStore store(filled_store(), OpenMode::read_only);
  const Report report(store, gnuplot, "");
  const std::string html = render_html(report);
  // Recovery-time box plot and the failover timeline; no --vary curves. Tasks restarted is 12
  // (full) and 3 (region) in every seed: said in a sentence, not drawn as flat boxes.
  EXPECT_EQ(count(html, "<svg"), 2u) << html.substr(0, 2000);
  EXPECT_NE(html.find("tasks restarted is identical in all 5 seeds: full 12, region 3."), std::string::npos);
  EXPECT_EQ(report.sections().at(0).charts.identical.size(), 1u);
  EXPECT_EQ(html.find("Charts are absent"), std::string::npos);
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  EXPECT_EQ(html.find("http://www.w3.org/1999/xlink\" href"), std::string::npos);
  EXPECT_EQ(report.sections().at(0).charts.notes.size(), 0u);
}

TEST(Report, MarkdownLinksSvgFilesWrittenBesideIt) {
  std::string reason;
  const std::optional<Gnuplot> gnuplot = gnuplot_on_path(reason);
  if (!gnuplot) GTEST_SKIP() << reason;
  const ResultsStore store(filled_store(), OpenMode::read_only);
  const std::string markdown = temp_path("report.md");
  write_markdown_report(Report(store, gnuplot, ""), markdown);
  const std::string text = [&] {
    std::ifstream in(markdown);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  EXPECT_NE(text.find("](report-0-recovery-time.svg)"), std::string::npos) << text;
  const std::filesystem::path svg = std::filesystem::path(markdown).parent_path() / "report-0-recovery-time.svg";
  ASSERT_TRUE(std::filesystem::exists(svg));
  EXPECT_GT(std::filesystem::file_size(svg), 500u);
  EXPECT_NE(text.find("| recovery time (ms) | 1110 / 1130 / 1150 / 1150 | 1010 / 1030 / 1050 / 1050 |"),
            std::string::npos)
      << text;
}

// A run of strategy/seed varied at `value`, with a fault at 20 s in its report details.
RunRecord varied_record(const std::string& strategy, uint64_t seed, const std::string& value, int64_t recovery_ms) {
  RunRecord record = make_record(strategy, seed, 3, recovery_ms);
  nlohmann::ordered_json run = nlohmann::ordered_json::parse(record.run_json);
  run["report"] = {{"tasks", 12}, {"faults", {{{"at_ms", 20000}, {"until_ms", nullptr}, {"fault", "kill taskmanager-1"}}}}};
  record.run_json = run.dump();
  record.vary_key = "restart-strategy.fixed-delay.delay";
  record.vary_value = value;
  record.key.overrides = "[\"restart-strategy.fixed-delay.delay=" + value + "\"]";
  return record;
}

TEST(Report, RunsWithoutAnExactlyOnceVerdictShowNotCheckedInTheVerdictTable) {
  const ResultsStore store(filled_store(), OpenMode::read_only);
  const std::string html = render_html(Report(store, std::nullopt, "off"));
  EXPECT_EQ(count(html, "<td class=\"verdict not-checked\">not checked</td>"), 2u) << html;
  EXPECT_EQ(html.find("class=\"verdict held\""), std::string::npos);
  // Both not checked, equal downtime (median 1129 / 1029 ms): region is down less.
  EXPECT_NE(html.find("Choose region: region restarts 3 tasks (exactly-once not checked), down 1.029 s; "
                      "full restarts 12 tasks (exactly-once not checked), down 1.129 s."),
            std::string::npos);
}

TEST(Report, WithoutDotTheReportSaysWhyThereIsNoJobGraph) {
  const ResultsStore store(filled_store(), OpenMode::read_only);
  const std::string html = render_html(Report(store, std::nullopt, "off", std::nullopt, "dot was not found on PATH"));
  EXPECT_NE(html.find("No job graph: dot was not found on PATH."), std::string::npos);
}

TEST(Report, VariedDurationsUseTheirUnitOnALogScaleAndFaultsAreShaded) {
  std::string reason;
  const std::optional<Gnuplot> gnuplot = gnuplot_on_path(reason);
  if (!gnuplot) GTEST_SKIP() << reason;
  const std::string path = temp_path("vary.db");
  {
    ResultsStore store(path, OpenMode::read_write);
    for (const auto& [value, recovery] : {std::pair{"1 s", 1100}, {"5 s", 5100}, {"20 s", 20100}}) {
      for (uint64_t seed = 1; seed <= 2; ++seed) store.insert(varied_record("region", seed, value, recovery + static_cast<int64_t>(seed)));
    }
  }
  const ResultsStore store(path, OpenMode::read_only);
  const std::string html = render_html(Report(store, gnuplot, ""));
  EXPECT_NE(html.find("restart-strategy.fixed-delay.delay (log scale)"), std::string::npos);
  for (const char* tic : {">1 s<", ">5 s<", ">20 s<"}) EXPECT_NE(html.find(tic), std::string::npos) << tic;
  EXPECT_NE(html.find("shaded: faults until Flink reacted"), std::string::npos);
  // The shaded rectangle: '#f4cccc' is rgb(244, 204, 204).
  EXPECT_NE(html.find("rgb(244, 204, 204)"), std::string::npos);
}

TEST(Progress, ClockAndLinesFormat) {
  EXPECT_EQ(format_clock(0), "0:00");
  EXPECT_EQ(format_clock(65), "1:05");
  EXPECT_EQ(format_clock(3725), "1:02:05");
  EXPECT_EQ(format_progress(ProgressStyle::lines, 50, 100, 4), "sweep: 50/100 runs (50%), 12.5 runs/s, ETA 0:04");
  EXPECT_EQ(format_progress(ProgressStyle::terminal, 25, 100, 5),
            "[######------------------]  25/100  5.0 runs/s  ETA 0:15");
  EXPECT_EQ(format_progress(ProgressStyle::lines, 0, 10, 0), "sweep: 0/10 runs (0%), 0.0 runs/s, ETA ?");
}

TEST(Progress, PlainLinesAtMostEveryTenSecondsAndAlwaysAtTheEnd) {
  double now = 0;
  std::ostringstream out;
  Progress progress(out, ProgressStyle::lines, 4, [&] { return now; });
  now = 1;
  progress.advance();
  EXPECT_EQ(out.str(), "");
  now = 11;
  progress.advance();
  EXPECT_EQ(out.str(), "sweep: 2/4 runs (50%), 0.2 runs/s, ETA 0:11\n");
  now = 12;
  progress.advance();
  progress.advance();
  progress.finish();
  EXPECT_EQ(out.str(), "sweep: 2/4 runs (50%), 0.2 runs/s, ETA 0:11\nsweep: 4/4 runs (100%), 0.3 runs/s, ETA 0:00\n");
}

}  // namespace
}  // namespace flinksim::reports
