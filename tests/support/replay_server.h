#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "support/replay_faults.h"
#include "support/replay_registry.h"

// Test support: a local stand-in for Yahoo's chart endpoint, serving GET
// /v8/finance/chart/{symbol} from a ReplayRegistry with injectable faults. Used by integration
// tests, the offline demo (apps/rawfeed-replay) and the benchmark; never linked into the product.
namespace rawfeed::testing {

struct ReplayServerOptions {
  std::string bind = "127.0.0.1";
  int port = 0;               // 0: any free port, see ReplayServer::port()
  std::size_t threads = 256;  // one per open connection (cpp-httplib), so above any client limit
  std::size_t gzip_min_bytes = 1024;  // like Yahoo: only large bodies are gzipped
  int keep_alive_seconds = 2;         // idle connections hold a thread this long
};

struct ReplayCounters {
  std::uint64_t requests = 0;        // every request received, chart or not
  std::uint64_t max_concurrent = 0;  // most chart requests in progress at once
  std::uint64_t connections = 0;     // TCP connections accepted
  std::uint64_t faults = 0;          // requests spoiled on purpose
};

class ReplayServer {
 public:
  explicit ReplayServer(ReplayServerOptions options = {});
  ~ReplayServer();  // stop()
  ReplayServer(const ReplayServer&) = delete;
  ReplayServer& operator=(const ReplayServer&) = delete;

  // Responses and faults may change at any time, also while serving.
  ReplayRegistry& registry();
  void setFaults(ReplayFaults faults);

  // Binds and starts serving; on return the port accepts connections, so no caller waits or
  // polls. Throws std::runtime_error when the address cannot be bound.
  void start();
  // Ends hanging and delayed requests, closes the listener and joins. Idempotent.
  void stop();

  int port() const;
  std::string baseUrl() const;  // "http://127.0.0.1:PORT"
  // baseUrl() + "/v8/finance/chart/" + the percent-encoded symbol + `query` (e.g. "?interval=1d").
  std::string chartUrl(std::string_view symbol, std::string_view query = {}) const;

  ReplayCounters counters() const;
  std::uint64_t requestsFor(const std::string& symbol) const;
  void resetCounters();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// RFC 3986 unreserved characters stay, everything else becomes %XX ("^GSPC" → "%5EGSPC").
std::string percentEncode(std::string_view text);

}  // namespace rawfeed::testing
