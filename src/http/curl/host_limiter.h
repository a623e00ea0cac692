#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rawfeed::http::curl {

// Admission control per origin (scheme+host+port): at most `max_per_host` items started at once,
// the rest wait in FIFO order. Kept apart from curl so the ordering rules are testable without
// sockets. Not thread-safe: the client's loop thread is its only user.
template <class T>
class HostLimiter {
 public:
  explicit HostLimiter(std::size_t max_per_host) : max_(max_per_host == 0 ? 1 : max_per_host) {}

  // Returns the item when it may start now (its slot is taken); otherwise it joins the host's
  // queue and nullopt is returned.
  std::optional<T> admit(const std::string& host, T item) {
    Host& state = hosts_[host];
    // A newcomer never overtakes a waiter; waiters exist only while the host is full anyway.
    if (state.active < max_ && state.waiting.empty()) {
      ++state.active;
      ++active_;
      return item;
    }
    state.waiting.push_back(std::move(item));
    ++waiting_;
    return std::nullopt;
  }

  // One started item of `host` ended. Its slot passes straight to the host's oldest waiter,
  // which is returned for the caller to start; with no waiter the slot is freed.
  std::optional<T> release(const std::string& host) {
    auto it = hosts_.find(host);
    if (it == hosts_.end() || it->second.active == 0) {
      return std::nullopt;  // a release without admit is a caller bug; ignoring keeps counts sane
    }
    Host& state = it->second;
    if (!state.waiting.empty()) {
      T next = std::move(state.waiting.front());
      state.waiting.pop_front();
      --waiting_;
      return next;
    }
    --state.active;
    --active_;
    if (state.active == 0) {
      hosts_.erase(it);  // keeps the map as small as the set of busy hosts
    }
    return std::nullopt;
  }

  // Every waiting item, oldest first per host; started items keep their slots.
  std::vector<T> drainWaiting() {
    std::vector<T> out;
    for (auto& [host, state] : hosts_) {
      for (auto& item : state.waiting) {
        out.push_back(std::move(item));
      }
      state.waiting.clear();
    }
    waiting_ = 0;
    return out;
  }

  std::size_t active() const { return active_; }
  std::size_t waiting() const { return waiting_; }
  std::size_t active(const std::string& host) const {
    auto it = hosts_.find(host);
    return it == hosts_.end() ? 0 : it->second.active;
  }

 private:
  struct Host {
    std::size_t active = 0;
    std::deque<T> waiting;
  };

  std::size_t max_;
  std::size_t active_ = 0;
  std::size_t waiting_ = 0;
  std::unordered_map<std::string, Host> hosts_;
};

}  // namespace rawfeed::http::curl
