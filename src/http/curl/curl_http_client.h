#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/http_client.h"

namespace rawfeed::http::curl {

struct CurlHttpClientOptions {
  // Requests started at once per origin (scheme+host+port), across every user of this client;
  // the rest wait in FIFO order. Also caps curl's connections per host.
  std::size_t max_in_flight_per_host = 64;
  // Idle keep-alive connections kept for reuse, over all hosts.
  std::size_t max_cached_connections = 256;
  // Capped by each request's own timeout.
  std::chrono::milliseconds connect_timeout{10000};
  // Sent unless the request carries its own User-Agent header.
  std::string user_agent = "rawfeed/0.1";
  // The CA certificates for TLS; empty: $CURL_CA_BUNDLE when set, else libcurl's built-in path.
  // A binary built on Debian and run elsewhere (the Lambda zip on Amazon Linux, whose bundle
  // lives at another path) needs one.
  std::string ca_file;
};

// A snapshot for metrics. completed counts callbacks run (any outcome); failed is the part of
// completed that carried an error. queued = accepted but not started (not_before in the future,
// host at its limit, or not yet picked up by the loop).
struct CurlHttpClientStats {
  std::uint64_t submitted = 0;
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  std::size_t in_flight = 0;
  std::size_t queued = 0;
  // Requests that had to wait because the per-host limit was reached (a throttle of our own).
  std::uint64_t waited_for_slot = 0;
};

// HttpClient on libcurl: one loop thread drives a curl multi handle, so thousands of requests
// cost no thread each. Keep-alive connections are reused, HTTP/2 is used where TLS offers it and
// gzip/deflate bodies are decoded. Callbacks run on the loop thread, exactly once each. After
// stop() (or during destruction) every pending request completes with kCancelled; a send()
// after that completes at once, on the caller's thread, with kCancelled. Thread-safe.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  void send(HttpRequest request, Callback done) override;

  // Cancels everything pending and joins the loop thread. Idempotent. Called from inside a
  // callback it only asks the loop to end; the destructor joins.
  void stop();

  CurlHttpClientStats stats() const;

 private:
  class Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace rawfeed::http::curl
