#include "model/runtime/watermark_valve.h"

#include <algorithm>
#include <limits>

namespace flinksim::model::runtime {

WatermarkValve::WatermarkValve(size_t channels)
    : watermarks_(channels, std::numeric_limits<int64_t>::min()), ended_(channels, false) {
  while (leaves_ < channels) leaves_ *= 2;
  tree_.assign(2 * leaves_, std::numeric_limits<int64_t>::max());
  for (size_t c = 0; c < channels; ++c) update(c);
}

std::optional<int64_t> WatermarkValve::on_watermark(size_t channel, int64_t watermark) {
  if (watermark > watermarks_[channel]) {
    watermarks_[channel] = watermark;
    update(channel);
  }
  return combined();
}

std::optional<int64_t> WatermarkValve::on_channel_ended(size_t channel) {
  ended_[channel] = true;
  update(channel);
  return combined();
}

void WatermarkValve::update(size_t channel) {
  size_t node = leaves_ + channel;
  tree_[node] = ended_[channel] ? std::numeric_limits<int64_t>::max() : watermarks_[channel];
  for (node /= 2; node >= 1; node /= 2) {
    const int64_t minimum = std::min(tree_[2 * node], tree_[2 * node + 1]);
    if (tree_[node] == minimum) break;  // nothing above changes either
    tree_[node] = minimum;
  }
}

std::optional<int64_t> WatermarkValve::combined() const {
  const int64_t minimum = tree_[1];
  if (minimum == std::numeric_limits<int64_t>::max()) return std::nullopt;
  return minimum;
}

}  // namespace flinksim::model::runtime
