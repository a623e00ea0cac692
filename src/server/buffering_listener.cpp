#include "server/buffering_listener.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "server/body_budget.h"
#include "server/error_reply.h"
#include "server/listening_socket.h"
#include "server/request_workers.h"

namespace rawfeed::server {
namespace {

using std::chrono::milliseconds;

// After a final reply the write side is shut and what the client still sends is read and
// dropped for this long: closing with unread input would reset the connection and could destroy
// the reply before the client reads it.
constexpr milliseconds kLinger{1000};
// When accept(2) fails for want of descriptors, the listener is left alone this long instead of
// waking the loop again at once.
constexpr milliseconds kAcceptPause{100};
constexpr int kMaxPollWaitMs = 1000;
constexpr int kAcceptsPerWake = 64;
constexpr int kReadsPerWake = 4;

bool worthLogging(CloseReason reason) {
  switch (reason) {
    case CloseReason::kHeadTimeout:
    case CloseReason::kBodyTimeout:
    case CloseReason::kWriteTimeout:
    case CloseReason::kHeadTooLarge:
    case CloseReason::kMalformed:
    case CloseReason::kNoBodyMemory:
      return true;
    default:
      return false;
  }
}

bool wouldBlock(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
}

}  // namespace

struct BufferingListener::Impl {
  struct Connection {
    Connection(int socket, ClientAddress peer, const AssemblyLimits& limits, BodyBudget& budget,
               core::SteadyTime now)
        : fd(socket), client(std::move(peer)), assembler(limits, budget, now) {}

    int fd;
    ClientAddress client;
    RequestAssembler assembler;
    bool lingering = false;
    core::SteadyTime linger_until{};
    bool hung_up = false;  // the client closed both directions while we owed it an answer
    bool dead = false;     // to be closed at the end of this round
  };

  struct Completion {
    std::uint64_t id = 0;
    HandledRequest handled;
  };

  Impl(ListenerOptions listener_options, BufferedRequestHandler request_handler,
       observe::Logger& log, const core::Clock& time)
      : options(std::move(listener_options)),
        handler(std::move(request_handler)),
        logger(log),
        clock(time),
        budget(std::max(options.body_budget_bytes, options.assembly.max_body_bytes + 1)),
        table(options.connections) {}

  core::Result<int> bindAndListen();
  void loop();
  void beginStopping();
  void acceptAll(core::SteadyTime now);
  void refuse(int fd, const ClientAddress& client, AdmissionKind kind);
  void evict(std::uint64_t id);
  void onEvents(Connection& connection, short revents, core::SteadyTime now);
  void pump(std::uint64_t id, Connection& connection, core::SteadyTime now);
  void submit(std::uint64_t id, Connection& connection, BufferedRequest request);
  void takeCompletions(core::SteadyTime now);
  void finish(std::uint64_t id, Connection& connection, core::SteadyTime now);
  void sweep();
  std::optional<core::SteadyTime> deadlineOf(const Connection& connection) const;
  void wake();

  ListenerOptions options;
  BufferedRequestHandler handler;
  observe::Logger& logger;
  const core::Clock& clock;

  int listen_fd = -1;
  int wake_fd = -1;
  std::atomic<bool> stop_requested{false};
  std::thread loop_thread;
  std::unique_ptr<RequestWorkers> workers;
  std::mutex lifecycle_mutex;  // guards started and stopped
  bool started = false;
  bool stopped = false;

  // Owned by the loop thread.
  BodyBudget budget;
  ConnectionTable table;
  std::map<std::uint64_t, std::unique_ptr<Connection>> connections;
  std::uint64_t next_id = 1;
  std::size_t in_flight = 0;  // requests at the workers, answered or not yet taken back
  bool stopping = false;
  core::SteadyTime accept_paused_until{};
  bool accept_failing = false;  // logged once until an accept succeeds again
  std::array<char, 16384> read_buffer{};

  std::mutex completions_mutex;  // guards completions
  std::vector<Completion> completions;
};

core::Result<int> BufferingListener::Impl::bindAndListen() {
  auto socket = openListeningSocket(options.bind, options.port);
  if (!socket.ok())
    return socket.error();
  listen_fd = socket->fd;
  return socket->port;
}

void BufferingListener::Impl::loop() {
  std::vector<pollfd> polled;
  std::vector<std::pair<std::uint64_t, Connection*>> polled_connections;
  while (true) {
    core::SteadyTime now = clock.steadyNow();
    if (stop_requested.load() && !stopping) {
      beginStopping();
    }
    if (stopping && connections.empty() && in_flight == 0) {
      return;
    }

    polled.clear();
    polled_connections.clear();
    polled.push_back({wake_fd, POLLIN, 0});
    const bool poll_listener = listen_fd >= 0 && now >= accept_paused_until;
    if (poll_listener) {
      polled.push_back({listen_fd, POLLIN, 0});
    }
    std::optional<core::SteadyTime> earliest;
    if (listen_fd >= 0 && !poll_listener) {
      earliest = accept_paused_until;
    }
    for (auto& [id, connection] : connections) {
      const RequestAssembler& assembler = connection->assembler;
      short events = 0;
      if (connection->lingering || assembler.wantsInput()) {
        events |= POLLIN;
      }
      if (!connection->lingering && !assembler.pendingOutput().empty()) {
        events |= POLLOUT;
      }
      // poll(2) reports a hang-up whatever was asked; a connection that hung up while its
      // request is being handled would spin the loop until the answer comes.
      const int fd = connection->hung_up && events == 0 ? -1 : connection->fd;
      polled.push_back({fd, events, 0});
      polled_connections.emplace_back(id, connection.get());
      if (const auto due = deadlineOf(*connection); due && (!earliest || *due < *earliest)) {
        earliest = due;
      }
    }
    int wait_ms = kMaxPollWaitMs;
    if (earliest) {
      const auto left = std::chrono::ceil<milliseconds>(*earliest - now).count();
      wait_ms = static_cast<int>(std::clamp<long long>(left, 0, kMaxPollWaitMs));
    }
    if (::poll(polled.data(), polled.size(), wait_ms) < 0 && errno != EINTR) {
      logger.error("http_poll_failed", {{"error", std::strerror(errno)}});
      std::this_thread::sleep_for(milliseconds(10));
    }

    now = clock.steadyNow();
    if ((polled[0].revents & POLLIN) != 0) {
      std::uint64_t count = 0;
      (void)!::read(wake_fd, &count, sizeof(count));
    }
    takeCompletions(now);
    const std::size_t first_connection = poll_listener ? 2 : 1;
    for (std::size_t i = 0; i < polled_connections.size(); ++i) {
      const short revents = polled[first_connection + i].revents;
      if (revents != 0) {
        onEvents(*polled_connections[i].second, revents, now);
      }
    }
    for (auto& [id, connection] : connections) {
      pump(id, *connection, now);
    }
    if (poll_listener && (polled[1].revents & POLLIN) != 0) {
      acceptAll(now);
    }
    sweep();
  }
}

void BufferingListener::Impl::beginStopping() {
  stopping = true;
  if (listen_fd >= 0) {
    ::close(listen_fd);
    listen_fd = -1;
  }
  for (auto& [id, connection] : connections) {
    connection->assembler.stop();
    if (connection->lingering || connection->assembler.finished()) {
      connection->dead = true;
    }
  }
  sweep();
}

void BufferingListener::Impl::acceptAll(core::SteadyTime now) {
  for (int i = 0; i < kAcceptsPerWake; ++i) {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&address), &length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) {
        continue;
      }
      if (!wouldBlock(errno)) {
        // EMFILE and kin: the pending connection stays queued until descriptors free up.
        if (!accept_failing) {
          logger.warn("http_accept_failed", {{"error", std::strerror(errno)}});
        }
        accept_failing = true;
        accept_paused_until = now + kAcceptPause;
      }
      return;
    }
    accept_failing = false;
    ClientAddress client = clientAddressOf(address);
    const Admission admission = table.admit(client.ip);
    if (admission.kind == AdmissionKind::kRefuseClientAtLimit ||
        admission.kind == AdmissionKind::kRefuseServerFull) {
      refuse(fd, client, admission.kind);
      continue;
    }
    if (admission.kind == AdmissionKind::kAdmitAfterClosing) {
      evict(admission.close_first);
    }
    int yes = 1;
    (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    const std::uint64_t id = next_id++;
    table.add(id, client.ip, now);
    connections.emplace(
        id, std::make_unique<Connection>(fd, std::move(client), options.assembly, budget, now));
  }
}

void BufferingListener::Impl::refuse(int fd, const ClientAddress& client, AdmissionKind kind) {
  const bool client_limit = kind == AdmissionKind::kRefuseClientAtLimit;
  const std::string reply =
      client_limit ? closingErrorResponse(
                         429, fmt::format("this address already has {} connections being served",
                                          options.connections.max_per_client))
                   : closingErrorResponse(503, fmt::format("the server already has {} connections",
                                                           options.connections.max_connections));
  // A fresh socket's send buffer takes the whole reply; whatever does not fit is lost.
  (void)::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
  ::close(fd);
  logger.warn("http_connection_refused",
              {{"remote", client.ip},
               {"reason", client_limit ? "client_connection_limit" : "server_connection_limit"}});
}

void BufferingListener::Impl::evict(std::uint64_t id) {
  const auto found = connections.find(id);
  if (found == connections.end()) {
    return;
  }
  Connection& victim = *found->second;
  victim.dead = true;
  table.remove(id);  // at once: the next accept of this round counts without it
  if (!victim.lingering) {
    logger.warn("http_connection_closed",
                {{"remote", victim.client.ip}, {"reason", "replaced_by_newer_connection"}});
  }
}

void BufferingListener::Impl::onEvents(Connection& connection, short revents,
                                       core::SteadyTime now) {
  if (connection.dead) {
    return;
  }
  if ((revents & POLLERR) != 0) {
    connection.dead = true;
    return;
  }
  RequestAssembler& assembler = connection.assembler;
  const bool reading = connection.lingering || assembler.wantsInput();
  if (!reading) {
    if ((revents & POLLHUP) != 0 && !connection.hung_up) {
      connection.hung_up = true;
      assembler.onEndOfInput();
    }
    return;
  }
  if ((revents & (POLLIN | POLLHUP)) == 0) {
    return;
  }
  for (int i = 0; i < kReadsPerWake; ++i) {
    const ssize_t got = ::recv(connection.fd, read_buffer.data(), read_buffer.size(), 0);
    if (got > 0) {
      if (!connection.lingering) {
        assembler.onInput(std::string_view(read_buffer.data(), static_cast<std::size_t>(got)), now);
        if (!assembler.wantsInput()) {
          return;
        }
      }
      continue;
    }
    if (got < 0 && (wouldBlock(errno) || errno == EINTR)) {
      return;
    }
    if (got == 0 && !connection.lingering) {
      assembler.onEndOfInput();
      return;
    }
    connection.dead = true;  // reset, or the end of a lingering close
    return;
  }
}

void BufferingListener::Impl::pump(std::uint64_t id, Connection& connection, core::SteadyTime now) {
  if (connection.dead) {
    return;
  }
  if (connection.lingering) {
    connection.dead = now >= connection.linger_until;
    return;
  }
  RequestAssembler& assembler = connection.assembler;
  bool progressed = true;
  while (progressed && !connection.dead) {
    progressed = false;
    while (!assembler.pendingOutput().empty()) {
      const std::string_view output = assembler.pendingOutput();
      const ssize_t sent = ::send(connection.fd, output.data(), output.size(), MSG_NOSIGNAL);
      if (sent > 0) {
        assembler.onSent(static_cast<std::size_t>(sent), now);
        progressed = true;
      } else if (sent < 0 && errno == EINTR) {
        continue;
      } else if (sent < 0 && wouldBlock(errno)) {
        break;
      } else {
        connection.dead = true;
        return;
      }
    }
    if (auto request = assembler.takeRequest()) {
      submit(id, connection, std::move(*request));
      progressed = true;
    }
    if (const auto due = assembler.deadline(); due && now >= *due) {
      assembler.onDeadline(now);
      progressed = true;
    }
    if (assembler.finished()) {
      finish(id, connection, now);
      return;
    }
  }
  table.setWaitingOnClient(id, assembler.waitingOnClient(), now);
}

void BufferingListener::Impl::submit(std::uint64_t id, Connection& connection,
                                     BufferedRequest request) {
  const bool priority = std::find(options.priority_paths.begin(), options.priority_paths.end(),
                                  request.path) != options.priority_paths.end();
  ++in_flight;
  workers->submit(
      [this, id, client = connection.client, request = std::move(request)] {
        HandledRequest handled;
        try {
          handled = handler(request, client);
        } catch (...) {
          handled.response = closingErrorResponse(500, "internal server error");
          handled.close = true;
        }
        {
          std::lock_guard<std::mutex> lock(completions_mutex);
          completions.push_back({id, std::move(handled)});
        }
        wake();
      },
      priority);
}

void BufferingListener::Impl::takeCompletions(core::SteadyTime now) {
  std::vector<Completion> taken;
  {
    std::lock_guard<std::mutex> lock(completions_mutex);
    taken.swap(completions);
  }
  for (Completion& completion : taken) {
    --in_flight;
    const auto found = connections.find(completion.id);
    if (found != connections.end() && !found->second->dead) {
      found->second->assembler.onHandled(std::move(completion.handled), now);
    }
  }
}

void BufferingListener::Impl::finish(std::uint64_t id, Connection& connection,
                                     core::SteadyTime now) {
  const CloseReason reason = connection.assembler.closeReason();
  if (worthLogging(reason)) {
    logger.warn("http_connection_closed",
                {{"remote", connection.client.ip}, {"reason", closeReasonName(reason)}});
  }
  if (stopping || connection.hung_up || reason == CloseReason::kClientGone ||
      reason == CloseReason::kWriteTimeout) {
    connection.dead = true;
    return;
  }
  ::shutdown(connection.fd, SHUT_WR);
  connection.lingering = true;
  connection.linger_until = now + kLinger;
  table.setWaitingOnClient(id, true, now);
}

void BufferingListener::Impl::sweep() {
  for (auto it = connections.begin(); it != connections.end();) {
    if (it->second->dead) {
      ::close(it->second->fd);
      table.remove(it->first);
      it = connections.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<core::SteadyTime> BufferingListener::Impl::deadlineOf(
    const Connection& connection) const {
  if (connection.lingering) {
    return connection.linger_until;
  }
  return connection.assembler.deadline();
}

void BufferingListener::Impl::wake() {
  const std::uint64_t one = 1;
  (void)!::write(wake_fd, &one, sizeof(one));
}

BufferingListener::BufferingListener(ListenerOptions options, BufferedRequestHandler handler,
                                     observe::Logger& logger, const core::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), logger, clock)) {}

BufferingListener::~BufferingListener() {
  stop();
}

core::Result<int> BufferingListener::start() {
  Impl& impl = *impl_;
  std::lock_guard<std::mutex> lock(impl.lifecycle_mutex);
  if (impl.started || impl.stopped) {
    return core::makeError(core::ErrorCode::kInvalidInput, "BufferingListener::start called twice");
  }
  auto port = impl.bindAndListen();
  if (!port.ok()) {
    return port;
  }
  impl.wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (impl.wake_fd < 0) {
    ::close(impl.listen_fd);
    impl.listen_fd = -1;
    return core::makeError(core::ErrorCode::kInternal,
                           fmt::format("cannot create an eventfd: {}", std::strerror(errno)));
  }
  impl.workers = std::make_unique<RequestWorkers>(std::max<std::size_t>(1, impl.options.threads),
                                                  impl.options.priority_paths.empty() ? 0 : 1);
  impl.started = true;
  impl.loop_thread = std::thread([&impl] { impl.loop(); });
  return port;
}

void BufferingListener::stop() {
  Impl& impl = *impl_;
  std::lock_guard<std::mutex> lock(impl.lifecycle_mutex);
  if (impl.stopped) {
    return;
  }
  impl.stopped = true;
  if (!impl.started) {
    return;
  }
  impl.stop_requested.store(true);
  impl.wake();
  impl.loop_thread.join();
  impl.workers->stop();
  for (auto& [id, connection] : impl.connections) {
    ::close(connection->fd);
  }
  impl.connections.clear();
  ::close(impl.wake_fd);
}

}  // namespace rawfeed::server
