#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/uri_encode.h"
#include "core/random.h"
#include "http/http_client.h"
#include "observe/logger.h"

namespace rawfeed::store::s3::testing {

inline constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
inline constexpr std::string_view kSessionToken = "FQoGZXIvYXdzEXAMPLETOKEN";

class FakeCredentials final : public aws::CredentialsProvider {
 public:
  core::Result<aws::Credentials> credentials() override {
    std::lock_guard lock(mutex_);
    if (error_)
      return *error_;
    return aws::Credentials{"AKIDEXAMPLE", std::string(kSecret), token_, std::nullopt};
  }
  std::string describe() const override { return "fake"; }
  void withToken() {
    std::lock_guard lock(mutex_);
    token_ = std::string(kSessionToken);
  }
  void failWith(core::Error error) {
    std::lock_guard lock(mutex_);
    error_ = std::move(error);
  }

 private:
  std::mutex mutex_;  // guards token_ and error_
  std::string token_;
  std::optional<core::Error> error_;
};

// Always the same draw, so backoff delays are exact.
class FixedRandom final : public core::Random {
 public:
  explicit FixedRandom(double value = 0.5) : value_(value) {}
  double uniform01() override { return value_; }
  std::uint64_t next64() override { return counter_++ * 0x9E3779B97F4A7C15ULL + 1; }

 private:
  double value_;
  std::uint64_t counter_ = 1;
};

// Keeps each event's level and name, for "logged once" checks. Thread-safe.
class RecordingLogger final : public observe::Logger {
 public:
  void log(observe::Level level, std::string_view event,
           std::initializer_list<observe::Field>) override {
    std::lock_guard lock(mutex_);
    events_.emplace_back(level, std::string(event));
  }
  std::vector<std::pair<observe::Level, std::string>> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;  // guards events_
  std::vector<std::pair<observe::Level, std::string>> events_;
};

// The first value of a header (case-insensitive), or "" when absent.
inline std::string headerOf(const http::HttpRequest& request, std::string_view name) {
  http::HttpResponse probe;
  probe.headers = request.headers;
  return probe.header(name).value_or("");
}

// An in-memory S3 bucket behind the HttpClient interface: PutObject (If-None-Match honoured,
// ignored or refused, as the servers here differ), GetObject (response-content-encoding),
// HeadObject, DeleteObject, ListObjectsV2 with continuation tokens and a page cap. Path-style
// and virtual-hosted requests both work. Scripted answers, when queued, come first (faults).
// Answers at once on the caller's thread and records every request. Thread-safe.
class FakeS3 final : public http::HttpClient {
 public:
  enum class IfNoneMatch { kHonour, kIgnore, kRefuse };

  explicit FakeS3(std::string bucket = "lake") : bucket_(std::move(bucket)) {}

  void send(http::HttpRequest request, Callback done) override;

  void setIfNoneMatch(IfNoneMatch mode) {
    std::lock_guard lock(mutex_);
    if_none_match_ = mode;
  }
  void setPageCap(int cap) {
    std::lock_guard lock(mutex_);
    page_cap_ = cap;
  }
  void setDeleteMissing404(bool on) {
    std::lock_guard lock(mutex_);
    delete_missing_404_ = on;
  }
  // The next request gets this answer instead of the bucket's.
  void script(int status, std::string body = {}, http::Headers headers = {});
  void scriptFailure(core::ErrorCode code, std::string message);

  std::vector<http::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t objectCount() const {
    std::lock_guard lock(mutex_);
    return objects_.size();
  }
  bool has(const std::string& stored_key) const {
    std::lock_guard lock(mutex_);
    return objects_.count(stored_key) != 0;
  }

 private:
  struct Object {
    std::string body;
    std::string content_encoding;
  };
  http::HttpResponse handle(const http::HttpRequest& request);
  http::HttpResponse list(const std::map<std::string, std::string>& query);

  mutable std::mutex mutex_;  // guards everything below
  std::string bucket_;
  IfNoneMatch if_none_match_ = IfNoneMatch::kHonour;
  int page_cap_ = 1000;
  bool delete_missing_404_ = false;
  std::map<std::string, Object> objects_;
  std::deque<core::Result<http::HttpResponse>> script_;
  std::vector<http::HttpRequest> requests_;
};

}  // namespace rawfeed::store::s3::testing
