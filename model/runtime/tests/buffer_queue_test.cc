// BufferQueue: a channel's FIFO of buffers and events without std::deque.
// Method: hand-picked sequences (events identified by their value), and a long run of mixed
// pushes and pops compared step by step with std::deque, the container it replaces, across the
// compaction threshold and with priority events pushed in front.

#include "model/runtime/buffer_queue.h"

#include <gtest/gtest.h>

#include <deque>

namespace flinksim::model::runtime {
namespace {

NetworkBuffer event(int64_t value) { return NetworkBuffer::of_event(BufferEvent{BufferEvent::Kind::watermark, value, 0}); }

std::vector<int64_t> values(const BufferQueue& queue) {
  std::vector<int64_t> result;
  for (const NetworkBuffer& buffer : queue) result.push_back(buffer.event.value);
  return result;
}

TEST(BufferQueue, IsFirstInFirstOutWithPriorityEventsInFront) {
  BufferQueue queue;
  EXPECT_TRUE(queue.empty());
  queue.push_back(event(1));
  queue.push_back(event(2));
  queue.push_front(event(0));  // no taken slot before the head: inserted
  EXPECT_EQ(values(queue), (std::vector<int64_t>{0, 1, 2}));
  queue.pop_front();
  queue.pop_front();
  queue.push_front(event(9));  // reuses the slot of the taken head
  EXPECT_EQ(values(queue), (std::vector<int64_t>{9, 2}));
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[1].event.value, 2);
  queue.pop_front();
  queue.pop_front();
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.size(), 0u);
}

TEST(BufferQueue, ReleasesATakenBuffersRecordsAtOnce) {
  BufferQueue queue;
  NetworkBuffer data;
  data.records.resize(3);
  queue.push_back(std::move(data));
  queue.push_back(event(1));
  NetworkBuffer& head = queue.front();
  EXPECT_EQ(head.records.size(), 3u);
  queue.pop_front();
  EXPECT_EQ(queue.front().event.value, 1);
}

TEST(BufferQueue, AgreesWithADequeOverALongMixedRun) {
  BufferQueue queue;
  std::deque<int64_t> expected;
  int64_t next = 0;
  // Pushes outnumber pops for a while (the queue never drains, so compaction must run), then pops
  // drain it; every 7th push is a priority event.
  for (int step = 0; step < 2000; ++step) {
    const bool push = step < 1200 ? step % 3 != 2 : step % 4 == 0;
    if (push && step % 7 == 0) {
      queue.push_front(event(next));
      expected.push_front(next++);
    } else if (push) {
      queue.push_back(event(next));
      expected.push_back(next++);
    } else if (!expected.empty()) {
      ASSERT_EQ(queue.front().event.value, expected.front());
      queue.pop_front();
      expected.pop_front();
    }
    ASSERT_EQ(queue.size(), expected.size());
    ASSERT_EQ(values(queue), std::vector<int64_t>(expected.begin(), expected.end())) << "step " << step;
  }
}

}  // namespace
}  // namespace flinksim::model::runtime
