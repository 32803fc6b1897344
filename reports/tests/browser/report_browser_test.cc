// Goal: the demo report renders in a real browser at 1,280 px: every chart has data points, every
// job graph has its tasks, every verdict table a verdict cell per strategy, and nothing in the
// page is wider than the window.
// Method: `flinksim compare` writes the demo scenario's report; headless Chromium dumps the DOM
// it built and takes a screenshot (kept beside the database for people to look at). Without
// Chromium the test is skipped, saying so.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string chromium() {
  if (const char* configured = std::getenv("FLINKSIM_CHROMIUM")) return configured;
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  return "";
}

// Runs a shell command (every path in it is ours, without spaces) and returns its exit status.
int run(const std::string& command) { return std::system(command.c_str()); }

std::string chromium_command(const std::string& browser, const fs::path& profile, const std::string& action) {
  return browser + " --headless --no-sandbox --disable-gpu --disable-background-networking "
                   "--disable-component-update --disable-sync --no-first-run --user-data-dir=" +
         profile.string() + " --window-size=1280,2000 " + action;
}

// The elements that open with `open` up to their closing `close`, e.g. every chart figure.
std::vector<std::string> blocks(const std::string& dom, const std::string& open, const std::string& close) {
  std::vector<std::string> found;
  for (size_t at = dom.find(open); at != std::string::npos; at = dom.find(open, at + 1)) {
    const size_t end = dom.find(close, at);
    found.push_back(dom.substr(at, end == std::string::npos ? std::string::npos : end - at));
  }
  return found;
}

size_t count(const std::string& text, const std::string& word) {
  size_t n = 0;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

class DemoReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = fs::path(::testing::TempDir()) / ("flinksim-browser-" + std::to_string(getpid()));
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    const std::string scenario = std::string(FLINKSIM_SOURCE_DIR) +
                                 "/scenarios/library/demo-keyed-window-tm-kill-strategies.yaml";
    status_ = run(std::string(FLINKSIM_BINARY) + " compare " + scenario + " --seeds 1..3 --db " +
                  (directory_ / "results.db").string() + " --report " + (directory_ / "report.html").string() +
                  " > " + (directory_ / "compare.txt").string() + " 2>&1");
  }

  void SetUp() override {
    ASSERT_EQ(status_, 0) << read(directory_ / "compare.txt");
    browser_ = chromium();
    if (browser_.empty()) GTEST_SKIP() << "Chromium is not installed (apt-get install chromium, or set FLINKSIM_CHROMIUM)";
  }

  std::string dom() const {
    const fs::path out = directory_ / "dom.html";
    const int status = run(chromium_command(browser_, directory_ / "profile-dom", "--dump-dom file://" +
                                            (directory_ / "report.html").string()) + " > " + out.string() + " 2>/dev/null");
    EXPECT_EQ(status, 0);
    return read(out);
  }

  static inline fs::path directory_;
  static inline int status_ = -1;
  std::string browser_;
};

TEST_F(DemoReport, EveryChartHasDataAndEveryVerdictTableAVerdictPerStrategy) {
  const std::string page = dom();
  ASSERT_NE(page.find("<h1>flinksim comparison report</h1>"), std::string::npos) << page.substr(0, 500);
  const std::vector<std::string> charts = blocks(page, "<figure class=\"chart\"", "</figure>");
  ASSERT_GE(charts.size(), 1u);  // the committed output rate over time at least
  for (const std::string& chart : charts) {
    // gnuplot draws each plotted data set in its own group, its points as a path.
    EXPECT_NE(chart.find("id=\"gnuplot_plot_1\""), std::string::npos) << chart.substr(0, 300);
    EXPECT_GE(count(chart, "<path"), 2u) << chart.substr(0, 300);
  }
  const std::vector<std::string> tables = blocks(page, "<table class=\"verdict-table\"", "</table>");
  ASSERT_EQ(tables.size(), 1u);
  for (const std::string& table : tables) {
    // full, region and approximate, one verdict cell each.
    EXPECT_EQ(count(table, "<tr>") - 1, 3u) << table;
    EXPECT_EQ(count(table, "<td class=\"verdict "), 3u) << table;
  }
  const std::vector<std::string> graphs = blocks(page, "<figure class=\"graph\"", "</figure>");
  EXPECT_EQ(graphs.size(), 3u);
  // One node per task: the demo's 9 operator subtasks run as 6 chained tasks.
  for (const std::string& graph : graphs) EXPECT_EQ(count(graph, "class=\"node\""), 6u) << graph.substr(0, 300);
  EXPECT_NE(page.find("<p class=\"winner\">"), std::string::npos);
}

TEST_F(DemoReport, TheScreenshotIs1280PixelsWide) {
  const fs::path png = directory_ / "report-1280.png";
  const int status = run(chromium_command(browser_, directory_ / "profile-shot",
                                          "--hide-scrollbars --screenshot=" + png.string() + " file://" +
                                              (directory_ / "report.html").string()) + " > /dev/null 2>&1");
  ASSERT_EQ(status, 0);
  const std::string image = read(png);
  ASSERT_GT(image.size(), 24u);
  // PNG: 8-byte signature, then the IHDR chunk whose data starts with the width, big-endian.
  ASSERT_EQ(image.substr(1, 3), "PNG");
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(image[i])); };
  EXPECT_EQ(byte(16) << 24 | byte(17) << 16 | byte(18) << 8 | byte(19), 1280u);
  std::cout << "screenshot: " << png.string() << "\n";
}

}  // namespace
