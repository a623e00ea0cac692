#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "audit/gap_audit.h"
#include "core/clock.h"
#include "core/result.h"
#include "observe/logger.h"
#include "server/documents.h"

namespace rawfeed::app {

// The dashboard's gaps per domain (`rawfeed gaps` in the daemon). Listing a big lake costs a
// LIST request per 1,000 objects, so a domain's audit runs on demand only — when its figures are
// asked for and the last check is older than `max_age` — on a thread of this object's, never on
// the asking thread; in between the last result is served with its time. A failed check keeps
// the last good figures and says why. start(), stop() are idempotent; stop() waits for an audit
// under way (a listing cannot be cut short) and the destructor calls it. Thread-safe.
class GapWatch {
 public:
  using Audit = std::function<core::Result<audit::GapReport>()>;

  GapWatch(const core::Clock& clock, std::chrono::seconds max_age, observe::Logger& logger);
  ~GapWatch();
  GapWatch(const GapWatch&) = delete;
  GapWatch& operator=(const GapWatch&) = delete;

  // Before start().
  void addDomain(const std::string& name, Audit audit);

  // What is known of the domain's gaps, asking for a fresh check when the last one is older than
  // max_age (or none has finished) and none is under way; nullopt for a domain not added.
  std::optional<server::GapsView> view(const std::string& name);

  // The unit of work: runs every audit asked for, one after the other, on the calling thread.
  // The thread calls it; a test may call it directly without start().
  void runRequested();

  void start();
  void stop();

 private:
  struct Domain {
    Audit audit;
    server::GapsView view;
    bool requested = false;
  };
  void loop();

  const core::Clock& clock_;
  const std::chrono::seconds max_age_;
  observe::Logger& logger_;
  std::mutex mutex_;  // guards domains_' views and flags, started_, stopping_ and thread_
  std::condition_variable wake_;
  std::map<std::string, Domain> domains_;
  bool started_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rawfeed::app
