// Goal: a guarded callback runs while its owner's Lifetime lasts and does nothing afterwards,
// also when it is held by something that outlives the owner (a timer, a network callback).
// Method: an owner with a Lifetime member hands a guarded callback out and is destroyed.
#include "sim/lifetime.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>

namespace flinksim::sim {
namespace {

// Counts its calls in a counter that outlives it.
struct Owner {
  explicit Owner(int* counter) : calls(counter) {}
  int* calls;
  Lifetime lifetime;
  std::function<void(int)> callback() {
    return lifetime.guard([this](int n) { *calls += n; });
  }
};

TEST(Lifetime, AGuardedCallbackRunsOnlyWhileItsOwnerLives) {
  int calls = 0;
  auto owner = std::make_unique<Owner>(&calls);
  const std::function<void(int)> held = owner->callback();
  held(1);
  held(2);
  EXPECT_EQ(calls, 3);
  owner.reset();
  held(4);
  EXPECT_EQ(calls, 3) << "the owner is gone";
}

TEST(Lifetime, TheTokenExpiresWithTheLifetime) {
  std::weak_ptr<const bool> token;
  {
    Lifetime lifetime;
    token = lifetime.token();
    EXPECT_FALSE(token.expired());
  }
  EXPECT_TRUE(token.expired());
}

TEST(Lifetime, AMoveOnlyCallbackCanBeGuarded) {
  Lifetime lifetime;
  auto value = std::make_unique<int>(41);
  int result = 0;
  auto guarded = lifetime.guard([value = std::move(value), &result]() { result = *value + 1; });
  guarded();
  EXPECT_EQ(result, 42);
}

}  // namespace
}  // namespace flinksim::sim
