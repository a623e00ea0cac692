#pragma once

#include <cstddef>

namespace rawfeed::server {

// Memory for request bodies the front is still receiving, shared by every connection: without
// it, max_connections slow uploads could each hold max_body_bytes. Not thread-safe (the front's
// loop owns it).
class BodyBudget {
 public:
  explicit BodyBudget(std::size_t capacity) : capacity_(capacity) {}

  bool tryReserve(std::size_t bytes) {
    if (bytes > capacity_ - used_) {
      return false;
    }
    used_ += bytes;
    return true;
  }
  void release(std::size_t bytes) { used_ -= bytes < used_ ? bytes : used_; }

  std::size_t used() const { return used_; }

 private:
  std::size_t capacity_;
  std::size_t used_ = 0;
};

}  // namespace rawfeed::server
