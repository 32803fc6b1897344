#include "reports/shard.h"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

namespace flinksim::reports {
namespace {

std::optional<uint64_t> parse_count(std::string_view text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [pointer, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || pointer != end) return std::nullopt;
  return value;
}

std::optional<Shard> checked_shard(uint64_t index, uint64_t count, const std::string& what,
                                   std::string& error) {
  if (count == 0 || index >= count) {
    error = "bad shard " + what + ": expected K/N with 0 <= K < N (K counts from 0)";
    return std::nullopt;
  }
  return Shard{index, count};
}

// A variable that must hold a non-negative integer when it is set.
bool read_number(const EnvironmentLookup& environment, const std::string& name,
                 std::optional<uint64_t>& value, std::string& error) {
  const std::optional<std::string> text = environment(name);
  if (!text) return true;
  value = parse_count(*text);
  if (!value) error = "bad environment variable " + name + "='" + *text + "': expected a number";
  return value.has_value();
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text, std::string& error) {
  const size_t slash = text.find('/');
  const std::optional<uint64_t> index = parse_count(text.substr(0, slash));
  const std::optional<uint64_t> count =
      slash == std::string_view::npos ? std::nullopt : parse_count(text.substr(slash + 1));
  if (!index || !count) {
    error = "bad shard '" + std::string(text) + "': expected K/N with 0 <= K < N (K counts from 0)";
    return std::nullopt;
  }
  return checked_shard(*index, *count, fmt::format("'{}'", text), error);
}

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::optional<Shard> shard_from_environment(const EnvironmentLookup& environment,
                                            std::optional<uint64_t> shards, std::string& error) {
  std::optional<uint64_t> configured;
  if (!read_number(environment, "FLINKSIM_SHARDS", configured, error)) return std::nullopt;
  if (shards) configured = shards;

  std::optional<uint64_t> completion_index;
  if (!read_number(environment, "JOB_COMPLETION_INDEX", completion_index, error)) return std::nullopt;
  if (completion_index) {
    if (!configured) {
      error = "JOB_COMPLETION_INDEX is set but the shard count is not: pass --shards N or set "
              "FLINKSIM_SHARDS to the Indexed Job's completions";
      return std::nullopt;
    }
    return checked_shard(*completion_index, *configured,
                         "JOB_COMPLETION_INDEX=" + std::to_string(*completion_index) + " of " +
                             std::to_string(*configured),
                         error);
  }

  std::optional<uint64_t> task_id, task_min, task_count;
  if (!read_number(environment, "SLURM_ARRAY_TASK_ID", task_id, error) ||
      !read_number(environment, "SLURM_ARRAY_TASK_MIN", task_min, error) ||
      !read_number(environment, "SLURM_ARRAY_TASK_COUNT", task_count, error)) {
    return std::nullopt;
  }
  if (!task_id) return std::nullopt;
  const uint64_t minimum = task_min.value_or(0);
  const std::optional<uint64_t> count = configured ? configured : task_count;
  if (!count || *task_id < minimum) {
    error = "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT (or --shards) is missing, or "
            "the task id is below SLURM_ARRAY_TASK_MIN";
    return std::nullopt;
  }
  return checked_shard(*task_id - minimum, *count,
                       "SLURM_ARRAY_TASK_ID=" + std::to_string(*task_id) + " of " + std::to_string(*count),
                       error);
}

}  // namespace flinksim::reports
