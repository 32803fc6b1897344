#pragma once

// A set of channel indices as a bitmap, with the round-robin question a gate or partition asks:
// the first member at or after a position, wrapping around. A word covers 64 channels, so a
// task with 1,024 input channels answers it in at most 17 word reads.

#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

namespace flinksim::model::runtime {

class ChannelBitmap {
 public:
  explicit ChannelBitmap(size_t size) : size_(size), words_((size + 63) / 64, 0) {}

  size_t size() const { return size_; }
  bool contains(size_t index) const { return (words_[index / 64] >> (index % 64)) & 1; }
  void set(size_t index, bool member) {
    const uint64_t bit = uint64_t{1} << (index % 64);
    words_[index / 64] = member ? words_[index / 64] | bit : words_[index / 64] & ~bit;
  }
  // Calls `visit(index)` for every member, in ascending order; `visit` may remove members.
  template <typename Visit>
  void for_each(Visit visit) const {
    for (size_t w = 0; w < words_.size(); ++w) {
      for (uint64_t word = words_[w]; word != 0; word &= word - 1) {
        visit(w * 64 + static_cast<size_t>(std::countr_zero(word)));
      }
    }
  }
  // The first member at or after `start`, else the first member before it.
  std::optional<size_t> next_from(size_t start) const {
    if (size_ == 0) return std::nullopt;
    if (start >= size_) start = 0;
    if (const auto found = first_in(start, words_.size())) return found;
    return first_in(0, start / 64 + 1);
  }

 private:
  // The first member at or after `start` within words [start / 64, end_word).
  std::optional<size_t> first_in(size_t start, size_t end_word) const {
    for (size_t w = start / 64; w < end_word; ++w) {
      uint64_t word = words_[w];
      if (w == start / 64) word &= ~uint64_t{0} << (start % 64);
      if (word != 0) return w * 64 + static_cast<size_t>(std::countr_zero(word));
    }
    return std::nullopt;
  }

  size_t size_;
  std::vector<uint64_t> words_;
};

}  // namespace flinksim::model::runtime
