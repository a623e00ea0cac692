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
  // Worker threads; an idle keep-alive connection holds one (a dashboard tab holds a few).
  std::size_t threads = 16;
  // Larger bodies get 413: refused from the Content-Length before upload when the client sends
  // "Expect: 100-continue", otherwise read and discarded without being kept.
  std::size_t max_body_bytes = 1 << 20;
  // Required on every POST as "Authorization: Bearer <token>". Empty: POSTs get 403, never open.
  std::string bearer_token;
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  // How long an idle connection is kept for reuse. stop() waits for idle connections up to this
  // long (cpp-httplib only notices a stop between requests), so it stays short.
  std::chrono::seconds keep_alive_timeout{2};
};

// The HTTP API and dashboard of `rawfeed serve` over cpp-httplib (see api_handler.h for what
// each request gets). Each request is logged through `logger` as "http_request" with method,
// path, status and duration; never a header, so never the token. `service`, `logger` and
// `clock` must outlive the server.
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
  // Closes the listener, lets requests in progress finish and joins the threads. Idempotent.
  void stop();

  int port() const;             // the bound port (the chosen one when options.port was 0)
  std::string baseUrl() const;  // "http://127.0.0.1:PORT"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rawfeed::server
