#pragma once

// The buffers and events queued on one channel, oldest first: a subpartition's queue on the
// producer side, an input channel's on the consumer side (Flink's PipelinedSubpartition#buffers
// and RemoteInputChannel#receivedBuffers, both ArrayDeques).
//
// Why not std::deque: a keyBy at parallelism P has P x P channels, nearly all of them holding
// nothing or one buffer at a time. libstdc++'s deque is 80 bytes and allocates a 512-byte block
// as soon as it holds anything (and frees it again when it drains), so every channel touched by
// a watermark round cost an allocation and several cache misses. This queue is a vector and the
// index of its head: 32 bytes, nothing allocated while the channel is idle, and the storage
// stays with the channel once it has carried a buffer, so draining and refilling it allocates
// nothing. Taken entries are compacted away when they are at least half of the storage, so a
// queue that never drains does not grow.

#include <cstddef>
#include <utility>
#include <vector>

#include "model/runtime/network_buffer.h"

namespace flinksim::model::runtime {

class BufferQueue {
 public:
  using const_iterator = std::vector<NetworkBuffer>::const_iterator;

  bool empty() const { return head_ == items_.size(); }
  size_t size() const { return items_.size() - head_; }
  NetworkBuffer& front() { return items_[head_]; }
  const NetworkBuffer& front() const { return items_[head_]; }
  NetworkBuffer& operator[](size_t position) { return items_[head_ + position]; }
  const NetworkBuffer& operator[](size_t position) const { return items_[head_ + position]; }
  const_iterator begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  const_iterator end() const { return items_.end(); }

  void push_back(NetworkBuffer buffer) { items_.push_back(std::move(buffer)); }
  // A priority event (an unaligned checkpoint barrier) goes ahead of everything queued.
  void push_front(NetworkBuffer buffer) {
    if (head_ > 0) {
      items_[--head_] = std::move(buffer);
      return;
    }
    items_.insert(items_.begin(), std::move(buffer));
  }
  void pop_front() {
    items_[head_++] = NetworkBuffer{};  // the taken buffer's records are released now
    if (head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (head_ >= kCompactAt && 2 * head_ >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

 private:
  static constexpr size_t kCompactAt = 16;

  std::vector<NetworkBuffer> items_;
  size_t head_ = 0;  // items_[head_] is the front; the ones before it were taken
};

}  // namespace flinksim::model::runtime
