#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/server/raw_http.h"

// The slowloris attack: connections that send a request head a byte at a time and never finish
// it, each byte renewing any per-read timeout. Test support only.
namespace rawfeed::server::testing {

class Slowloris {
 public:
  using Clock = std::chrono::steady_clock;

  // `count` connections to 127.0.0.1:`port`, from `sources` in turn. Each sends `request_line`
  // at once, then header lines that never end the head, one byte every `interval`.
  Slowloris(int port, const std::vector<std::string>& sources, std::size_t count,
            std::string request_line, std::chrono::milliseconds interval)
      : interval_(interval), sent_(count) {
    for (std::size_t i = 0; i < count; ++i) {
      connections_.push_back(
          std::make_unique<RawConnection>(port, sources[i % sources.size()].c_str()));
      opened_at_.push_back(Clock::now());
      if (connections_.back()->connected()) {
        (void)connections_.back()->send(request_line);
      }
    }
    thread_ = std::thread([this] { trickle(); });
  }
  ~Slowloris() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  Slowloris(const Slowloris&) = delete;
  Slowloris& operator=(const Slowloris&) = delete;

  std::size_t size() const { return connections_.size(); }
  std::size_t connected() const {
    std::size_t count = 0;
    for (const auto& connection : connections_) {
      count += connection->connected() ? 1 : 0;
    }
    return count;
  }
  RawConnection& connection(std::size_t i) { return *connections_[i]; }
  Clock::time_point openedAt(std::size_t i) const { return opened_at_[i]; }
  // Header bytes sent on connection i after its request line.
  std::size_t trickled(std::size_t i) const { return sent_[i].load(); }

 private:
  void trickle() {
    static constexpr std::string_view kHeader = "X-Trickle: still coming\r\n";
    std::vector<bool> alive;
    for (const auto& connection : connections_) {
      alive.push_back(connection->connected());
    }
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      for (std::size_t i = 0; i < connections_.size(); ++i) {
        if (alive[i]) {
          const std::size_t at = sent_[i].load() % kHeader.size();
          alive[i] = connections_[i]->send(kHeader.substr(at, 1));
          sent_[i] += alive[i] ? 1 : 0;
        }
      }
    }
  }

  std::chrono::milliseconds interval_;
  std::vector<std::unique_ptr<RawConnection>> connections_;
  std::vector<Clock::time_point> opened_at_;
  std::vector<std::atomic<std::size_t>> sent_;
  std::mutex mutex_;  // guards stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rawfeed::server::testing
