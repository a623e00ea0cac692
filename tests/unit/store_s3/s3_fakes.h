#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/uri_encode.h"
#include "http/http_client.h"
#include "support/fakes/fake_http_client.h"

namespace rawfeed::store::s3::testing {

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
// The shared HttpClient fake records, scripts and answers at once on the caller's thread; the
// bucket answers what it has no script for. Thread-safe.
class FakeS3 final : public http::HttpClient {
 public:
  enum class IfNoneMatch { kHonour, kIgnore, kRefuse };

  explicit FakeS3(std::string bucket = "lake");

  void send(http::HttpRequest request, Callback done) override {
    http_.send(std::move(request), std::move(done));
  }

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
  void script(int status, std::string body = {}, http::Headers headers = {}) {
    http_.answer(status, std::move(body), std::move(headers));
  }
  void scriptFailure(core::ErrorCode code, std::string message) {
    http_.fail(code, std::move(message));
  }

  std::vector<http::HttpRequest> requests() const { return http_.requests(); }
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
  // Caller holds mutex_.
  http::HttpResponse handle(const http::HttpRequest& request);
  http::HttpResponse list(const std::map<std::string, std::string>& query);

  mutable std::mutex mutex_;  // guards everything below
  std::string bucket_;
  IfNoneMatch if_none_match_ = IfNoneMatch::kHonour;
  int page_cap_ = 1000;
  bool delete_missing_404_ = false;
  std::map<std::string, Object> objects_;
  fakes::FakeHttpClient http_;  // last: its responder reads the bucket above
};

}  // namespace rawfeed::store::s3::testing
