#pragma once

// A task's combined input watermark (Flink's StatusWatermarkValve): each input channel's
// watermark only rises, an ended channel no longer holds event time back, and the task's
// watermark is the minimum over the channels that have not ended. The minimum is kept in a
// tournament tree, so a watermark on one of P channels costs log P, not a scan of all P (a
// keyBy at parallelism 1,024 brings 1,024 watermarks per task every auto-watermark interval).

#include <cstdint>
#include <optional>
#include <vector>

namespace flinksim::model::runtime {

class WatermarkValve {
 public:
  explicit WatermarkValve(size_t channels);

  // The channel's watermark rises to `watermark`; returns the combined watermark, unset while
  // every channel ended or holds the end of event time.
  std::optional<int64_t> on_watermark(size_t channel, int64_t watermark);
  // The channel ended; returns the combined watermark as `on_watermark` does.
  std::optional<int64_t> on_channel_ended(size_t channel);

 private:
  void update(size_t channel);
  std::optional<int64_t> combined() const;

  std::vector<int64_t> watermarks_;
  std::vector<bool> ended_;
  size_t leaves_ = 1;
  // tree_[1] is the minimum; leaf i is tree_[leaves_ + i]; padding leaves hold INT64_MAX.
  std::vector<int64_t> tree_;
};

}  // namespace flinksim::model::runtime
