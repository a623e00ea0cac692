#pragma once

#include <cstddef>
#include <vector>

namespace rawfeed::observe {

// The last `capacity` items pushed, oldest first; pushing onto a full buffer drops the oldest.
// Not thread-safe: its owner locks.
template <class T>
class RingBuffer {
 public:
  explicit RingBuffer(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
    items_.reserve(capacity_);
  }

  void push(T item) {
    if (items_.size() < capacity_) {
      items_.push_back(std::move(item));
      return;
    }
    items_[next_] = std::move(item);
    next_ = (next_ + 1) % capacity_;
  }

  std::vector<T> items() const {
    std::vector<T> out;
    out.reserve(items_.size());
    for (std::size_t i = 0; i < items_.size(); ++i)
      out.push_back(items_[(next_ + i) % items_.size()]);
    return out;
  }

  std::size_t size() const { return items_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  std::vector<T> items_;
  std::size_t next_ = 0;  // the oldest item once full
};

}  // namespace rawfeed::observe
