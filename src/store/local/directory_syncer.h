#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace rawfeed::store::local {

// Group commit for directory fsyncs. A put must fsync its directory after its rename, and with
// many puts landing in one partition directory at once, one fsync started after all of their
// renames serves them all: callers that arrive while a sync is running join the next one
// instead of each issuing their own. Thread-safe.
class DirectorySyncer {
 public:
  // Returns once every change made to path before the call is durable: 0, or fsync's errno.
  int sync(const std::string& path);

 private:
  struct Batch {
    bool done = false;
    int error = 0;
  };
  struct State {
    bool running = false;
    std::shared_ptr<Batch> next;  // not started yet; every new caller joins it
  };

  std::mutex mutex_;  // guards states_ and every Batch
  std::condition_variable finished_;
  std::map<std::string, State, std::less<>> states_;  // by directory; idle ones are erased
};

}  // namespace rawfeed::store::local
