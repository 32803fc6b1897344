#pragma once

// A results database that cannot be used: missing, unwritable, corrupt, from a newer flinksim, or
// not a flinksim database. The message names the file and says what to do; the CLI prints it and
// exits with 2 (bad input). SQLite's own exceptions never leave reports/.

#include <stdexcept>
#include <string>

namespace flinksim::reports {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace flinksim::reports
