#pragma once

// Pooled allocation for the data plane's most frequent messages (transfer batches and buffers):
// `make_pooled<T>(...)` is `std::make_shared<T>(...)` whose object and control block come from a
// free list of blocks of that size instead of malloc.
//
// Why: a watermark round of a keyBy at parallelism P allocates one batch per consumer
// TaskExecutor for each of P producers and frees them all when they are delivered, about a
// millisecond later. That burst overflows glibc's per-thread cache (7 blocks per size), so most
// of those allocations took malloc's slow path (`_int_malloc` was 10.7% of the p128 x 50k/s
// profile). A free list without a cap serves them all from blocks already used.
//
// Memory is kept for reuse, not returned: the pool holds as many blocks as were ever alive at
// once. Allocation order has no effect on the simulation (nothing is keyed by address). One pool
// per thread, released when the thread ends; a block freed after that goes back to the heap.

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace flinksim::model::runtime {

namespace detail {

template <size_t Size, size_t Align>
class BlockFreeList {
 public:
  static void* take() {
    BlockFreeList& list = instance();
    if (list.head_ == nullptr) return ::operator new(kBlock, std::align_val_t{kAlign});
    Node* node = list.head_;
    list.head_ = node->next;
    return node;
  }
  static void give(void* block) {
    if (!alive()) return ::operator delete(block, std::align_val_t{kAlign});
    BlockFreeList& list = instance();
    list.head_ = new (block) Node{list.head_};
  }
  ~BlockFreeList() {
    alive() = false;
    while (head_ != nullptr) ::operator delete(std::exchange(head_, head_->next), std::align_val_t{kAlign});
  }

 private:
  struct Node {
    Node* next;
  };
  static constexpr size_t kAlign = Align < alignof(Node) ? alignof(Node) : Align;
  static constexpr size_t kBlock = Size < sizeof(Node) ? sizeof(Node) : Size;

  static BlockFreeList& instance() {
    thread_local BlockFreeList list;
    alive() = true;
    return list;
  }
  // Trivially destructible, so still readable while (and after) the list is destroyed.
  static bool& alive() {
    thread_local bool value = false;
    return value;
  }

  Node* head_ = nullptr;
};

}  // namespace detail

template <typename T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() = default;
  template <typename U>
  PoolAllocator(const PoolAllocator<U>&) {}  // NOLINT: rebinding, as std::allocator does

  T* allocate(size_t n) {
    if (n != 1) return std::allocator<T>{}.allocate(n);
    return static_cast<T*>(detail::BlockFreeList<sizeof(T), alignof(T)>::take());
  }
  void deallocate(T* block, size_t n) {
    if (n != 1) return std::allocator<T>{}.deallocate(block, n);
    detail::BlockFreeList<sizeof(T), alignof(T)>::give(block);
  }
  template <typename U>
  bool operator==(const PoolAllocator<U>&) const { return true; }
};

template <typename T, typename... Args>
std::shared_ptr<T> make_pooled(Args&&... args) {
  return std::allocate_shared<T>(PoolAllocator<T>{}, std::forward<Args>(args)...);
}

}  // namespace flinksim::model::runtime
