#pragma once

// What travels over the simulated network. The kernel knows nothing of the payload's meaning;
// components define immutable message structs deriving from Message and recover them with
// `as<T>()`. Messages are shared, never copied, so a broadcast costs one allocation.

#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>
#include <typeinfo>

namespace flinksim::sim {

class Message {
 public:
  virtual ~Message() = default;
  // A stable name for traces ("TaskExecutorHeartbeatRequest").
  virtual std::string_view type_name() const = 0;
  // Bytes on the wire: determines the serialization delay under the link's bandwidth.
  virtual int64_t size_bytes() const { return 128; }

  // A final message type is recognised by its type id alone, which is cheaper than a cast
  // through the hierarchy: a TaskExecutor asks this of every data buffer it receives.
  template <typename T>
  const T* as() const {
    if constexpr (std::is_final_v<T>) {
      return typeid(*this) == typeid(T) ? static_cast<const T*>(this) : nullptr;
    } else {
      return dynamic_cast<const T*>(this);
    }
  }
};

using MessagePtr = std::shared_ptr<const Message>;

}  // namespace flinksim::sim
