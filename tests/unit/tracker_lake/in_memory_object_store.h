#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/object_store.h"

namespace rawfeed::tracker::lake::testing {

// An ObjectStore in a map, with create-only puts decided under one lock (as S3's If-None-Match
// and the local store's rename-no-replace decide them). Counts requests by kind, so tests can
// hold the tracker to its documented costs. Thread-safe.
class InMemoryObjectStore final : public store::ObjectStore {
 public:
  struct Requests {
    int puts = 0;
    int gets = 0;
    int lists = 0;
  };

  core::Result<store::PutOutcome> put(std::string_view key, std::string_view bytes,
                                      const store::PutOptions& options) override {
    std::lock_guard lock(mutex_);
    ++requests_.puts;
    auto [it, inserted] = objects_.try_emplace(std::string(key), bytes);
    if (!inserted) {
      if (options.mode == store::PutMode::kCreateOnly)
        return store::PutOutcome::kAlreadyExists;
      it->second = bytes;
    }
    return store::PutOutcome::kWritten;
  }
  core::Result<std::string> get(std::string_view key) override {
    std::lock_guard lock(mutex_);
    ++requests_.gets;
    auto it = objects_.find(std::string(key));
    if (it == objects_.end()) {
      return core::makeError(core::ErrorCode::kNotFound, "no object " + std::string(key));
    }
    return it->second;
  }
  core::Result<store::ObjectInfo> head(std::string_view key) override {
    std::lock_guard lock(mutex_);
    auto it = objects_.find(std::string(key));
    if (it == objects_.end()) {
      return core::makeError(core::ErrorCode::kNotFound, "no object " + std::string(key));
    }
    return store::ObjectInfo{it->first, it->second.size()};
  }
  core::Result<std::vector<store::ObjectInfo>> list(std::string_view prefix) override {
    std::lock_guard lock(mutex_);
    ++requests_.lists;
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
  std::string location() const override { return "memory://"; }

  std::map<std::string, std::string> objects() {
    std::lock_guard lock(mutex_);
    return objects_;
  }
  Requests requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  void set(const std::string& key, std::string bytes) {
    std::lock_guard lock(mutex_);
    objects_[key] = std::move(bytes);
  }

 private:
  std::mutex mutex_;  // guards objects_ and requests_
  std::map<std::string, std::string> objects_;
  Requests requests_;
};

}  // namespace rawfeed::tracker::lake::testing
