#pragma once

// The lifetime of an object that hands callbacks to longer-lived parts of the simulation: timers
// of its process, delivery callbacks of the network, answers of a ZooKeeper client. A JobMaster
// closed while its JobManager process lives on, or a leader latch dropped with a lost session,
// must not be called back. Owners keep a Lifetime member and wrap each such callback in
// `guard`; once the owner (and with it the Lifetime) is destroyed, the wrapped callbacks do
// nothing.

#include <memory>
#include <utility>

namespace flinksim::sim {

class Lifetime {
 public:
  Lifetime() = default;
  Lifetime(const Lifetime&) = delete;
  Lifetime& operator=(const Lifetime&) = delete;

  // `callback`, run only while this lifetime lasts. The result may be called any number of
  // times, with any arguments `callback` takes.
  template <typename Callback>
  auto guard(Callback callback) const {
    return [token = std::weak_ptr<const bool>(token_),
            callback = std::move(callback)](auto&&... args) mutable {
      if (token.lock()) callback(std::forward<decltype(args)>(args)...);
    };
  }

  // Whether a guard taken now would still run its callback: for a callback that must decide
  // several things at once, or that wraps another owner's guard.
  std::weak_ptr<const bool> token() const { return token_; }

 private:
  std::shared_ptr<const bool> token_ = std::make_shared<const bool>(true);
};

}  // namespace flinksim::sim
