#include "model/ha/leader_information.h"

#include <cstdio>

namespace flinksim::model::ha {

std::string LeaderInformation::format() const {
  return "session=" + std::to_string(session.value) +
         " resourcemanager=" + std::to_string(resource_manager.value) +
         " jobmaster=" + std::to_string(job_master.value);
}

std::optional<LeaderInformation> LeaderInformation::parse(std::string_view text) {
  unsigned long long session = 0;
  unsigned int resource_manager = 0;
  unsigned int job_master = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "session=%llu resourcemanager=%u jobmaster=%u", &session,
                  &resource_manager, &job_master) != 3) {
    return std::nullopt;
  }
  return LeaderInformation{LeaderSessionId{session}, sim::EndpointId{resource_manager},
                           sim::EndpointId{job_master}};
}

}  // namespace flinksim::model::ha
