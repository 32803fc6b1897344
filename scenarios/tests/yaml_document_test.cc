// Goal: every way a YAML input can be wrong becomes a diagnostic with a 1-based file:line:col and
// a document path, never a crash or a hang. Method: small documents with hand-placed mistakes and
// hostile inputs (binary, deep nesting, alias bombs); expected positions are counted by hand.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "scenarios/yaml_document.h"

namespace flinksim::scenarios {
namespace {

NodeRef parse_ok(const std::string& text) {
  Diagnostics diagnostics;
  std::optional<NodeRef> root = parse_yaml(text, "t.yaml", diagnostics);
  EXPECT_TRUE(root.has_value()) << diagnostics.format();
  return root.value_or(NodeRef{});
}

std::string parse_error(const std::string& text) {
  Diagnostics diagnostics;
  EXPECT_FALSE(parse_yaml(text, "t.yaml", diagnostics).has_value());
  EXPECT_EQ(diagnostics.size(), 1u);
  return diagnostics.format();
}

TEST(NodeRef, ChildrenCarryOneBasedLocationsAndPaths) {
  const NodeRef root = parse_ok("a: 1\nb:\n  list: [x, y]\n");
  const NodeRef y = root.child("b").child("list").element(1);
  EXPECT_EQ(y.path, "b.list[1]");
  EXPECT_EQ(y.location().line, 3);
  EXPECT_EQ(y.location().column, 13);
  EXPECT_EQ(y.node.Scalar(), "y");
}

TEST(NodeRef, MissingOrMistypedChildrenAreUndefinedNotExceptions) {
  const NodeRef root = parse_ok("a: 1\nlist: [1]\n");
  EXPECT_FALSE(root.child("missing").node.IsDefined());
  EXPECT_EQ(root.child("missing").location().line, 0);
  EXPECT_FALSE(root.child("a").child("deeper").node.IsDefined());  // child of a scalar
  EXPECT_FALSE(root.child("list").element(5).node.IsDefined());
  EXPECT_FALSE(root.child("a").element(0).node.IsDefined());
  EXPECT_EQ(root.child("missing").child("x").path, "missing.x");
}

TEST(ParseYaml, MalformedYamlNamesLineAndColumn) {
  const std::string error = parse_error("a: 1\nb: [1, 2\nc: 3\n");
  EXPECT_NE(error.find("t.yaml:"), std::string::npos);
  EXPECT_NE(error.find("invalid YAML"), std::string::npos);
  EXPECT_EQ(error.find("t.yaml: error"), std::string::npos) << "a position is expected: " << error;
}

TEST(ParseYaml, EmptyAndCommentOnlyDocumentsAreErrors) {
  EXPECT_NE(parse_error("").find("empty document"), std::string::npos);
  EXPECT_NE(parse_error("# nothing here\n").find("empty document"), std::string::npos);
  EXPECT_NE(parse_error("~\n").find("empty document"), std::string::npos);
}

TEST(ParseYaml, SeveralDocumentsAreRejected) {
  EXPECT_NE(parse_error("a: 1\n---\nb: 2\n").find("expected one YAML document, found 2"),
            std::string::npos);
}

TEST(ParseYaml, StrayCommaOutsideAFlowCollectionIsAnErrorNotAnEndlessLoop) {
  // yaml-cpp 0.7 loops for ever, allocating, on these (found by fuzz/scenario_loader_fuzz).
  EXPECT_EQ(parse_error(","), "t.yaml:1:1: error: invalid YAML: unexpected ','\n");
  EXPECT_EQ(parse_error("  ,\n"), "t.yaml:1:3: error: invalid YAML: unexpected ','\n");
  EXPECT_EQ(parse_error("# comment\n,a\n"), "t.yaml:2:1: error: invalid YAML: unexpected ','\n");
  EXPECT_NE(parse_error("a: 1\n---\n,\n").find("t.yaml:3:1: error: "), std::string::npos);
  // Empty documents in a stream are still counted as documents, not mistaken for a stuck parser.
  EXPECT_NE(parse_error("---\n---\n").find("expected one YAML document, found 2"),
            std::string::npos);
}

TEST(ParseYaml, BinaryInputIsRejected) {
  EXPECT_NE(parse_error(std::string("a: 1\nb\0c", 8)).find("t.yaml:2:2: error: binary input: NUL byte"),
            std::string::npos);
  EXPECT_NE(parse_error("a: \xff\n").find("invalid UTF-8"), std::string::npos);
  EXPECT_NE(parse_error("a: \xc0\xaf\n").find("invalid UTF-8"), std::string::npos);  // overlong '/'
  EXPECT_NE(parse_error("a: \xed\xa0\x80\n").find("invalid UTF-8"), std::string::npos);  // surrogate
  EXPECT_NE(parse_error("a: \xe2\x82\n").find("invalid UTF-8"), std::string::npos);  // truncated
  EXPECT_EQ(parse_ok("a: \xc3\xbc\xe2\x82\xac\n").child("a").node.Scalar(), "\xc3\xbc\xe2\x82\xac");
}

std::string nested_maps(int levels) {
  std::string text;
  for (int i = 0; i < levels; ++i) text += std::string(static_cast<size_t>(2 * i), ' ') + "k:\n";
  return text + std::string(static_cast<size_t>(2 * levels), ' ') + "v\n";
}

TEST(ParseYaml, NestingIsBoundedAt64Levels) {
  // The root map is level 1; each "k:" adds a level, the final scalar one more.
  parse_ok(nested_maps(62));
  EXPECT_NE(parse_error(nested_maps(64)).find("nested deeper than 64 levels"), std::string::npos);
  EXPECT_NE(parse_error("x: " + std::string(100, '[') + std::string(100, ']')).find("deeper than 64"),
            std::string::npos);
  // Far beyond yaml-cpp's own recursion guard: still one clean diagnostic.
  EXPECT_NE(parse_error("x: " + std::string(100000, '[')).find("deeper than 64"), std::string::npos);
}

TEST(ParseYaml, AliasBombIsStoppedByTheVisitBudget) {
  // Ten levels of ten aliases each: 10^10 nodes when expanded, a few hundred bytes as text.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    text += fmt::format("a{}: &a{} [", i, i);
    for (int k = 0; k < 10; ++k) text += fmt::format("{}*a{}", k ? ", " : "", i - 1);
    text += "]\n";
  }
  EXPECT_NE(parse_error(text).find("more than 1000000 nodes"), std::string::npos);
  // a1 .. a9 use ten aliases each: 90, and the message says the aliases did it.
  EXPECT_NE(parse_error(text).find("through its 90 aliases"), std::string::npos);
}

TEST(ParseYaml, LargeAliasFreeDocumentNamesTheSizeLimitNotAliases) {
  // 1,000,001 scalars in one flow list plus the list and the root map: over the 1,000,000-node
  // limit with no alias at all, so the message must not blame aliases.
  std::string text = "x: [0";
  for (int i = 0; i < 1'000'000; ++i) text += ",0";
  text += "]\n";
  const std::string error = parse_error(text);
  EXPECT_NE(error.find("document has more than 1000000 nodes (the limit on a scenario or job "
                       "file's size"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.find("alias"), std::string::npos) << error;
}

TEST(ParseYaml, OrdinaryAliasesAreFine) {
  const NodeRef root = parse_ok("base: &b {x: 1}\nother: *b\n");
  EXPECT_EQ(root.child("other").child("x").node.Scalar(), "1");
}

TEST(ParseYaml, SelfReferencingAliasTerminates) {
  Diagnostics diagnostics;
  parse_yaml("a: &a [*a]\n", "t.yaml", diagnostics);  // must return, whatever it decides
  SUCCEED();
}

TEST(CheckKeys, UnknownKeyGetsPositionPathAndSuggestion) {
  const NodeRef root = parse_ok("job:\n  vertices:\n    - {name: a, paralelism: 2}\n");
  Diagnostics diagnostics;
  const std::vector<std::string> allowed{"name", "parallelism"};
  EXPECT_FALSE(check_keys(root.child("job").child("vertices").element(0), allowed, diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics.errors()[0].format(),
            "t.yaml:3:17: error: unknown key 'paralelism' (did you mean 'parallelism'?) in "
            "'job.vertices[0]'");
}

TEST(CheckKeys, DuplicatesAndNonMapsAreReported) {
  const NodeRef root = parse_ok("m: {a: 1, a: 2}\ns: 3\n");
  Diagnostics diagnostics;
  const std::vector<std::string> allowed{"a"};
  EXPECT_FALSE(check_keys(root.child("m"), allowed, diagnostics));
  EXPECT_FALSE(check_keys(root.child("s"), allowed, diagnostics));
  EXPECT_TRUE(check_keys(root.child("absent"), allowed, diagnostics));
  ASSERT_EQ(diagnostics.size(), 2u);
  EXPECT_NE(diagnostics.errors()[0].message.find("duplicate key 'a'"), std::string::npos);
  EXPECT_NE(diagnostics.errors()[1].message.find("expected a map"), std::string::npos);
}

TEST(Readers, IntegersRespectBoundsAndType) {
  const NodeRef root = parse_ok("a: 7\nb: -3\nc: 1.5\nd: [1]\ne: 99999999999999999999\n");
  Diagnostics diagnostics;
  EXPECT_EQ(read_int(root.child("a"), 0, 10, diagnostics), 7);
  EXPECT_EQ(read_int(root.child("b"), 0, 10, diagnostics), std::nullopt);
  EXPECT_EQ(read_int(root.child("c"), 0, 10, diagnostics), std::nullopt);
  EXPECT_EQ(read_int(root.child("d"), 0, 10, diagnostics), std::nullopt);
  EXPECT_EQ(read_int(root.child("e"), 0, INT64_MAX, diagnostics), std::nullopt);
  EXPECT_EQ(read_int(root.child("missing"), 0, 10, diagnostics), std::nullopt);
  ASSERT_EQ(diagnostics.size(), 4u);  // the missing node is silent
  EXPECT_EQ(diagnostics.errors()[0].location.line, 2);
  EXPECT_EQ(diagnostics.errors()[0].path, "b");
  EXPECT_NE(diagnostics.errors()[2].message.find("got a list"), std::string::npos);
}

TEST(Readers, BooleansAreFlinkStyleTrueOrFalse) {
  const NodeRef root = parse_ok("a: True\nb: false\nc: yes\n");
  Diagnostics diagnostics;
  EXPECT_EQ(read_bool(root.child("a"), diagnostics), true);
  EXPECT_EQ(read_bool(root.child("b"), diagnostics), false);
  EXPECT_EQ(read_bool(root.child("c"), diagnostics), std::nullopt);
  EXPECT_EQ(diagnostics.size(), 1u);
}

TEST(Readers, DoublesAreFinite) {
  const NodeRef root = parse_ok("a: 1.1\nb: .nan\nc: 2.5\n");
  Diagnostics diagnostics;
  EXPECT_DOUBLE_EQ(read_double(root.child("a"), 0, 2, diagnostics).value(), 1.1);
  EXPECT_EQ(read_double(root.child("b"), 0, 2, diagnostics), std::nullopt);
  EXPECT_EQ(read_double(root.child("c"), 0, 2, diagnostics), std::nullopt);
  EXPECT_EQ(diagnostics.size(), 2u);
}

TEST(Readers, DurationsUseFlinkSyntax) {
  const NodeRef root = parse_ok("a: 10 s\nb: 500\nc: 5 parsecs\n");
  Diagnostics diagnostics;
  EXPECT_EQ(read_duration(root.child("a"), diagnostics), sim::Duration::seconds(10));
  EXPECT_EQ(read_duration(root.child("b"), diagnostics), sim::Duration::milliseconds(500));
  EXPECT_EQ(read_duration(root.child("c"), diagnostics), std::nullopt);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics.errors()[0].message.find("unknown time unit"), std::string::npos);
}

TEST(Readers, SizesUseFlinkMemorySizeUnits) {
  const NodeRef root =
      parse_ok("a: 64 B\nb: 4 kb\nc: 32 KB\nd: 100 mb\ne: 2g\nf: 12345\ng: -1 kb\nh: 1 parsec\n");
  Diagnostics diagnostics;
  EXPECT_EQ(read_size_bytes(root.child("a"), diagnostics), 64);
  EXPECT_EQ(read_size_bytes(root.child("b"), diagnostics), 4096);
  EXPECT_EQ(read_size_bytes(root.child("c"), diagnostics), 32768);
  EXPECT_EQ(read_size_bytes(root.child("d"), diagnostics), 104857600);
  EXPECT_EQ(read_size_bytes(root.child("e"), diagnostics), 2147483648);
  EXPECT_EQ(read_size_bytes(root.child("f"), diagnostics), 12345);
  EXPECT_EQ(read_size_bytes(root.child("g"), diagnostics), std::nullopt);
  EXPECT_EQ(read_size_bytes(root.child("h"), diagnostics), std::nullopt);
  ASSERT_EQ(diagnostics.size(), 2u);
  EXPECT_NE(diagnostics.errors()[0].message.find("negative size"), std::string::npos);
}

TEST(Readers, RatesAreEventsPerSecond) {
  const NodeRef root = parse_ok("a: 10000/s\nb: 5/min\nc: 1/10min\nd: 3/0 s\ne: fast\n");
  Diagnostics diagnostics;
  EXPECT_DOUBLE_EQ(read_rate_per_second(root.child("a"), diagnostics).value(), 10000.0);
  EXPECT_DOUBLE_EQ(read_rate_per_second(root.child("b"), diagnostics).value(), 5.0 / 60);
  EXPECT_DOUBLE_EQ(read_rate_per_second(root.child("c"), diagnostics).value(), 1.0 / 600);
  EXPECT_EQ(read_rate_per_second(root.child("d"), diagnostics), std::nullopt);
  EXPECT_EQ(read_rate_per_second(root.child("e"), diagnostics), std::nullopt);
  EXPECT_EQ(diagnostics.size(), 2u);
}

TEST(Readers, EnumsIgnoreCaseAndDashUnderscore) {
  const NodeRef root = parse_ok("a: ALL_TO_ALL\nb: all-to-all\nc: Pointwise\nd: pointwize\n");
  const std::vector<std::string> values{"pointwise", "all_to_all"};
  Diagnostics diagnostics;
  EXPECT_EQ(read_enum(root.child("a"), values, diagnostics), 1u);
  EXPECT_EQ(read_enum(root.child("b"), values, diagnostics), 1u);
  EXPECT_EQ(read_enum(root.child("c"), values, diagnostics), 0u);
  EXPECT_EQ(read_enum(root.child("d"), values, diagnostics), std::nullopt);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics.errors()[0].format(),
            "t.yaml:4:4: error: unknown value 'pointwize' (did you mean 'pointwise'?), expected "
            "one of pointwise, all_to_all in 'd'");
}

TEST(ReadBoundedText, OversizedFileIsCutOneBytePastTheLimitAndRejectedByTheParser) {
  // A 17 MiB file: read_bounded_text must stop at 16 MiB + 1 byte, and parse_yaml must then
  // report the size rather than parse it.
  const std::string path = ::testing::TempDir() + "/flinksim-oversized.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    const std::string line(1023, 'a');
    for (int i = 0; i < 17 * 1024; ++i) out << line << '\n';
  }
  Diagnostics diagnostics;
  const std::optional<std::string> text = read_bounded_text(path, diagnostics);
  ASSERT_TRUE(text.has_value()) << diagnostics.format();
  EXPECT_EQ(text->size(), (size_t{16} << 20) + 1);
  EXPECT_FALSE(load_yaml_file(path, diagnostics).has_value());
  ASSERT_EQ(diagnostics.size(), 1u);
  // At 1:1, so that editors and CI annotations can jump to the file.
  EXPECT_EQ(diagnostics.format(), path + ":1:1: error: input is larger than 16 MiB\n");
  std::remove(path.c_str());
}

TEST(LoadYamlFile, MissingFileIsADiagnostic) {
  Diagnostics diagnostics;
  EXPECT_FALSE(load_yaml_file("/nonexistent/flinksim.yaml", diagnostics).has_value());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics.format().find("cannot open file"), std::string::npos);
}

}  // namespace
}  // namespace flinksim::scenarios
