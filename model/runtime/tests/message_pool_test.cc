// make_pooled: shared messages whose blocks come from a free list.
// Method: a freed block is handed out again for the next object of the same size (the point of
// the pool), objects are constructed and destroyed exactly once, and weak references outlive
// the object as with make_shared.

#include "model/runtime/message_pool.h"

#include <gtest/gtest.h>

#include "model/runtime/data_messages.h"

namespace flinksim::model::runtime {
namespace {

struct Counted {
  static inline int alive = 0;
  explicit Counted(int v) : value(v) { ++alive; }
  ~Counted() { --alive; }
  int value;
};

TEST(MessagePool, ReusesTheBlockOfAFreedObject) {
  const void* first = nullptr;
  {
    auto batch = make_pooled<TransferBatch>();
    first = batch.get();
  }
  auto again = make_pooled<TransferBatch>();
  EXPECT_EQ(again.get(), first);
  auto other = make_pooled<TransferBatch>();  // the first is in use: a new block
  EXPECT_NE(other.get(), first);
}

TEST(MessagePool, ConstructsAndDestroysOnceAndKeepsWeakReferencesValid) {
  std::weak_ptr<Counted> weak;
  {
    auto object = make_pooled<Counted>(7);
    weak = object;
    EXPECT_EQ(object->value, 7);
    EXPECT_EQ(Counted::alive, 1);
  }
  EXPECT_EQ(Counted::alive, 0);
  EXPECT_TRUE(weak.expired());  // the control block lives on until the weak reference goes
  auto reused = make_pooled<Counted>(8);
  EXPECT_EQ(reused->value, 8);
  EXPECT_EQ(Counted::alive, 1);
}

}  // namespace
}  // namespace flinksim::model::runtime
