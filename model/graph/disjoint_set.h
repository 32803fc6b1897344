#pragma once

// Union-find with path halving and union by size, over dense indices. The regions code merges
// the smaller set into the larger one, as Flink's VertexGroupComputeUtil does.

#include <cstdint>
#include <numeric>
#include <vector>

namespace flinksim::graph {

class DisjointSet {
 public:
  explicit DisjointSet(size_t size) : parent_(size), size_(size, 1) {
    std::iota(parent_.begin(), parent_.end(), uint32_t{0});
  }

  uint32_t find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  // Returns true if the two were in different sets.
  bool unite(uint32_t a, uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return false;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    return true;
  }

  size_t size() const { return parent_.size(); }

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
};

}  // namespace flinksim::graph
