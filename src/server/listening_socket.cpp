#include "server/listening_socket.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace rawfeed::server {

core::Result<ListeningSocket> openListeningSocket(const std::string& host, int port) {
  ListeningSocket listening;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port_text = std::to_string(port);
  const std::string where = fmt::format("{}:{}", host, port);
  if (const int error =
          ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port_text.c_str(), &hints, &found);
      error != 0) {
    return core::makeError(core::ErrorCode::kInternal,
                           fmt::format("cannot listen on {}: {}", where, ::gai_strerror(error)));
  }
  std::string failure = "no address";
  for (addrinfo* address = found; address != nullptr && listening.fd < 0;
       address = address->ai_next) {
    const int fd = ::socket(address->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      failure = std::strerror(errno);
      continue;
    }
    // SO_REUSEADDR alone: a quick restart works, a second `rawfeed serve` on the port fails.
    int yes = 1;
    (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (::bind(fd, address->ai_addr, address->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      failure = std::strerror(errno);
      ::close(fd);
      continue;
    }
    listening.fd = fd;
  }
  ::freeaddrinfo(found);
  if (listening.fd < 0) {
    return core::makeError(core::ErrorCode::kInternal,
                           fmt::format("cannot listen on {}: {}", where, failure));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  if (::getsockname(listening.fd, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
    const std::string why = std::strerror(errno);
    ::close(listening.fd);
    return core::makeError(core::ErrorCode::kInternal,
                           fmt::format("cannot listen on {}: {}", where, why));
  }
  listening.port = clientAddressOf(bound).port;
  return listening;
}

ClientAddress clientAddressOf(const sockaddr_storage& storage) {
  ClientAddress client;
  char text[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(storage);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
    client.port = ntohs(v4.sin_port);
  } else if (storage.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(storage);
    if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) {
      ::inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], text, sizeof(text));
    } else {
      ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text));
    }
    client.port = ntohs(v6.sin6_port);
  }
  client.ip = text;
  return client;
}

}  // namespace rawfeed::server
