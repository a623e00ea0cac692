#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace rawfeed::app {

// SIGINT/SIGTERM handled on a thread of its own (sigwait), so the reaction may take locks: the
// first signal asks for a graceful stop, the second for an immediate one. Construct it before
// any other thread so that every thread inherits the blocked mask.
class SignalWatcher {
 public:
  SignalWatcher(std::function<void()> on_first, std::function<void()> on_second);
  ~SignalWatcher();

  int received() const { return count_; }

  // Blocks SIGINT and SIGTERM in the calling thread, so that every thread it starts afterwards
  // inherits the mask and the watcher alone receives them. Call it first thing in a command
  // that will start threads (libcurl's, the worker pool's) before its watcher exists.
  static void blockStopSignals();

 private:
  std::function<void()> on_first_;
  std::function<void()> on_second_;
  std::atomic<int> count_{0};
  std::thread thread_;
};

}  // namespace rawfeed::app
