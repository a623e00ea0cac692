#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace rawfeed::http::curl {

// Items that must not start before their due time, as a min-heap so that one loop thread can
// hold any number of delayed requests without a sleeping thread each. Items due at the same
// instant come out in insertion order. Not thread-safe: the client's loop thread is its only user.
template <class T>
class DelayQueue {
 public:
  void push(core::SteadyTime due, T item) {
    heap_.push_back(Entry{due, next_seq_++, std::move(item)});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  // Every item whose due time is at or before `now`, earliest first.
  std::vector<T> popDue(core::SteadyTime now) {
    std::vector<T> out;
    while (!heap_.empty() && heap_.front().due <= now) {
      std::pop_heap(heap_.begin(), heap_.end(), Later{});
      out.push_back(std::move(heap_.back().item));
      heap_.pop_back();
    }
    return out;
  }

  std::optional<core::SteadyTime> nextDue() const {
    if (heap_.empty()) {
      return std::nullopt;
    }
    return heap_.front().due;
  }

  // Everything, in no particular order (used to cancel on shutdown).
  std::vector<T> drain() {
    std::vector<T> out;
    out.reserve(heap_.size());
    for (auto& entry : heap_) {
      out.push_back(std::move(entry.item));
    }
    heap_.clear();
    return out;
  }

  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }

 private:
  struct Entry {
    core::SteadyTime due;
    std::uint64_t seq;
    T item;
  };
  // std heaps are max-heaps: "later" as less-than puts the earliest entry on top.
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };

  std::vector<Entry> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace rawfeed::http::curl
