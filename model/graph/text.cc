#include "model/graph/text.h"

namespace flinksim::graph {

std::string normalize_enum_text(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (char c : text) {
    if (c == '-') {
      result.push_back('_');
    } else if (c >= 'A' && c <= 'Z') {
      result.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      result.push_back(c);
    }
  }
  return result;
}

}  // namespace flinksim::graph
