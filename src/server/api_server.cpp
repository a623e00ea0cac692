// cpp-httplib is Debian's split build: the header must see the same feature macros the shared
// library was compiled with (CMake defines them for this target only) or the types disagree.
#include "server/api_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "server/api_handler.h"
#include "server/error_reply.h"

namespace rawfeed::server {
namespace {

// cpp-httplib serves a request on one thread from its head to the access log, and gives the
// logger no start time; the first hook that sees the request stamps it here.
thread_local core::SteadyTime request_started{};

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

// A refused request's body is still read (and dropped) so the next request on a keep-alive
// connection starts where it should.
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
  Impl(Service& service, observe::Logger& logger, const core::Clock& clock,
       ApiServerOptions options)
      : logger(logger),
        clock(clock),
        options(std::move(options)),
        handler(service,
                ApiHandlerOptions{this->options.bearer_token, this->options.max_body_bytes}) {}

  void install();
  void handleWithoutBody(const httplib::Request& request, httplib::Response& response);
  void handleWithBody(const httplib::Request& request, httplib::Response& response,
                      const httplib::ContentReader& reader);
  void logRequest(const httplib::Request& request, const httplib::Response& response);

  observe::Logger& logger;
  const core::Clock& clock;
  ApiServerOptions options;
  ApiHandler handler;
  httplib::Server server;
  std::thread thread;
  int port = -1;
  std::mutex lifecycle_mutex;  // guards started and stopped against concurrent start()/stop()
  bool started = false;
  bool stopped = false;
};

void ApiServer::Impl::install() {
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_body_bytes);
  server.set_read_timeout(options.read_timeout);
  server.set_write_timeout(options.write_timeout);
  server.set_keep_alive_timeout(options.keep_alive_timeout.count());
  server.set_tcp_nodelay(true);
  // cpp-httplib's default sets SO_REUSEPORT, which would let a second `rawfeed serve` share the
  // port silently and split the traffic; SO_REUSEADDR alone still allows a quick restart.
  server.set_socket_options([](int sock) {
    int yes = 1;
    (void)::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  // A client that asks before uploading ("Expect: 100-continue", curl does for large bodies)
  // hears a refusal before sending a byte of an oversized or unauthorised body.
  server.set_expect_100_continue_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        request_started = clock.steadyNow();
        const std::optional<ApiReply> refused = handler.screen(headOf(request));
        if (!refused) {
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
  impl.port = options.port == 0
                  ? impl.server.bind_to_any_port(options.bind)
                  : (impl.server.bind_to_port(options.bind, options.port) ? options.port : -1);
  if (impl.port <= 0) {
    return core::makeError(core::ErrorCode::kInternal,
                           fmt::format("cannot listen on {}:{}", options.bind, options.port));
  }
  impl.started = true;
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  // The socket already accepts connections; this only waits (microseconds) for the accept loop
  // to run, because cpp-httplib's stop() does nothing to a server that is not yet running.
  while (!impl.server.is_running()) {
    std::this_thread::yield();
  }
  return core::okStatus();
}

void ApiServer::stop() {
  Impl& impl = *impl_;
  std::lock_guard<std::mutex> lock(impl.lifecycle_mutex);
  if (impl.stopped) {
    return;
  }
  impl.stopped = true;
  if (impl.started) {
    impl.server.stop();
  }
  if (impl.thread.joinable()) {
    impl.thread.join();
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
