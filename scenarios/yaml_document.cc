#include "scenarios/yaml_document.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <vector>

#include "scenarios/value_syntax.h"

namespace flinksim::scenarios {

namespace {

// Limits that keep every input cheap: scenario files are a few kilobytes and a few levels deep,
// so these bounds only ever stop hostile or broken input.
constexpr size_t kMaxInputBytes = size_t{16} << 20;
constexpr int kMaxNestingDepth = 64;
// yaml-cpp guards its own recursion at 2000 levels; flow brackets are counted before parsing so
// the parser never gets near that depth.
constexpr int kMaxBracketDepth = 256;
// Aliases share nodes, so a small file can describe a huge tree; walking it is bounded by this.
constexpr int64_t kMaxVisitedNodes = 1'000'000;

SourceLocation location_of(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return SourceLocation{file, 0, 0};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

// Line and column (1-based) of a byte offset, for errors found before yaml-cpp runs.
SourceLocation location_of_offset(const std::string& file, std::string_view text, size_t offset) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return SourceLocation{file, line, column};
}

// Length of the UTF-8 sequence starting at text[i], or 0 if it is malformed (overlong forms,
// surrogates and code points past U+10FFFF included).
size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t minimum = 0;
  uint32_t code_point = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, minimum = 0x80, code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, minimum = 0x800, code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, minimum = 0x10000, code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

// Rejects input that is not text: yaml-cpp would otherwise report confusing errors or accept it.
bool check_text(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  if (text.size() > kMaxInputBytes) {
    // At 1:1 so that editors and CI annotations can jump to the file.
    diagnostics.error(SourceLocation{file, 1, 1}, "",
                      "input is larger than " + std::to_string(kMaxInputBytes >> 20) + " MiB");
    return false;
  }
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\0') {
      diagnostics.error(location_of_offset(file, text, i), "",
                        "binary input: NUL byte at offset " + std::to_string(i));
      return false;
    }
    const size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      diagnostics.error(location_of_offset(file, text, i), "",
                        "binary input: invalid UTF-8 at offset " + std::to_string(i));
      return false;
    }
    i += length;
  }
  return true;
}

// A cheap upper bound on flow nesting ([ and { outside quotes and comments).
bool check_bracket_depth(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  int depth = 0;
  char quote = 0;
  bool comment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      // Plain scalars may hold a lone apostrophe ("don't"); ending quotes at the line keeps the
      // count an over-estimate, which is the safe side.
      comment = false;
      quote = 0;
    }
    if (comment) continue;
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      comment = true;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxBracketDepth) {
        diagnostics.error(location_of_offset(file, text, i), "",
                          "document nested deeper than " + std::to_string(kMaxNestingDepth) +
                              " levels");
        return false;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

// Walks the tree once, depth-first, counting every visit (shared alias nodes count each time they
// are reached), so nesting and alias expansion are both bounded before any loader walks it.
class TreeGuard {
 public:
  TreeGuard(const std::string& file, int64_t aliases, Diagnostics& diagnostics)
      : file_(file), aliases_(aliases), diagnostics_(diagnostics) {}

  bool check(const YAML::Node& node, int depth) {
    if (++visited_ > kMaxVisitedNodes) {
      diagnostics_.error(location_of(file_, node.Mark()), "", too_many_nodes());
      return false;
    }
    if (depth > kMaxNestingDepth) {
      diagnostics_.error(location_of(file_, node.Mark()), "",
                         "document nested deeper than " + std::to_string(kMaxNestingDepth) +
                             " levels");
      return false;
    }
    if (node.IsSequence()) {
      for (const YAML::Node& element : node) {
        if (!check(element, depth + 1)) return false;
      }
    } else if (node.IsMap()) {
      for (const auto& entry : node) {
        if (!check(entry.first, depth + 1) || !check(entry.second, depth + 1)) return false;
      }
    }
    return true;
  }

 private:
  // Names the limit that was hit: a large alias-free file is not an alias bomb.
  std::string too_many_nodes() const {
    const std::string limit = std::to_string(kMaxVisitedNodes);
    if (aliases_ == 0) {
      return "document has more than " + limit + " nodes (the limit on a scenario or job file's " +
             "size; a vertex, an edge or a fault is 5 to 15 nodes)";
    }
    return "document expands to more than " + limit + " nodes through its " +
           std::to_string(aliases_) + " aliases (the limit on nodes reached, aliases counted each " +
           "time they are used)";
  }

  const std::string& file_;
  int64_t aliases_;
  Diagnostics& diagnostics_;
  int64_t visited_ = 0;
};

// Watches the events of one document: where it starts and whether it is nothing but a null root.
class DocumentProbe final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { note(mark, true); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    ++aliases_;
    note(mark, false);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    note(mark, false);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    note(mark, false);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    note(mark, false);
  }
  void OnMapEnd() override {}

  const YAML::Mark& start() const { return start_; }
  int64_t aliases() const { return aliases_; }
  // The position of the root if the document is a lone null, else nullopt.
  std::optional<YAML::Mark> null_root() const {
    return root_is_null_ ? std::optional<YAML::Mark>(root_) : std::nullopt;
  }

 private:
  void note(const YAML::Mark& mark, bool is_null) {
    if (seen_root_) return;
    seen_root_ = true;
    root_ = mark;
    root_is_null_ = is_null;
  }

  YAML::Mark start_ = YAML::Mark::null_mark();
  YAML::Mark root_ = YAML::Mark::null_mark();
  bool seen_root_ = false;
  bool root_is_null_ = false;
  int64_t aliases_ = 0;
};

struct DocumentCount {
  int64_t documents = 0;
  int64_t aliases = 0;  // uses of an anchor (*name) in the first document
  YAML::Mark second_document = YAML::Mark::null_mark();
  // Set when the parser stopped consuming input (see count_documents).
  std::optional<YAML::Mark> stuck_at;
};

// Counts the documents of the stream. yaml-cpp 0.7 never finishes LoadAll on a stray ',' outside
// a flow collection: it reports an empty document at the same position again and again, growing
// memory without bound (yaml-cpp issue #1040, fixed upstream by pull request #1319, found here by
// the fuzz target). Two empty documents at one position therefore mean "stuck", not "two
// documents". Parser exceptions propagate to the caller.
DocumentCount count_documents(std::string_view text) {
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  DocumentCount count;
  std::optional<YAML::Mark> previous_null_root;
  // Every document that is not stuck consumes at least one character, which bounds the loop.
  for (size_t calls = 0; calls <= text.size() + 1; ++calls) {
    DocumentProbe probe;
    if (!parser.HandleNextDocument(probe)) return count;
    const std::optional<YAML::Mark> null_root = probe.null_root();
    if (null_root && previous_null_root && null_root->pos == previous_null_root->pos) {
      count.stuck_at = *null_root;
      return count;
    }
    previous_null_root = null_root;
    if (++count.documents == 1) count.aliases = probe.aliases();
    if (count.documents == 2) count.second_document = probe.start();
  }
  count.stuck_at = YAML::Mark::null_mark();
  return count;
}

// "',' (U+002C)" for messages about the character at `mark`.
std::string describe_character(std::string_view text, const YAML::Mark& mark) {
  if (mark.is_null() || mark.pos < 0 || static_cast<size_t>(mark.pos) >= text.size()) {
    return "end of input";
  }
  return "'" + std::string(1, text[static_cast<size_t>(mark.pos)]) + "'";
}

bool is_present(const YAML::Node& node) { return node.IsDefined(); }

std::string describe_kind(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  return "'" + node.Scalar() + "'";
}

// The scalar text of `ref`, or a diagnostic naming what was found instead.
std::optional<std::string> scalar_text(const NodeRef& ref, std::string_view expected,
                                       Diagnostics& diagnostics) {
  if (!is_present(ref.node)) return std::nullopt;
  if (!ref.node.IsScalar()) {
    diagnostics.error(ref.location(), ref.path,
                      "expected " + std::string(expected) + ", got " + describe_kind(ref.node));
    return std::nullopt;
  }
  return ref.node.Scalar();
}

template <typename T>
std::optional<T> report(const NodeRef& ref, const sim::Result<T>& result, Diagnostics& diagnostics) {
  if (result.ok()) return result.value();
  diagnostics.error(ref.location(), ref.path, result.error().message);
  return std::nullopt;
}

}  // namespace

SourceLocation NodeRef::location() const {
  if (!node.IsDefined()) return SourceLocation{file, 0, 0};
  return location_of(file, node.Mark());
}

// yaml-cpp's Node::operator= is not a handle copy: assigning to a node that already exists
// rebinds it as a reference and merges the two nodes' memory, copying the set of every node of
// the document into a fresh holder. A lookup that assigned its result therefore cost O(document),
// and loading a document O(document^2) (1,000 vertices: 21 s and 2.7 GB). Copy-constructing a
// Node copies the handle (two shared pointers), so the result is built from the found node.
NodeRef NodeRef::child(std::string_view key) const {
  std::string child_path = path.empty() ? std::string(key) : path + "." + std::string(key);
  if (node.IsDefined() && node.IsMap()) {
    // Looked up by iteration so that a map with non-scalar keys never throws.
    for (const auto& entry : node) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) {
        return NodeRef{entry.second, file, std::move(child_path)};
      }
    }
  }
  return NodeRef{YAML::Node(YAML::NodeType::Undefined), file, std::move(child_path)};
}

NodeRef NodeRef::element(size_t index) const {
  std::string element_path = path + "[" + std::to_string(index) + "]";
  if (node.IsDefined() && node.IsSequence() && index < node.size()) {
    const YAML::Node& sequence = node;
    return NodeRef{sequence[index], file, std::move(element_path)};
  }
  return NodeRef{YAML::Node(YAML::NodeType::Undefined), file, std::move(element_path)};
}

std::optional<NodeRef> parse_yaml(std::string_view text, std::string file,
                                  Diagnostics& diagnostics) {
  if (!check_text(text, file, diagnostics)) return std::nullopt;
  if (!check_bracket_depth(text, file, diagnostics)) return std::nullopt;
  YAML::Node document;
  int64_t aliases = 0;
  try {
    const DocumentCount count = count_documents(text);
    if (count.stuck_at) {
      diagnostics.error(location_of(file, *count.stuck_at), "",
                        "invalid YAML: unexpected " + describe_character(text, *count.stuck_at));
      return std::nullopt;
    }
    if (count.documents > 1) {
      diagnostics.error(location_of(file, count.second_document), "",
                        "expected one YAML document, found " + std::to_string(count.documents));
      return std::nullopt;
    }
    aliases = count.aliases;
    document = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    diagnostics.error(location_of(file, e.mark), "", "invalid YAML: " + e.msg);
    return std::nullopt;
  } catch (const std::exception& e) {
    diagnostics.error(SourceLocation{file, 0, 0}, "", std::string("invalid YAML: ") + e.what());
    return std::nullopt;
  }
  if (!document.IsDefined() || document.IsNull()) {
    diagnostics.error(SourceLocation{file, 1, 1}, "", "empty document");
    return std::nullopt;
  }
  TreeGuard guard(file, aliases, diagnostics);
  if (!guard.check(document, 1)) return std::nullopt;
  return NodeRef{document, std::move(file), ""};
}

std::optional<std::string> read_bounded_text(const std::string& path, Diagnostics& diagnostics) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    diagnostics.error(SourceLocation{path, 0, 0}, "", "cannot open file");
    return std::nullopt;
  }
  std::string text;
  std::vector<char> buffer(size_t{1} << 16);
  while (stream.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) ||
         stream.gcount() > 0) {
    text.append(buffer.data(), static_cast<size_t>(stream.gcount()));
    // One byte past the limit is enough for check_text to report the size; never read more.
    if (text.size() > kMaxInputBytes) {
      text.resize(kMaxInputBytes + 1);
      break;
    }
  }
  if (stream.bad()) {
    diagnostics.error(SourceLocation{path, 0, 0}, "", "cannot read file");
    return std::nullopt;
  }
  return text;
}

std::optional<NodeRef> load_yaml_file(const std::string& path, Diagnostics& diagnostics) {
  const std::optional<std::string> text = read_bounded_text(path, diagnostics);
  if (!text) return std::nullopt;
  return parse_yaml(*text, path, diagnostics);
}

bool check_keys(const NodeRef& ref, std::span<const std::string> allowed, Diagnostics& diagnostics) {
  if (!is_present(ref.node)) return true;
  if (!ref.node.IsMap()) {
    diagnostics.error(ref.location(), ref.path, "expected a map, got " + describe_kind(ref.node));
    return false;
  }
  bool ok = true;
  // A set, not a list: a hostile map may have hundreds of thousands of keys.
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : ref.node) {
    const SourceLocation where = location_of(ref.file, entry.first.Mark());
    if (!entry.first.IsScalar()) {
      diagnostics.error(where, ref.path, "expected a string key, got " + describe_kind(entry.first));
      ok = false;
      continue;
    }
    const std::string& key = entry.first.Scalar();
    bool known = false;
    for (const std::string& candidate : allowed) known = known || candidate == key;
    if (!known) {
      diagnostics.error(where, ref.path, "unknown key '" + key + "'" + did_you_mean(key, allowed));
      ok = false;
    }
    if (!seen.insert(key).second) {
      diagnostics.error(where, ref.path, "duplicate key '" + key + "'");
      ok = false;
    }
  }
  return ok;
}

std::optional<std::string> read_string(const NodeRef& ref, Diagnostics& diagnostics) {
  return scalar_text(ref, "a string", diagnostics);
}

std::optional<int64_t> read_int(const NodeRef& ref, int64_t minimum, int64_t maximum,
                                Diagnostics& diagnostics) {
  const std::optional<std::string> text = scalar_text(ref, "an integer", diagnostics);
  if (!text) return std::nullopt;
  return report(ref, parse_integer(*text, minimum, maximum), diagnostics);
}

std::optional<double> read_double(const NodeRef& ref, double minimum, double maximum,
                                  Diagnostics& diagnostics) {
  const std::optional<std::string> text = scalar_text(ref, "a number", diagnostics);
  if (!text) return std::nullopt;
  return report(ref, parse_floating(*text, minimum, maximum), diagnostics);
}

std::optional<bool> read_bool(const NodeRef& ref, Diagnostics& diagnostics) {
  const std::optional<std::string> text = scalar_text(ref, "true or false", diagnostics);
  if (!text) return std::nullopt;
  return report(ref, parse_boolean(*text), diagnostics);
}

std::optional<sim::Duration> read_duration(const NodeRef& ref, Diagnostics& diagnostics) {
  const std::optional<std::string> text = scalar_text(ref, "a duration", diagnostics);
  if (!text) return std::nullopt;
  return report(ref, parse_bounded_duration(*text), diagnostics);
}

std::optional<int64_t> read_size_bytes(const NodeRef& ref, Diagnostics& diagnostics) {
  const std::optional<std::string> text = scalar_text(ref, "a size", diagnostics);
  if (!text) return std::nullopt;
  return report(ref, parse_memory_size(*text), diagnostics);
}

std::optional<double> read_rate_per_second(const NodeRef& ref, Diagnostics& diagnostics) {
  const std::optional<std::string> text = scalar_text(ref, "a rate", diagnostics);
  if (!text) return std::nullopt;
  return report(ref, parse_rate_per_second(*text), diagnostics);
}

std::optional<double> read_size_rate_bytes_per_second(const NodeRef& ref, Diagnostics& diagnostics) {
  const std::optional<std::string> text = scalar_text(ref, "a size per period", diagnostics);
  if (!text) return std::nullopt;
  return report(ref, parse_size_rate_bytes_per_second(*text), diagnostics);
}

std::optional<size_t> read_enum(const NodeRef& ref, std::span<const std::string> values,
                                Diagnostics& diagnostics) {
  std::string expected = "one of ";
  for (size_t i = 0; i < values.size(); ++i) expected += (i == 0 ? "" : ", ") + values[i];
  const std::optional<std::string> text = scalar_text(ref, expected, diagnostics);
  if (!text) return std::nullopt;
  const size_t index = find_enum_value(*text, values);
  if (index < values.size()) return index;
  diagnostics.error(ref.location(), ref.path,
                    "unknown value '" + *text + "'" + did_you_mean(*text, values) + ", expected " +
                        expected);
  return std::nullopt;
}

}  // namespace flinksim::scenarios
