#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "events/event_sink.h"
#include "sources/source.h"

// Small fakes behind the pipeline's own interfaces (sources, events), for its unit tests; the
// shared ones (clock, object store, queue, BatchRequest builder) are in support/fakes/.
namespace rawfeed::pipeline::testing {

// One bar on `date` at `timestamp`, every price `price`, volume 100.
inline core::DayRecords day(const std::string& date, std::int64_t timestamp, const char* price) {
  core::Record record;
  record.timestamp = timestamp;
  record.open = record.high = record.low = record.close = std::string(price);
  record.adjusted_close = std::string(price);
  record.volume = "100";
  return {date, {record}};
}

// Answers each symbol from a script, one result per attempt (the last repeats); unknown
// symbols are not found. Calls back on the caller's thread.
class ScriptedSource final : public sources::Source {
 public:
  void fetch(sources::FetchRequest request, Callback done) override {
    sources::FetchResult result;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      auto& script = scripts_[request.symbol];
      int& attempt = attempts_[request.symbol];
      if (script.empty()) {
        result.outcome = sources::FetchOutcome::kNotFound;
        result.reason = "404 Not Found: No data found, symbol may be delisted";
      } else {
        result =
            script[std::min<std::size_t>(static_cast<std::size_t>(attempt), script.size() - 1)];
      }
      ++attempt;
    }
    result.symbol = request.symbol;
    {
      std::lock_guard lock(mutex_);
      if (held_symbols_.count(request.symbol)) {
        held_.emplace_back(std::move(done), std::move(result));
        return;
      }
    }
    done(std::move(result));
  }

  // The symbol's fetches do not complete until releaseHeld(): a request still in flight.
  void hold(const std::string& symbol) {
    std::lock_guard lock(mutex_);
    held_symbols_.insert(symbol);
  }
  void releaseHeld() {
    std::vector<std::pair<Callback, sources::FetchResult>> held;
    {
      std::lock_guard lock(mutex_);
      held.swap(held_);
      held_symbols_.clear();
    }
    for (auto& [done, result] : held)
      done(std::move(result));
  }

  void script(const std::string& symbol, std::vector<sources::FetchResult> results) {
    std::lock_guard lock(mutex_);
    scripts_[symbol] = std::move(results);
  }
  std::vector<sources::FetchRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  static sources::FetchResult ok(std::vector<core::DayRecords> days) {
    sources::FetchResult result;
    result.outcome = sources::FetchOutcome::kOk;
    result.days = std::move(days);
    return result;
  }
  static sources::FetchResult failure(sources::FetchOutcome outcome, std::string reason) {
    sources::FetchResult result;
    result.outcome = outcome;
    result.reason = std::move(reason);
    return result;
  }

 private:
  std::mutex mutex_;  // guards everything below
  std::map<std::string, std::vector<sources::FetchResult>> scripts_;
  std::map<std::string, int> attempts_;
  std::vector<sources::FetchRequest> requests_;
  std::set<std::string> held_symbols_;
  std::vector<std::pair<Callback, sources::FetchResult>> held_;
};

// Records events. A hook runs inside the first publish, after the event is recorded and before
// publish returns (outside the lock): what other finalizers do while one is publishing. The
// next `failures` publishes fail and record nothing.
class RecordingEventSink final : public events::EventSink {
 public:
  core::Status publish(std::string_view event_json) override {
    std::function<void()> hook;
    {
      std::lock_guard lock(mutex_);
      if (failures_ > 0) {
        --failures_;
        return core::makeError(core::ErrorCode::kTransient, "sink unavailable");
      }
      events_.emplace_back(event_json);
      hook.swap(during_first_publish_);
    }
    if (hook)
      hook();
    return core::okStatus();
  }
  std::vector<std::string> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  void duringFirstPublish(std::function<void()> hook) {
    std::lock_guard lock(mutex_);
    during_first_publish_ = std::move(hook);
  }
  void fail(int failures) {
    std::lock_guard lock(mutex_);
    failures_ = failures;
  }

 private:
  std::mutex mutex_;  // guards everything below
  std::vector<std::string> events_;
  std::function<void()> during_first_publish_;
  int failures_ = 0;
};

}  // namespace rawfeed::pipeline::testing
