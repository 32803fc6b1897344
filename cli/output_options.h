#pragma once

// The flags every printing command shares (issue 21: one flag name per concept): --json for a
// machine-readable result and --quiet for none at all, the exit code and stderr telling the
// outcome. Errors and warnings always go to stderr, so neither flag hides them.

#include <iostream>
#include <streambuf>

namespace CLI {
class App;
}

namespace flinksim::cli {

struct OutputOptions {
  bool json = false;
  bool quiet = false;
};

// Adds --json (described by `json_description`) and --quiet to `command`.
void add_output_flags(CLI::App& command, OutputOptions& options, const char* json_description);
// Adds --quiet alone, for commands that already have --json.
void add_quiet_flag(CLI::App& command, bool& quiet);

// While alive, and if `quiet`, whatever the command writes to std::cout is dropped.
class QuietScope {
 public:
  explicit QuietScope(bool quiet);
  ~QuietScope();
  QuietScope(const QuietScope&) = delete;
  QuietScope& operator=(const QuietScope&) = delete;

 private:
  // A stream buffer that accepts and drops everything.
  class NullBuffer final : public std::streambuf {
   protected:
    int overflow(int c) override { return traits_type::not_eof(c); }
    std::streamsize xsputn(const char*, std::streamsize count) override { return count; }
  };

  NullBuffer null_;
  std::streambuf* saved_ = nullptr;
};

}  // namespace flinksim::cli
