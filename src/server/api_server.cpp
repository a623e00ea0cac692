// cpp-httplib is Debian's split build: the header must see the same feature macros the shared
// library was compiled with (CMake defines them for this target only) or the types disagree.
#include "server/api_server.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

#include "server/api_handler.h"
#include "server/buffering_listener.h"
#include "server/error_reply.h"
#include "server/http_framing.h"

namespace rawfeed::server {
namespace {

// cpp-httplib serves a request on one thread from its head to the access log, and gives the
// logger no start time; the first hook that sees the request stamps it here.
thread_local core::SteadyTime request_started{};

// Set while a worker judges the head of an "Expect: 100-continue" request on its own (a probe):
// the expect hook records its verdict here instead of letting the request go on.
struct ProbeVerdict {
  bool accepted = false;
};
thread_local ProbeVerdict* current_probe = nullptr;

// Requests on a connection before the front closes it (cpp-httplib's default is 5).
constexpr std::size_t kRequestsPerConnection = 100;

// One buffered request as the stream cpp-httplib reads, and the response it writes kept in
// memory: the listener owns the socket, so the parser never waits on a client.
class BufferedExchange final : public httplib::Stream {
 public:
  BufferedExchange(const BufferedRequest& request, const ClientAddress& client,
                   const ApiServerOptions& options)
      : request_(request.bytes), client_(client), options_(options) {}

  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    // Past the end is the end of the stream: a body without a declared length is empty.
    const std::size_t n = std::min(size, request_.size() - position_);
    std::memcpy(ptr, request_.data() + position_, n);
    position_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    response_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = client_.ip;
    port = client_.port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = options_.bind;
    port = options_.port;
  }
  socket_t socket() const override { return INVALID_SOCKET; }

  bool readAll() const { return position_ == request_.size(); }
  std::string& response() { return response_; }

 private:
  std::string_view request_;
  std::size_t position_ = 0;
  const ClientAddress& client_;
  const ApiServerOptions& options_;
  std::string response_;
};

// cpp-httplib's request processing without its sockets, which the listener replaces.
class RequestProcessor final : public httplib::Server {
 public:
  bool processOne(httplib::Stream& stream, bool last, bool& connection_closed) {
    return process_request(stream, last, connection_closed, {});
  }
};

bool responseClosesConnection(std::string_view response) {
  const std::optional<std::size_t> length = headLength(response);
  if (!length) {
    return true;
  }
  auto head = splitHead(response.substr(0, *length));
  return !head.ok() || head->listsToken("Connection", "close");
}

std::optional<std::uint64_t> contentLengthOf(const httplib::Request& request) {
  if (!request.has_header("Content-Length")) {
    return std::nullopt;
  }
  const std::string text = request.get_header_value("Content-Length");
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;  // cpp-httplib has already answered such a request with 400
  }
  return value;
}

ApiRequest headOf(const httplib::Request& request) {
  ApiRequest head;
  head.method = request.method;
  head.path = request.path;
  for (const auto& [name, value] : request.params) {
    head.query.emplace_back(name, value);
  }
  head.authorization = request.get_header_value("Authorization");
  head.content_length = contentLengthOf(request);
  return head;
}

void apply(const ApiReply& reply, httplib::Response& response) {
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) {
    response.set_header(name.c_str(), value);
  }
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Cache-Control", "no-store");
  response.set_content(reply.body, reply.content_type.c_str());
}

// A refused request's body is still read (and dropped): a request left partly unread is not
// trusted to have ended where the listener thought, and its connection is closed.
void drain(const httplib::Request& request, const httplib::ContentReader& reader) {
  const auto discard = [](const char*, std::size_t) { return true; };
  if (request.is_multipart_form_data()) {
    (void)reader([](const httplib::MultipartFormData&) { return true; }, discard);
  } else {
    (void)reader(discard);
  }
}

}  // namespace

struct ApiServer::Impl {
  Impl(Service& service, observe::Logger& log, const core::Clock& time,
       ApiServerOptions server_options)
      : logger(log),
        clock(time),
        options(std::move(server_options)),
        handler(service, ApiHandlerOptions{options.bearer_token, options.max_body_bytes}) {}

  void install();
  HandledRequest process(const BufferedRequest& request, const ClientAddress& client);
  void handleWithoutBody(const httplib::Request& request, httplib::Response& response);
  void handleWithBody(const httplib::Request& request, httplib::Response& response,
                      const httplib::ContentReader& reader);
  void logRequest(const httplib::Request& request, const httplib::Response& response);

  observe::Logger& logger;
  const core::Clock& clock;
  ApiServerOptions options;
  ApiHandler handler;
  RequestProcessor server;
  std::unique_ptr<BufferingListener> listener;
  int port = -1;
  std::mutex lifecycle_mutex;  // guards started and stopped against concurrent start()/stop()
  bool started = false;
  bool stopped = false;
};

void ApiServer::Impl::install() {
  server.set_payload_max_length(options.max_body_bytes);
  // Only the Keep-Alive header reads these; the listener enforces both.
  server.set_keep_alive_timeout(options.keep_alive_timeout.count());
  server.set_keep_alive_max_count(kRequestsPerConnection);

  // A client that asks before uploading ("Expect: 100-continue", curl does for large bodies)
  // hears a refusal before sending a byte of an oversized or unauthorised body.
  server.set_expect_100_continue_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        request_started = clock.steadyNow();
        const std::optional<ApiReply> refused = handler.screen(headOf(request));
        if (!refused) {
          if (current_probe != nullptr) {
            // Ends the probe here; the listener asks the client for the body and sends the
            // whole request again without "Expect".
            current_probe->accepted = true;
            return 204;
          }
          return 100;
        }
        apply(*refused, response);
        response.set_header("Connection", "close");
        return refused->status;
      });
  server.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
    request_started = clock.steadyNow();
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Routing is ApiHandler's (it knows 405 from 404); cpp-httplib only reads the request.
  const std::string any = ".*";
  const auto without_body = [this](const httplib::Request& request, httplib::Response& response) {
    handleWithoutBody(request, response);
  };
  const auto with_body = [this](const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& reader) {
    handleWithBody(request, response, reader);
  };
  server.Get(any, without_body);
  server.Options(any, without_body);
  server.Post(any, with_body);
  server.Put(any, with_body);
  server.Patch(any, with_body);
  server.Delete(any, with_body);

  // Statuses cpp-httplib sets by itself (400 unparsable, 413 over payload_max_length, 414) get a
  // JSON body like every other error.
  // Always "Handled", even for bodies we set ourselves: only then does cpp-httplib add the
  // Content-Length header on its error path (the refusal of an Expect: 100-continue, its own
  // 413), without which a keep-alive client waits for a close that never comes.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
        if (response.body.empty()) {
          response.set_content(errorJson(response.status, defaultMessageFor(response.status)),
                               "application/json");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        apply(errorReply(500, "internal server error"), response);
      });
  server.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    logRequest(request, response);
  });
}

HandledRequest ApiServer::Impl::process(const BufferedRequest& request,
                                        const ClientAddress& client) {
  BufferedExchange exchange(request, client, options);
  ProbeVerdict verdict;
  current_probe = request.probe ? &verdict : nullptr;
  bool connection_closed = false;
  const bool ok = server.processOne(exchange, request.last, connection_closed);
  current_probe = nullptr;
  request_started = core::SteadyTime{};
  HandledRequest handled;
  if (verdict.accepted) {
    handled.probe_accepted = true;
    return handled;
  }
  // Whatever the parser left unread or found wrong, the connection is not trusted further.
  handled.close = !ok || connection_closed || request.last || !exchange.readAll() ||
                  responseClosesConnection(exchange.response());
  handled.response = std::move(exchange.response());
  return handled;
}

void ApiServer::Impl::handleWithoutBody(const httplib::Request& request,
                                        httplib::Response& response) {
  apply(handler.handle(headOf(request)), response);
}

void ApiServer::Impl::handleWithBody(const httplib::Request& request, httplib::Response& response,
                                     const httplib::ContentReader& reader) {
  ApiRequest full = headOf(request);
  if (std::optional<ApiReply> refused = handler.screen(full)) {
    drain(request, reader);
    apply(*refused, response);
    return;
  }
  if (request.is_multipart_form_data()) {
    drain(request, reader);
    apply(errorReply(415, "multipart bodies are not accepted; send a JSON object"), response);
    return;
  }
  // Keeps at most the limit, drains the rest: chunked bodies declare no length up front.
  const std::size_t limit = options.max_body_bytes;
  bool over_limit = false;
  const bool complete = reader([&](const char* data, std::size_t size) {
    if (over_limit || full.body.size() + size > limit) {
      over_limit = true;
      full.body.clear();
      return true;
    }
    full.body.append(data, size);
    return true;
  });
  if (over_limit || (!complete && response.status == 413)) {
    apply(errorReply(413, fmt::format("request body too large: the limit is {} bytes", limit)),
          response);
    return;
  }
  if (!complete) {
    apply(errorReply(400, "the request body could not be read (truncated or badly encoded)"),
          response);
    return;
  }
  apply(handler.handle(full), response);
}

void ApiServer::Impl::logRequest(const httplib::Request& request,
                                 const httplib::Response& response) {
  if (current_probe != nullptr && current_probe->accepted) {
    return;  // not an answer: the request comes again whole
  }
  std::int64_t micros = 0;
  if (request_started != core::SteadyTime{}) {
    micros =
        std::chrono::duration_cast<std::chrono::microseconds>(clock.steadyNow() - request_started)
            .count();
  }
  request_started = core::SteadyTime{};
  const observe::Level level = response.status >= 500   ? observe::Level::kError
                               : response.status >= 400 ? observe::Level::kWarn
                                                        : observe::Level::kInfo;
  logger.log(level, "http_request",
             {{"method", request.method},
              {"path", request.path},
              {"status", response.status},
              {"duration_ms", static_cast<double>(micros) / 1000.0},
              {"remote", request.remote_addr}});
}

ApiServer::ApiServer(Service& service, observe::Logger& logger, const core::Clock& clock,
                     ApiServerOptions options)
    : impl_(std::make_unique<Impl>(service, logger, clock, std::move(options))) {}

ApiServer::~ApiServer() {
  stop();
}

core::Status ApiServer::start() {
  Impl& impl = *impl_;
  std::lock_guard<std::mutex> lock(impl.lifecycle_mutex);
  if (impl.started || impl.stopped) {
    return core::makeError(core::ErrorCode::kInvalidInput, "ApiServer::start called twice");
  }
  // A client that goes away mid-response must not kill the process with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  impl.install();
  const ApiServerOptions& options = impl.options;
  ListenerOptions listener;
  listener.bind = options.bind;
  listener.port = options.port;
  listener.threads = options.threads;
  listener.priority_paths = {"/healthz", "/metrics"};
  listener.connections.max_connections = std::max<std::size_t>(1, options.max_connections);
  listener.connections.max_per_client =
      std::max<std::size_t>(1, options.max_connections_per_client);
  listener.assembly.head_timeout = options.request_head_timeout;
  listener.assembly.body_timeout = options.request_body_timeout;
  listener.assembly.idle_timeout = options.keep_alive_timeout;
  listener.assembly.write_timeout = options.write_timeout;
  listener.assembly.max_body_bytes = options.max_body_bytes;
  listener.assembly.max_requests = kRequestsPerConnection;
  // Enough for every thread to hold a body at the limit and as many more arriving, at least.
  listener.body_budget_bytes =
      std::max<std::size_t>(64 << 20, 2 * (options.threads + 1) * (options.max_body_bytes + 1));
  impl.listener = std::make_unique<BufferingListener>(
      std::move(listener),
      [&impl](const BufferedRequest& request, const ClientAddress& client) {
        return impl.process(request, client);
      },
      impl.logger, impl.clock);
  auto port = impl.listener->start();
  if (!port.ok()) {
    return port.error();
  }
  impl.port = *port;
  impl.started = true;
  return core::okStatus();
}

void ApiServer::stop() {
  Impl& impl = *impl_;
  std::lock_guard<std::mutex> lock(impl.lifecycle_mutex);
  if (impl.stopped) {
    return;
  }
  impl.stopped = true;
  if (impl.listener) {
    impl.listener->stop();
  }
}

int ApiServer::port() const {
  return impl_->port;
}

std::string ApiServer::baseUrl() const {
  std::string url = "http://";
  url += impl_->options.bind;
  url += ':';
  url += std::to_string(impl_->port);
  return url;
}

}  // namespace rawfeed::server
