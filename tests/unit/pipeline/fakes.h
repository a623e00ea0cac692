#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "events/event_sink.h"
#include "queue/queue.h"
#include "sources/source.h"

// Small fakes behind the pipeline's own interfaces (sources, events, queues), for its unit tests;
// the shared ones (clock, object store, BatchRequest builder) are in support/fakes/.
namespace rawfeed::pipeline::testing {

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

// Records sends; entries whose id is listed fail that many times.
class RecordingQueue final : public queue::Queue {
 public:
  core::Result<queue::SendBatchResult> sendBatch(
      std::span<const queue::OutgoingMessage> messages) override {
    std::lock_guard lock(mutex_);
    ++send_calls_;
    queue::SendBatchResult result;
    for (const auto& message : messages) {
      auto failing = fail_times_.find(message.id);
      if (failing != fail_times_.end() && failing->second > 0) {
        --failing->second;
        result.failed.push_back({message.id, core::makeError(core::ErrorCode::kTransient, "boom")});
        continue;
      }
      bodies_.push_back(message.body);
      result.sent_ids.push_back(message.id);
    }
    return result;
  }
  core::Result<std::vector<queue::ReceivedMessage>> receive(const queue::ReceiveOptions&) override {
    return std::vector<queue::ReceivedMessage>{};
  }
  core::Result<std::vector<queue::EntryFailure>> deleteBatch(
      std::span<const std::string>) override {
    return std::vector<queue::EntryFailure>{};
  }
  core::Status changeVisibility(const std::string&, std::chrono::seconds) override {
    return core::okStatus();
  }
  core::Result<queue::QueueStats> stats() override { return queue::QueueStats{}; }
  core::Result<std::vector<queue::DeadLetter>> listDeadLetters(int) override {
    return std::vector<queue::DeadLetter>{};
  }
  core::Result<int> redrive(std::span<const std::string>) override { return 0; }
  core::Result<int> purgeDeadLetters(std::span<const std::string>) override { return 0; }

  void failEntry(const std::string& id, int times) {
    std::lock_guard lock(mutex_);
    fail_times_[id] = times;
  }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  int sendCalls() {
    std::lock_guard lock(mutex_);
    return send_calls_;
  }

 private:
  std::mutex mutex_;  // guards everything below
  std::map<std::string, int> fail_times_;
  std::vector<std::string> bodies_;
  int send_calls_ = 0;
};

}  // namespace rawfeed::pipeline::testing
