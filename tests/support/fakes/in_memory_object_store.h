#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/object_store.h"

namespace rawfeed::fakes {

// An ObjectStore in a map, with create-only puts decided under one lock (as S3's If-None-Match
// and the local store's rename-no-replace decide them). Counts requests by kind, so tests can
// hold code to its documented costs, and fails puts, lists or flushes on demand. A put without
// durable_on_return stays pending() until a flush() names its key, as a local directory's entry
// stays until its fsync. Thread-safe.
class InMemoryObjectStore final : public store::ObjectStore {
 public:
  struct Requests {
    int puts = 0;  // every put, failed ones included
    int gets = 0;
    int lists = 0;
    int flushes = 0;
  };

  explicit InMemoryObjectStore(std::string location = "memory://")
      : location_(std::move(location)) {}

  core::Result<store::PutOutcome> put(std::string_view key, std::string_view bytes,
                                      const store::PutOptions& options) override {
    std::lock_guard lock(mutex_);
    ++requests_.puts;
    for (const auto& [part, error] : put_faults_) {
      if (key.find(part) != std::string_view::npos)
        return error;
    }
    auto [it, inserted] = objects_.try_emplace(std::string(key), bytes);
    if (!inserted) {
      if (options.mode == store::PutMode::kCreateOnly)
        return store::PutOutcome::kAlreadyExists;
      it->second = bytes;
    }
    if (!options.durable_on_return)
      pending_.insert(std::string(key));
    return store::PutOutcome::kWritten;
  }
  core::Result<std::string> get(std::string_view key) override {
    std::lock_guard lock(mutex_);
    ++requests_.gets;
    auto it = objects_.find(std::string(key));
    if (it == objects_.end())
      return notFound(key);
    return it->second;
  }
  core::Result<store::ObjectInfo> head(std::string_view key) override {
    std::lock_guard lock(mutex_);
    auto it = objects_.find(std::string(key));
    if (it == objects_.end())
      return notFound(key);
    return store::ObjectInfo{it->first, it->second.size()};
  }
  core::Result<std::vector<store::ObjectInfo>> list(std::string_view prefix) override {
    std::lock_guard lock(mutex_);
    ++requests_.lists;
    if (list_fault_)
      return *list_fault_;
    std::vector<store::ObjectInfo> out;
    for (auto it = objects_.lower_bound(std::string(prefix));
         it != objects_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      out.push_back({it->first, it->second.size()});
    }
    return out;
  }
  core::Status remove(std::string_view key) override {
    std::lock_guard lock(mutex_);
    objects_.erase(std::string(key));
    return core::okStatus();
  }
  std::string location() const override { return location_; }
  core::Status flush(std::span<const std::string> keys) override {
    std::lock_guard lock(mutex_);
    ++requests_.flushes;
    if (flush_fault_)
      return *flush_fault_;
    for (const auto& key : keys)
      pending_.erase(key);
    return core::okStatus();
  }

  // From now on every put of a key containing `key_part` ("": every put) fails with `error`.
  void failPuts(std::string key_part, core::Error error) {
    std::lock_guard lock(mutex_);
    put_faults_.emplace_back(std::move(key_part), std::move(error));
  }
  // From now on every list fails with `error`.
  void failLists(core::Error error) {
    std::lock_guard lock(mutex_);
    list_fault_ = std::move(error);
  }
  // From now on every flush fails with `error`.
  void failFlushes(core::Error error) {
    std::lock_guard lock(mutex_);
    flush_fault_ = std::move(error);
  }
  // Puts, lists and flushes work again.
  void clearFaults() {
    std::lock_guard lock(mutex_);
    put_faults_.clear();
    list_fault_.reset();
    flush_fault_.reset();
  }
  // Keys put without durable_on_return and not flushed since.
  std::set<std::string> pending() const {
    std::lock_guard lock(mutex_);
    return pending_;
  }
  // Stores an object without counting a put (a test's setup, or another writer).
  void set(const std::string& key, std::string bytes) {
    std::lock_guard lock(mutex_);
    objects_[key] = std::move(bytes);
  }
  std::map<std::string, std::string> objects() const {
    std::lock_guard lock(mutex_);
    return objects_;
  }
  Requests requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  static core::Error notFound(std::string_view key) {
    return core::makeError(core::ErrorCode::kNotFound, "no object " + std::string(key));
  }

  const std::string location_;
  mutable std::mutex mutex_;  // guards everything below
  std::map<std::string, std::string> objects_;
  std::vector<std::pair<std::string, core::Error>> put_faults_;
  std::optional<core::Error> list_fault_;
  std::optional<core::Error> flush_fault_;
  std::set<std::string> pending_;
  Requests requests_;
};

}  // namespace rawfeed::fakes
