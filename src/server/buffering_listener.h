#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "observe/logger.h"
#include "server/connection_table.h"
#include "server/request_assembler.h"

namespace rawfeed::server {

struct ListenerOptions {
  std::string bind = "127.0.0.1";
  int port = 0;  // 0: any free port
  AssemblyLimits assembly;
  ConnectionLimits connections;
  // Bytes of request bodies held at once across all connections; a body that would go over is
  // refused with 503 rather than waited for.
  std::size_t body_budget_bytes = 64 << 20;
  std::size_t threads = 16;
  // Requests for these paths (without query) may also run on a thread reserved for them.
  std::vector<std::string> priority_paths;
};

struct ClientAddress {
  std::string ip;  // IPv4-mapped IPv6 addresses in their IPv4 form
  int port = 0;
};

// Turns one whole request into its answer. Called on worker threads, concurrently.
using BufferedRequestHandler =
    std::function<HandledRequest(const BufferedRequest&, const ClientAddress&)>;

// The front door of the HTTP server. One thread with poll(2) accepts connections, applies the
// connection limits (ConnectionTable) and assembles each connection's requests under their
// deadlines (RequestAssembler); only whole requests reach the worker threads, and the loop
// writes their answers back. A slow client therefore holds a descriptor and a few kilobytes,
// never a thread. Abnormal closes and refusals are logged as "http_connection_closed" and
// "http_connection_refused" with the client address and the reason.
class BufferingListener {
 public:
  BufferingListener(ListenerOptions options, BufferedRequestHandler handler,
                    observe::Logger& logger, const core::Clock& clock);
  ~BufferingListener();  // stop()
  BufferingListener(const BufferingListener&) = delete;
  BufferingListener& operator=(const BufferingListener&) = delete;

  // Binds and listens (the port accepts connections on return) and starts the threads. Returns
  // the bound port; kInternal naming the address when it cannot be bound.
  core::Result<int> start();
  // Stops accepting, closes the connections that wait on their clients, lets the requests being
  // handled be answered (each within write_timeout), then joins the threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rawfeed::server
