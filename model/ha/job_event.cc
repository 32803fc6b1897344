#include "model/ha/job_event.h"

#include <sstream>

namespace flinksim::model::ha {

std::string JobEvent::format() const {
  std::ostringstream out;
  out << (kind == Kind::vertex_finished ? "finished" : "reset") << ' '
      << (location.empty() ? "-" : location);
  for (const graph::ExecutionVertexId& vertex : vertices) {
    out << ' ' << vertex.vertex.index << ':' << vertex.subtask;
  }
  return out.str();
}

std::optional<JobEvent> JobEvent::parse(const std::string& text) {
  std::istringstream in(text);
  std::string kind;
  JobEvent event;
  if (!(in >> kind >> event.location)) return std::nullopt;
  if (kind != "finished" && kind != "reset") return std::nullopt;
  event.kind = kind == "finished" ? Kind::vertex_finished : Kind::vertices_reset;
  if (event.location == "-") event.location.clear();
  std::string vertex;
  while (in >> vertex) {
    const auto colon = vertex.find(':');
    if (colon == std::string::npos) return std::nullopt;
    graph::ExecutionVertexId id;
    id.vertex.index = static_cast<uint32_t>(std::stoul(vertex.substr(0, colon)));
    id.subtask = static_cast<uint32_t>(std::stoul(vertex.substr(colon + 1)));
    event.vertices.push_back(id);
  }
  return event;
}

}  // namespace flinksim::model::ha
