#pragma once

// Expected outcomes that can fail are values, not exceptions (C++20 has no std::expected yet).

#include <string>
#include <utility>
#include <variant>

#include "sim/assert.h"

namespace flinksim::sim {

struct Error {
  std::string message;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    FLINKSIM_ASSERT_MSG(ok(), error_message_or_empty());
    return std::get<T>(state_);
  }
  T& value() & {
    FLINKSIM_ASSERT_MSG(ok(), error_message_or_empty());
    return std::get<T>(state_);
  }
  T&& value() && {
    FLINKSIM_ASSERT_MSG(ok(), error_message_or_empty());
    return std::get<T>(std::move(state_));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    FLINKSIM_ASSERT(!ok());
    return std::get<Error>(state_);
  }

 private:
  std::string error_message_or_empty() const {
    return ok() ? std::string() : std::get<Error>(state_).message;
  }
  std::variant<T, Error> state_;
};

}  // namespace flinksim::sim
