#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/replay_faults.h"
#include "support/replay_limiter.h"
#include "support/replay_registry.h"
#include "support/replay_session.h"

// Test support: a local stand-in for Yahoo's chart endpoint, serving GET
// /v8/finance/chart/{symbol} from a ReplayRegistry with injectable faults, an optional rate and
// concurrency limiter with bans, and optionally Yahoo's cookie + crumb session (GET /cookie for
// fc.yahoo.com, GET /v1/test/getcrumb). It also stands in for a csv_http source: GET
// /csv/{SYMBOL}.csv from csvRegistry(), through the same limiter and faults. Used by integration
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
  std::uint64_t limited = 0;         // 429s from the limiter, those during a ban included
  std::uint64_t banned = 0;          // of `limited`, those refused because a ban was in force
  std::uint64_t cookie_requests = 0;
  std::uint64_t crumb_requests = 0;
  std::uint64_t unauthorized = 0;    // 401s served (getcrumb and chart)
  std::uint64_t blocked = 0;         // chart requests answered with ReplaySession::block's page
  std::uint64_t chart_requests = 0;  // GET /v8/finance/chart/… received, whatever the answer
  // Of the chart answers taken from the registry (not faults, 429s or session refusals): their
  // bodies' bytes before any gzip, and as sent (gzipped when the client accepts it and the body
  // is large enough).
  std::uint64_t chart_body_bytes = 0;
  std::uint64_t chart_sent_bytes = 0;
};

class ReplayServer {
 public:
  explicit ReplayServer(ReplayServerOptions options = {});
  ~ReplayServer();  // stop()
  ReplayServer(const ReplayServer&) = delete;
  ReplayServer& operator=(const ReplayServer&) = delete;

  // Responses, faults, limits and the session may change at any time, also while serving.
  ReplayRegistry& registry();
  // The csv_http bodies (csvResponse()), by symbol; an unknown symbol is a 404.
  ReplayRegistry& csvRegistry();
  void setFaults(ReplayFaults faults);
  // Chart requests are admitted or refused (429) on arrival, before faults and latency; an
  // admitted one holds its concurrency slot through the latency. See ReplayLimiter::setLimits.
  void setLimits(ReplayLimits limits);
  // Issued cookies and crumbs survive the change. Throws std::invalid_argument on a bad block.
  void setSession(ReplaySession session);
  // Admission counts, bans and maxAdmittedInWindow() for fleet-rate assertions.
  const ReplayLimiter& limiter() const;

  // Binds and starts serving; on return the port accepts connections, so no caller waits or
  // polls. Throws std::runtime_error when the address cannot be bound.
  void start();
  // Ends hanging and delayed requests, closes the listener and joins. Idempotent.
  void stop();

  int port() const;
  std::string baseUrl() const;  // "http://127.0.0.1:PORT"
  // baseUrl() + "/v8/finance/chart/" + the percent-encoded symbol + `query` (e.g. "?interval=1d").
  std::string chartUrl(std::string_view symbol, std::string_view query = {}) const;
  std::string cookieUrl() const;   // baseUrl() + "/cookie", the fc.yahoo.com stand-in
  std::string crumbUrl() const;    // baseUrl() + "/v1/test/getcrumb"
  std::string csvBaseUrl() const;  // baseUrl() + "/csv", a csv_http source's base_url
  // The path and query of every CSV request served so far, in arrival order.
  std::vector<std::string> csvRequests() const;
  // The path and query of every chart request served so far (the first million), in arrival
  // order: what an incremental run asked each symbol for.
  std::vector<std::string> chartRequests() const;

  ReplayCounters counters() const;
  std::uint64_t requestsFor(const std::string& symbol) const;
  void resetCounters();  // the limiter's counters too; its bucket, bans and sessions stay

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// RFC 3986 unreserved characters stay, everything else becomes %XX ("^GSPC" → "%5EGSPC").
std::string percentEncode(std::string_view text);

}  // namespace rawfeed::testing
