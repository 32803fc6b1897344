#pragma once

// Reading YAML with precise diagnostics. yaml-cpp parses; these helpers turn every mistake into a
// Diagnostic with file, line, column and document path, and keep going so all errors are found.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "scenarios/diagnostics.h"
#include "sim/time.h"

namespace flinksim::scenarios {

// A node together with where it came from: the file name and its path inside the document.
struct NodeRef {
  YAML::Node node;
  std::string file;
  std::string path;  // "" for the root, "job.vertices[2]" below it

  SourceLocation location() const;
  NodeRef child(std::string_view key) const;  // node[key], path "path.key"
  NodeRef element(size_t index) const;        // node[index], path "path[index]"
};

// Parses text as one YAML document. Malformed YAML, an empty document, binary input, excessive
// nesting or alias expansion become diagnostics (returns nullopt), never a crash or a hang.
std::optional<NodeRef> parse_yaml(std::string_view text, std::string file, Diagnostics& diagnostics);
// Reads a file of at most the input limit (16 MiB) plus one byte, so that parse_yaml can report an
// oversized file without it ever being read whole; a missing or unreadable file is a diagnostic.
std::optional<std::string> read_bounded_text(const std::string& path, Diagnostics& diagnostics);
// Reads and parses a file; a missing or unreadable file is a diagnostic.
std::optional<NodeRef> load_yaml_file(const std::string& path, Diagnostics& diagnostics);

// Reports every key of the map `ref` that is not in `allowed`, with a did-you-mean suggestion.
// Reports an error if `ref` is not a map. Returns false if anything was reported.
bool check_keys(const NodeRef& ref, std::span<const std::string> allowed, Diagnostics& diagnostics);

// Typed scalar readers: on a wrong type or out-of-range value they report a diagnostic at the
// node and return nullopt. A missing node (ref.node undefined) returns nullopt silently.
std::optional<std::string> read_string(const NodeRef& ref, Diagnostics& diagnostics);
std::optional<int64_t> read_int(const NodeRef& ref, int64_t minimum, int64_t maximum,
                                Diagnostics& diagnostics);
std::optional<double> read_double(const NodeRef& ref, double minimum, double maximum,
                                  Diagnostics& diagnostics);
std::optional<bool> read_bool(const NodeRef& ref, Diagnostics& diagnostics);
// Flink duration syntax ("10 s", "500ms", bare integer = ms).
std::optional<sim::Duration> read_duration(const NodeRef& ref, Diagnostics& diagnostics);
// Sizes: "64 B", "4 kb", "100 mb", "32 kb", bare integer = bytes. Flink's MemorySize syntax.
std::optional<int64_t> read_size_bytes(const NodeRef& ref, Diagnostics& diagnostics);
// Rates: "10000/s", "5/min", "1/10min" (one per ten minutes); returns events per second.
std::optional<double> read_rate_per_second(const NodeRef& ref, Diagnostics& diagnostics);
std::optional<double> read_size_rate_bytes_per_second(const NodeRef& ref, Diagnostics& diagnostics);
// Case-insensitive enum; '-' and '_' are interchangeable ("ALL_TO_ALL" == "all-to-all" ==
// "all_to_all"). Returns the index into `values`; unknown values get a did-you-mean.
std::optional<size_t> read_enum(const NodeRef& ref, std::span<const std::string> values,
                                Diagnostics& diagnostics);

}  // namespace flinksim::scenarios
