#include "app/signal_watcher.h"

#include <pthread.h>
#include <signal.h>

namespace rawfeed::app {

namespace {

// SIGUSR2 is ours alone: the destructor sends it to wake the waiting thread.
sigset_t watchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);
  return set;
}

}  // namespace

SignalWatcher::SignalWatcher(std::function<void()> on_first, std::function<void()> on_second)
    : on_first_(std::move(on_first)), on_second_(std::move(on_second)) {
  sigset_t set = watchedSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this, set] {
    while (true) {
      int signal = 0;
      if (sigwait(&set, &signal) != 0)
        continue;
      if (signal == SIGUSR2)
        return;
      const int count = ++count_;
      if (count == 1 && on_first_)
        on_first_();
      if (count == 2 && on_second_)
        on_second_();
    }
  });
}

void SignalWatcher::blockStopSignals() {
  sigset_t set = watchedSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::~SignalWatcher() {
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

}  // namespace rawfeed::app
