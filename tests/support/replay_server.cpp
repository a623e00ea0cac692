// cpp-httplib is Debian's split build: the header must see the same feature macros the shared
// library was compiled with (CMake defines them for this target only) or the types disagree.
#include "support/replay_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <zlib.h>

#include <atomic>
#include <cctype>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace rawfeed::testing {
namespace {

constexpr std::string_view kTooManyRequests = "Too Many Requests\r\n";
// cpp-httplib listens with a backlog of 5; a client opening 64 connections at once would see
// dropped SYNs and one-second retransmits, so the listener is widened after binding.
constexpr int kListenBacklog = 1024;
constexpr std::size_t kChartLogLimit = 1000000;

// Counts accepted connections: cpp-httplib hands each one to the task queue exactly once.
class CountingPool final : public httplib::TaskQueue {
 public:
  CountingPool(std::size_t threads, std::atomic<std::uint64_t>& accepted)
      : pool_(threads), accepted_(accepted) {}
  void enqueue(std::function<void()> fn) override {
    accepted_.fetch_add(1);
    pool_.enqueue(std::move(fn));
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  std::atomic<std::uint64_t>& accepted_;
};

// Exposes the listening socket, which cpp-httplib keeps protected.
class Listener final : public httplib::Server {
 public:
  int listeningSocket() const { return svr_sock_; }
};

int portOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return -1;
}

// cpp-httplib gives handlers no socket, so the connection is found by its two ports among this
// process's descriptors. Shutting it down makes the client see the connection end without a
// byte of response; linger 0 turns cpp-httplib's later close() into a RST.
bool resetConnection(int local_port, int peer_port) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t length = sizeof(local);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0 ||
        portOf(local) != local_port) {
      continue;
    }
    length = sizeof(peer);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0 ||
        portOf(peer) != peer_port) {
      continue;
    }
    const linger abort{1, 0};
    (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
    return shutdown(fd, SHUT_RDWR) == 0;
  }
  return false;
}

std::string gzip(std::string_view input) {
  z_stream stream{};
  // 15 + 16: the gzip wrapper rather than zlib's, as Content-Encoding: gzip requires.
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string output(deflateBound(&stream, input.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(output.data());
  stream.avail_out = static_cast<uInt>(output.size());
  const int status = deflate(&stream, Z_FINISH);
  output.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) {
    throw std::runtime_error("deflate failed");
  }
  return output;
}

// Tracks chart requests in progress and the most seen at once.
class ConcurrencyScope {
 public:
  ConcurrencyScope(std::atomic<std::uint64_t>& active, std::atomic<std::uint64_t>& max)
      : active_(active) {
    const std::uint64_t now = active_.fetch_add(1) + 1;
    std::uint64_t seen = max.load();
    while (now > seen && !max.compare_exchange_weak(seen, now)) {
    }
  }
  ~ConcurrencyScope() { active_.fetch_sub(1); }
  ConcurrencyScope(const ConcurrencyScope&) = delete;
  ConcurrencyScope& operator=(const ConcurrencyScope&) = delete;

 private:
  std::atomic<std::uint64_t>& active_;
};

// Holds an admitted request's slot in the limiter until the response is decided.
class LimiterSlot {
 public:
  explicit LimiterSlot(ReplayLimiter& limiter) : limiter_(limiter) {}
  ~LimiterSlot() { limiter_.release(); }
  LimiterSlot(const LimiterSlot&) = delete;
  LimiterSlot& operator=(const LimiterSlot&) = delete;

 private:
  ReplayLimiter& limiter_;
};

// cpp-httplib would compress text/* bodies (and pick brotli) on its own; this server decides
// compression itself, like Yahoo, by size. The request object is not const in cpp-httplib.
bool takeGzipAccepted(const httplib::Request& request) {
  const bool gzip_ok =
      request.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
  const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");
  return gzip_ok;
}

void tooManyRequests(std::optional<int> retry_after_seconds, httplib::Response& response) {
  response.status = 429;
  response.set_content(std::string(kTooManyRequests), "text/html");
  if (retry_after_seconds) {
    response.set_header("Retry-After", std::to_string(*retry_after_seconds));
  }
}

void writeAnswer(const SessionAnswer& answer, httplib::Response& response) {
  response.status = answer.status;
  for (const auto& [name, value] : answer.headers) {
    response.set_header(name, value);
  }
  response.set_content(answer.body, answer.content_type);
}

}  // namespace

struct ReplayServer::Impl {
  explicit Impl(ReplayServerOptions opts) : options(std::move(opts)) {}

  // A chart request, or a CSV one when `from` is the csv registry.
  void handleChart(const httplib::Request& request, httplib::Response& response,
                   const ReplayRegistry& from);
  // False when the limiter refused the request and `response` says so.
  bool admit(httplib::Response& response);
  void handleCookie(const httplib::Request& request, httplib::Response& response);
  void handleCrumb(const httplib::Request& request, httplib::Response& response);
  // False when the server is stopping, so delayed handlers end at once.
  bool waitFor(std::chrono::milliseconds duration);
  // True when the fault replaced the response.
  bool applyFault(FaultKind kind, const ReplayFaults& faults, const httplib::Request& request,
                  httplib::Response& response);
  void serve(const ReplayResponse& replay, bool gzip_ok, httplib::Response& response) const;
  std::shared_ptr<FaultPlan> plan() const;

  const ReplayServerOptions options;
  ReplayRegistry registry;
  ReplayRegistry csv_registry;
  mutable std::mutex csv_mutex;  // guards csv_requests and chart_requests
  std::vector<std::string> csv_requests;
  std::vector<std::string> chart_requests;  // the first kChartLogLimit only
  std::unique_ptr<Listener> server;
  std::thread thread;
  int port = -1;

  mutable std::mutex plan_mutex;  // guards fault_plan (swapped whole; handlers keep a copy)
  std::shared_ptr<FaultPlan> fault_plan = std::make_shared<FaultPlan>();
  ReplayLimiter limiter;
  SessionGate session;

  std::mutex stop_mutex;  // guards stopping; stop_cv wakes delayed handlers
  std::condition_variable stop_cv;
  bool stopping = false;

  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> active{0};
  std::atomic<std::uint64_t> max_concurrent{0};
  std::atomic<std::uint64_t> connections{0};
  std::atomic<std::uint64_t> faults{0};
  std::atomic<std::uint64_t> limited{0};
  std::atomic<std::uint64_t> banned{0};
  std::atomic<std::uint64_t> cookie_requests{0};
  std::atomic<std::uint64_t> crumb_requests{0};
  std::atomic<std::uint64_t> unauthorized{0};
  std::atomic<std::uint64_t> blocked{0};
  std::atomic<std::uint64_t> chart_count{0};  // ReplayCounters::chart_requests
  std::atomic<std::uint64_t> chart_body_bytes{0};
  std::atomic<std::uint64_t> chart_sent_bytes{0};
  mutable std::mutex symbols_mutex;  // guards per_symbol
  std::unordered_map<std::string, std::uint64_t> per_symbol;
};

std::shared_ptr<FaultPlan> ReplayServer::Impl::plan() const {
  std::lock_guard<std::mutex> lock(plan_mutex);
  return fault_plan;
}

bool ReplayServer::Impl::waitFor(std::chrono::milliseconds duration) {
  std::unique_lock<std::mutex> lock(stop_mutex);
  if (duration.count() <= 0) {
    return !stopping;
  }
  return !stop_cv.wait_for(lock, duration, [this] { return stopping; });
}

void ReplayServer::Impl::handleChart(const httplib::Request& request, httplib::Response& response,
                                     const ReplayRegistry& from) {
  ConcurrencyScope scope(active, max_concurrent);
  const std::string symbol = request.matches[1];
  const bool is_chart = &from == &registry;
  if (is_chart) {
    chart_count.fetch_add(1);
  }
  {
    std::lock_guard<std::mutex> lock(symbols_mutex);
    ++per_symbol[symbol];
  }
  const bool gzip_ok = takeGzipAccepted(request);
  // Decided on arrival, before latency and faults, as a front end throttles before the origin.
  if (!admit(response)) {
    return;
  }
  LimiterSlot slot(limiter);
  const auto current = plan();
  if (!waitFor(current->faults().latency)) {
    response.status = 503;
    return;
  }
  if (auto refusal =
          session.chart(request.get_header_value("Cookie"), request.get_param_value("crumb"))) {
    (refusal->status == 401 ? unauthorized : blocked).fetch_add(1);
    writeAnswer(*refusal, response);
    return;
  }
  if (auto fault = current->decide(symbol)) {
    faults.fetch_add(1);
    if (applyFault(*fault, current->faults(), request, response)) {
      return;
    }
  }
  if (!is_chart) {
    serve(from.lookup(symbol), gzip_ok, response);
    return;
  }
  const ReplayResponse answer = from.lookup(
      symbol,
      parseReplayWindow(request.get_param_value("period1"), request.get_param_value("period2")));
  serve(answer, gzip_ok, response);
  chart_body_bytes.fetch_add(answer.body.size());
  chart_sent_bytes.fetch_add(response.body.size());
}

bool ReplayServer::Impl::admit(httplib::Response& response) {
  const Admission verdict = limiter.admit(std::chrono::steady_clock::now());
  if (verdict == Admission::kAdmitted) {
    return true;
  }
  limited.fetch_add(1);
  if (verdict == Admission::kBanned) {
    banned.fetch_add(1);
  }
  tooManyRequests(limiter.limits().retry_after_seconds, response);
  return false;
}

void ReplayServer::Impl::handleCookie(const httplib::Request& request,
                                      httplib::Response& response) {
  cookie_requests.fetch_add(1);
  (void)takeGzipAccepted(request);
  writeAnswer(session.cookie(), response);
}

void ReplayServer::Impl::handleCrumb(const httplib::Request& request, httplib::Response& response) {
  crumb_requests.fetch_add(1);
  (void)takeGzipAccepted(request);
  const SessionAnswer answer = session.crumb(request.get_header_value("Cookie"));
  if (answer.status == 401) {
    unauthorized.fetch_add(1);
  }
  writeAnswer(answer, response);
}

bool ReplayServer::Impl::applyFault(FaultKind kind, const ReplayFaults& spoil,
                                    const httplib::Request& request, httplib::Response& response) {
  switch (kind) {
    case FaultKind::k429:
      tooManyRequests(spoil.retry_after_seconds, response);
      return true;
    case FaultKind::k500:
    case FaultKind::k503:
      response.status = kind == FaultKind::k500 ? 500 : 503;
      response.set_content(
          kind == FaultKind::k500 ? "Internal Server Error\r\n" : "Service Unavailable\r\n",
          "text/html");
      return true;
    case FaultKind::kReset:
      (void)resetConnection(port, request.remote_port);
      response.status = 500;  // never reaches the client
      return true;
    case FaultKind::kHang:
      // After the hang the normal response follows, for a client patient enough to wait.
      if (!waitFor(spoil.hang)) {
        response.status = 503;
        return true;
      }
      return false;
  }
  return false;
}

void ReplayServer::Impl::serve(const ReplayResponse& replay, bool gzip_ok,
                               httplib::Response& response) const {
  response.status = replay.status;
  std::string content_type = "application/json;charset=utf-8";
  for (const auto& [name, value] : replay.headers) {
    if (name == "content-type") {
      content_type = value;  // set_content writes it
    } else {
      response.set_header(name, value);
    }
  }
  if (gzip_ok && replay.body.size() >= options.gzip_min_bytes) {
    response.set_header("Content-Encoding", "gzip");
    response.set_content(gzip(replay.body), content_type);
  } else {
    response.set_content(replay.body, content_type);
  }
}

ReplayServer::ReplayServer(ReplayServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ReplayServer::~ReplayServer() {
  stop();
}

ReplayRegistry& ReplayServer::registry() {
  return impl_->registry;
}

ReplayRegistry& ReplayServer::csvRegistry() {
  return impl_->csv_registry;
}

std::vector<std::string> ReplayServer::chartRequests() const {
  std::lock_guard<std::mutex> lock(impl_->csv_mutex);
  return impl_->chart_requests;
}

std::vector<std::string> ReplayServer::csvRequests() const {
  std::lock_guard<std::mutex> lock(impl_->csv_mutex);
  return impl_->csv_requests;
}

void ReplayServer::setFaults(ReplayFaults faults) {
  auto plan = std::make_shared<FaultPlan>(std::move(faults));
  std::lock_guard<std::mutex> lock(impl_->plan_mutex);
  impl_->fault_plan = std::move(plan);
}

void ReplayServer::setLimits(ReplayLimits limits) {
  impl_->limiter.setLimits(std::move(limits));
}

void ReplayServer::setSession(ReplaySession session) {
  impl_->session.setSession(std::move(session));
}

const ReplayLimiter& ReplayServer::limiter() const {
  return impl_->limiter;
}

void ReplayServer::start() {
  if (impl_->server) {
    throw std::logic_error("ReplayServer::start called twice");
  }
  // A reset connection makes cpp-httplib write to a dead socket; that must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  Impl& impl = *impl_;
  impl.server = std::make_unique<Listener>();
  httplib::Server& server = *impl.server;
  server.new_task_queue = [&impl] {
    return new CountingPool(impl.options.threads, impl.connections);
  };
  server.set_keep_alive_max_count(std::numeric_limits<std::size_t>::max());
  server.set_keep_alive_timeout(impl.options.keep_alive_seconds);
  server.set_tcp_nodelay(true);
  server.set_pre_routing_handler([&impl](const httplib::Request&, httplib::Response&) {
    impl.requests.fetch_add(1);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.Get(R"(/v8/finance/chart/([^/]+))",
             [&impl](const httplib::Request& request, httplib::Response& response) {
               {
                 std::lock_guard<std::mutex> lock(impl.csv_mutex);
                 if (impl.chart_requests.size() < kChartLogLimit)
                   impl.chart_requests.push_back(request.target);
               }
               impl.handleChart(request, response, impl.registry);
             });
  server.Get(R"(/csv/([^/]+)\.csv)",
             [&impl](const httplib::Request& request, httplib::Response& response) {
               {
                 std::lock_guard<std::mutex> lock(impl.csv_mutex);
                 impl.csv_requests.push_back(request.target);
               }
               impl.handleChart(request, response, impl.csv_registry);
             });
  server.Get("/cookie", [&impl](const httplib::Request& request, httplib::Response& response) {
    impl.handleCookie(request, response);
  });
  server.Get("/v1/test/getcrumb",
             [&impl](const httplib::Request& request, httplib::Response& response) {
               impl.handleCrumb(request, response);
             });

  const ReplayServerOptions& options = impl.options;
  impl.port = options.port == 0
                  ? server.bind_to_any_port(options.bind)
                  : (server.bind_to_port(options.bind, options.port) ? options.port : -1);
  if (impl.port <= 0) {
    throw std::runtime_error("replay server cannot bind " + options.bind + ":" +
                             std::to_string(options.port));
  }
  (void)::listen(impl.server->listeningSocket(), kListenBacklog);
  impl.thread = std::thread([&server] { server.listen_after_bind(); });
  // The socket already accepts connections; this only waits (microseconds) until stop() can
  // reach the accept loop, since cpp-httplib's stop() ignores a server not yet running.
  while (!server.is_running()) {
    std::this_thread::yield();
  }
}

void ReplayServer::stop() {
  Impl& impl = *impl_;
  {
    std::lock_guard<std::mutex> lock(impl.stop_mutex);
    if (impl.stopping) {
      return;
    }
    impl.stopping = true;
  }
  impl.stop_cv.notify_all();
  if (impl.server) {
    impl.server->stop();
  }
  if (impl.thread.joinable()) {
    impl.thread.join();
  }
}

int ReplayServer::port() const {
  return impl_->port;
}

std::string ReplayServer::baseUrl() const {
  return "http://" + impl_->options.bind + ":" + std::to_string(impl_->port);
}

std::string ReplayServer::chartUrl(std::string_view symbol, std::string_view query) const {
  return baseUrl() + "/v8/finance/chart/" + percentEncode(symbol) + std::string(query);
}

ReplayCounters ReplayServer::counters() const {
  const Impl& impl = *impl_;
  ReplayCounters counters;
  counters.requests = impl.requests.load();
  counters.max_concurrent = impl.max_concurrent.load();
  counters.connections = impl.connections.load();
  counters.faults = impl.faults.load();
  counters.limited = impl.limited.load();
  counters.banned = impl.banned.load();
  counters.cookie_requests = impl.cookie_requests.load();
  counters.crumb_requests = impl.crumb_requests.load();
  counters.unauthorized = impl.unauthorized.load();
  counters.blocked = impl.blocked.load();
  counters.chart_requests = impl.chart_count.load();
  counters.chart_body_bytes = impl.chart_body_bytes.load();
  counters.chart_sent_bytes = impl.chart_sent_bytes.load();
  return counters;
}

std::uint64_t ReplayServer::requestsFor(const std::string& symbol) const {
  std::lock_guard<std::mutex> lock(impl_->symbols_mutex);
  auto it = impl_->per_symbol.find(symbol);
  return it == impl_->per_symbol.end() ? 0 : it->second;
}

void ReplayServer::resetCounters() {
  impl_->requests = 0;
  impl_->max_concurrent = 0;
  impl_->connections = 0;
  impl_->faults = 0;
  impl_->limited = 0;
  impl_->banned = 0;
  impl_->cookie_requests = 0;
  impl_->crumb_requests = 0;
  impl_->unauthorized = 0;
  impl_->blocked = 0;
  impl_->chart_count = 0;
  impl_->chart_body_bytes = 0;
  impl_->chart_sent_bytes = 0;
  impl_->limiter.resetCounters();
  std::lock_guard<std::mutex> lock(impl_->symbols_mutex);
  impl_->per_symbol.clear();
}

std::string ReplayServer::cookieUrl() const {
  return baseUrl() + "/cookie";
}

std::string ReplayServer::crumbUrl() const {
  return baseUrl() + "/v1/test/getcrumb";
}

std::string ReplayServer::csvBaseUrl() const {
  return baseUrl() + "/csv";
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace rawfeed::testing
