#pragma once

// The declaration of every supported Flink configuration key. The keys are declared once, as a
// Boost.Program_options options_description whose typed values carry Flink's type, default,
// allowed values, deprecated spellings and fallback keys; config_registry() (flink_configuration.h)
// is derived from it, and so are `flinksim config` and docs/configuration.md.

#include <boost/program_options/options_description.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "scenarios/flink_configuration.h"
#include "sim/result.h"

namespace flinksim::scenarios {

const boost::program_options::options_description& config_options_description();

// Checks `text` against the option's type and range and returns the normalized spelling:
// enumerations canonical lower-case (aliases resolved), durations and sizes in their shortest
// exact unit ("10 s", "32 kb"), booleans "true"/"false", integers in decimal.
sim::Result<std::string> normalize_config_value(const ConfigOptionSpec& option,
                                                std::string_view text);

// Keys read, in order, when `key` is unset (Flink's withFallbackKeys), e.g. taskmanager.slot.timeout
// falls back to pekko.ask.timeout.
const std::vector<std::string>& config_fallback_keys(std::string_view key);

// Accepted spellings that map to a canonical enum value, as "alias=canonical" (e.g.
// "restart-all=full"), for `flinksim config`.
const std::vector<std::string>& config_enum_aliases(std::string_view key);

std::string_view option_type_name(OptionType type);

}  // namespace flinksim::scenarios
