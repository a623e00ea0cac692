#pragma once

#include <sys/socket.h>

#include <string>

#include "core/result.h"
#include "server/buffering_listener.h"

namespace rawfeed::server {

// A non-blocking TCP socket listening on host:port (port 0: one the kernel picks), with
// SO_REUSEADDR alone: a quick restart works, a second `rawfeed serve` on the port fails.
struct ListeningSocket {
  int fd = -1;
  int port = 0;  // the port bound
};
// kInternal naming host:port and the cause when no address of the host can be bound.
core::Result<ListeningSocket> openListeningSocket(const std::string& host, int port);

// A peer's address as text (IPv4-mapped IPv6 addresses in their IPv4 form) and its port.
ClientAddress clientAddressOf(const sockaddr_storage& storage);

}  // namespace rawfeed::server
