#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "observe/logger.h"
#include "server/service.h"

namespace rawfeed::server {

struct ApiServerOptions {
  std::string bind = "127.0.0.1";  // loopback unless the operator says otherwise
  int port = 0;                    // 0: any free port, see ApiServer::port()
  // Threads that run whole requests (a slow client never holds one), plus one more that only
  // /healthz and /metrics use, so that those answer even while every other one is busy.
  std::size_t threads = 16;
  // Larger bodies get 413: refused from the head when the client sends "Expect:
  // 100-continue", otherwise read to their end and dropped without being kept.
  std::size_t max_body_bytes = 1 << 20;
  // Required on every POST as "Authorization: Bearer <token>". Empty: POSTs get 403, never open.
  std::string bearer_token;
  // A request's head must arrive whole within this (from the accept, or from its first byte on
  // a kept-alive connection), else 408 and the connection is closed. A total, not per read: a
  // client trickling a byte a second does not renew it.
  std::chrono::milliseconds request_head_timeout{10000};
  // Likewise for its body, from the end of the head (at 1 MiB, about 35 KB/s at the least).
  std::chrono::milliseconds request_body_timeout{30000};
  // A response must be written whole within this, or the connection is closed.
  std::chrono::milliseconds write_timeout{10000};
  // How long an idle connection is kept for its next request.
  std::chrono::seconds keep_alive_timeout{2};
  // Open connections in all, and from one client address. A new connection over either limit
  // replaces the one that has waited on its client (for a request or a body) the longest, and is
  // refused (429 / 503) only when every connection in the way is being served.
  std::size_t max_connections = 512;
  std::size_t max_connections_per_client = 8;
};

// The HTTP API and dashboard of `rawfeed serve` (see api_handler.h for what each request gets).
// Connections are accepted and requests assembled under deadlines by a BufferingListener;
// cpp-httplib parses and answers each whole request on a worker thread. Each request is logged
// through `logger` as "http_request" with method, path, status and duration; never a header, so
// never the token. `service`, `logger` and `clock` must outlive the server.
class ApiServer {
 public:
  ApiServer(Service& service, observe::Logger& logger, const core::Clock& clock,
            ApiServerOptions options);
  ~ApiServer();  // stop()
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds and starts serving; on success the port already accepts connections, so callers
  // need not wait or poll. kInvalidInput when called twice, kInternal when the address cannot
  // be bound (the message names it).
  core::Status start();
  // Closes the listener and the connections waiting on their clients, lets requests in progress
  // be answered and joins the threads. Idempotent.
  void stop();

  int port() const;             // the bound port (the chosen one when options.port was 0)
  std::string baseUrl() const;  // "http://127.0.0.1:PORT"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rawfeed::server
