#include "model/ha/job_event.h"

#include <algorithm>
#include <sstream>

namespace flinksim::model::ha {

std::string JobEvent::format() const {
  std::ostringstream out;
  out << (kind == Kind::vertex_finished ? "finished" : "reset") << ' '
      << (location.empty() ? "-" : location) << ' ' << (snapshot ? "snapshot" : "-");
  for (const graph::ExecutionVertexId& vertex : vertices) {
    out << ' ' << vertex.vertex.index << ':' << vertex.subtask;
  }
  return out.str();
}

std::optional<JobEvent> JobEvent::parse(const std::string& text) {
  std::istringstream in(text);
  std::string kind;
  std::string snapshot;
  JobEvent event;
  if (!(in >> kind >> event.location >> snapshot)) return std::nullopt;
  event.snapshot = snapshot == "snapshot";
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

std::vector<ReplayedFinish> replay_finished(const std::vector<JobEvent>& events) {
  std::vector<ReplayedFinish> finished;
  const auto find = [&finished](const graph::ExecutionVertexId& vertex) {
    return std::find_if(finished.begin(), finished.end(),
                        [&vertex](const ReplayedFinish& f) { return f.vertex == vertex; });
  };
  for (const JobEvent& event : events) {
    for (const graph::ExecutionVertexId& vertex : event.vertices) {
      const auto it = find(vertex);
      if (event.kind == JobEvent::Kind::vertices_reset) {
        if (it != finished.end()) finished.erase(it);
      } else if (it != finished.end()) {
        *it = {vertex, event.location, event.snapshot};
      } else {
        finished.push_back({vertex, event.location, event.snapshot});
      }
    }
  }
  while (!finished.empty() && !finished.back().snapshot) finished.pop_back();
  return finished;
}

}  // namespace flinksim::model::ha
