#include "http/curl/curl_http_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/curl/curl_errors.h"
#include "http/curl/curl_transfer.h"
#include "http/curl/delay_queue.h"
#include "http/curl/host_limiter.h"
#include "http/curl/url_origin.h"

namespace rawfeed::http::curl {
namespace {

// Upper bound on one wait: the loop re-checks its state at least this often even when idle.
constexpr int kIdlePollMs = 1000;
// Reset easy handles are kept for reuse; beyond this many spare ones they are freed.
constexpr std::size_t kMaxSpareHandles = 1024;

bool globalInit() {
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ok;
}

core::Error cancelled(const HttpRequest& request) {
  return core::makeError(
      core::ErrorCode::kCancelled,
      fmt::format("HTTP client stopped ({} {})", request.method, urlForMessage(request.url)));
}

core::Error notStartedInTime(const HttpRequest& request) {
  return core::makeError(core::ErrorCode::kCancelled,
                         fmt::format("not started before its deadline ({} {})", request.method,
                                     urlForMessage(request.url)));
}

void invoke(PendingRequest& pending, core::Result<HttpResponse> result) {
  if (pending.done) {
    pending.done(std::move(result));
  }
}

}  // namespace

class CurlHttpClient::Loop {
 public:
  explicit Loop(CurlHttpClientOptions options);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  void send(HttpRequest request, Callback done);
  void stop();
  CurlHttpClientStats stats() const;

 private:
  void run();
  void accept(PendingRequest pending, core::SteadyTime now);
  void admit(PendingRequest pending);
  bool tryStart(PendingRequest pending);
  void releaseSlot(const std::string& origin);
  void collectFinished();
  void complete(PendingRequest& pending, core::Result<HttpResponse> result);
  int waitTimeoutMs(core::SteadyTime now) const;
  void runDueTimer();
  void serveSocketEvents(int timeout_ms);
  void wake();
  static int onSocket(CURL* easy, curl_socket_t socket, int what, void* self, void* socketp);
  void cancelEverything(std::vector<PendingRequest> incoming);
  CURL* takeHandle();
  void returnHandle(CURL* easy);

  const CurlHttpClientOptions options_;
  TransferSettings settings_;
  CURLM* multi_ = nullptr;
  // The loop waits on one epoll set: the sockets curl asks it to watch (onSocket) and an eventfd
  // that send() and stop() write to wake it. curl is driven with curl_multi_socket_action, so an
  // event costs the work of its own transfer, not a poll of every connection.
  int epoll_fd_ = -1;
  // Sockets curl stopped watching (a connection back in its cache) but left registered with no
  // events, so that its next request re-arms them with one epoll_ctl instead of three. epoll
  // still reports a hang-up on them: that one is unregistered and curl not told.
  std::unordered_set<curl_socket_t> disarmed_;
  int wake_fd_ = -1;

  mutable std::mutex mutex_;  // guards incoming_ and stopping_
  std::vector<PendingRequest> incoming_;
  bool stopping_ = false;

  // Owned by the loop thread alone.
  DelayQueue<PendingRequest> delayed_;
  HostLimiter<PendingRequest> limiter_;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> running_;
  std::vector<CURL*> spare_handles_;

  std::atomic<std::uint64_t> submitted_{0};
  std::atomic<std::uint64_t> completed_{0};
  std::atomic<std::uint64_t> waited_for_slot_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::size_t> in_flight_{0};

  std::mutex join_mutex_;  // guards thread_ against two concurrent stop() calls
  std::thread thread_;
  std::thread::id loop_thread_id_;  // guarded by mutex_: set by the loop thread as it starts
};

CurlHttpClient::Loop::Loop(CurlHttpClientOptions options)
    : options_(std::move(options)), limiter_(options_.max_in_flight_per_host) {
  settings_.connect_timeout = options_.connect_timeout;
  settings_.user_agent = options_.user_agent;
  settings_.ca_file = options_.ca_file;
  if (const char* bundle = std::getenv("CURL_CA_BUNDLE"); settings_.ca_file.empty() && bundle) {
    settings_.ca_file = bundle;
  }
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event wake_event{};
  wake_event.events = EPOLLIN;
  wake_event.data.fd = wake_fd_;
  if (!globalInit() || epoll_fd_ < 0 || wake_fd_ < 0 ||
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake_event) != 0 ||
      (multi_ = curl_multi_init()) == nullptr) {
    stopping_ = true;  // no loop: send() reports the failure to each caller
    return;
  }
  (void)curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Loop::onSocket);
  (void)curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  // No timer callback: curl skips telling one when its earliest timer is unchanged, and 7.88
  // rounds the time left down, so a timer read early and dropped would be lost. The loop asks
  // curl_multi_timeout before every wait instead (a look at curl's timer tree, no system call).
  const long per_host =
      static_cast<long>(std::max<std::size_t>(1, options_.max_in_flight_per_host));
  // Failures here only lose tuning, never correctness, so they are not fatal.
  (void)curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, per_host);
  (void)curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS,
                          static_cast<long>(options_.max_cached_connections));
  (void)curl_multi_setopt(multi_, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  thread_ = std::thread([this] { run(); });
}

CurlHttpClient::Loop::~Loop() {
  stop();
  for (CURL* easy : spare_handles_) {
    curl_easy_cleanup(easy);
  }
  if (multi_ != nullptr) {
    curl_multi_cleanup(multi_);  // may still tell onSocket to forget cached connections
  }
  if (wake_fd_ >= 0)
    close(wake_fd_);
  if (epoll_fd_ >= 0)
    close(epoll_fd_);
}

void CurlHttpClient::Loop::wake() {
  const std::uint64_t one = 1;
  // A full counter (never, in practice) already means "wake up": nothing to do on failure.
  (void)!write(wake_fd_, &one, sizeof one);
}

int CurlHttpClient::Loop::onSocket(CURL* /*easy*/, curl_socket_t socket, int what, void* self,
                                   void* /*socketp*/) {
  auto* loop = static_cast<Loop*>(self);
  epoll_event event{};
  event.data.fd = socket;
  if (what == CURL_POLL_REMOVE) {
    // Kept registered, disarmed: a connection going back to the cache is re-armed by its next
    // request. When curl closes the socket instead, closing it unregisters it; a failure means
    // it was never added.
    if (epoll_ctl(loop->epoll_fd_, EPOLL_CTL_MOD, socket, &event) == 0)
      loop->disarmed_.insert(socket);
    return 0;
  }
  loop->disarmed_.erase(socket);
  event.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
  if (epoll_ctl(loop->epoll_fd_, EPOLL_CTL_MOD, socket, &event) != 0 && errno == ENOENT)
    (void)epoll_ctl(loop->epoll_fd_, EPOLL_CTL_ADD, socket, &event);
  return 0;
}

void CurlHttpClient::Loop::send(HttpRequest request, Callback done) {
  submitted_.fetch_add(1, std::memory_order_relaxed);
  PendingRequest pending{std::move(request), std::move(done), {}};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      incoming_.push_back(std::move(pending));
      // From a callback (the loop thread itself: a freed slot handed on) the loop looks at
      // incoming_ before it waits again, so the wakeup (an eventfd write and read) is saved.
      if (std::this_thread::get_id() != loop_thread_id_) {
        // Safe under the lock: wake_fd_ outlives every moment stopping_ is false.
        wake();
      }
      return;
    }
  }
  auto error = multi_ == nullptr
                   ? core::makeError(core::ErrorCode::kInternal, "libcurl failed to initialise")
                   : cancelled(pending.request);
  complete(pending, std::move(error));
}

void CurlHttpClient::Loop::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      wake();
    }
  }
  std::lock_guard<std::mutex> lock(join_mutex_);
  // From a callback (the loop thread itself) joining would deadlock: the destructor joins.
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
    thread_.join();
  }
}

CurlHttpClientStats CurlHttpClient::Loop::stats() const {
  CurlHttpClientStats stats;
  // Independent counters: a snapshot taken while requests move may be off by one for a moment.
  stats.completed = completed_.load();
  stats.failed = failed_.load();
  stats.in_flight = in_flight_.load();
  stats.submitted = submitted_.load();
  stats.waited_for_slot = waited_for_slot_.load();
  const std::uint64_t started_or_done = stats.completed + stats.in_flight;
  stats.queued = stats.submitted > started_or_done
                     ? static_cast<std::size_t>(stats.submitted - started_or_done)
                     : 0;
  return stats;
}

void CurlHttpClient::Loop::run() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    loop_thread_id_ = std::this_thread::get_id();
  }
  for (;;) {
    std::vector<PendingRequest> batch;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batch.swap(incoming_);
      if (stopping_) {
        cancelEverything(std::move(batch));
        return;
      }
    }
    const core::SteadyTime now = std::chrono::steady_clock::now();
    for (auto& pending : batch) {
      accept(std::move(pending), now);
    }
    for (auto& pending : delayed_.popDue(now)) {
      admit(std::move(pending));
    }
    runDueTimer();  // new transfers start here: adding a handle sets curl's timer to now
    bool sent_from_callbacks = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sent_from_callbacks = !incoming_.empty();
    }
    if (sent_from_callbacks)
      continue;  // nobody woke the wait for them: start them first
    serveSocketEvents(waitTimeoutMs(std::chrono::steady_clock::now()));
  }
}

void CurlHttpClient::Loop::runDueTimer() {
  long curl_ms = -1;
  (void)curl_multi_timeout(multi_, &curl_ms);
  if (curl_ms != 0)
    return;
  int running = 0;
  (void)curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  collectFinished();
}

void CurlHttpClient::Loop::serveSocketEvents(int timeout_ms) {
  std::array<epoll_event, 64> events;
  const int ready =
      epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout_ms);
  for (int i = 0; i < ready; ++i) {
    const int fd = events[i].data.fd;
    if (fd == wake_fd_) {
      std::uint64_t count = 0;
      (void)!read(wake_fd_, &count, sizeof count);
      continue;
    }
    if (disarmed_.count(fd) != 0) {
      // A cached connection's hang-up (the only event a disarmed socket reports): unregistered,
      // or it would be reported on every wait. curl finds the connection dead when it next
      // picks it, and registers the socket of the one it opens instead.
      (void)epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
      disarmed_.erase(fd);
      continue;
    }
    const auto flags = events[i].events;
    int mask = 0;
    if (flags & EPOLLIN)
      mask |= CURL_CSELECT_IN;
    if (flags & EPOLLOUT)
      mask |= CURL_CSELECT_OUT;
    if (flags & (EPOLLERR | EPOLLHUP))
      mask |= CURL_CSELECT_ERR;
    int running = 0;
    (void)curl_multi_socket_action(multi_, fd, mask, &running);
  }
  if (ready > 0)
    collectFinished();  // per-transfer errors arrive through curl_multi_info_read
}

void CurlHttpClient::Loop::accept(PendingRequest pending, core::SteadyTime now) {
  auto origin = urlOrigin(pending.request.url);
  if (!origin.ok()) {
    complete(pending, origin.error());
    return;
  }
  pending.origin = std::move(origin.value());
  if (pending.request.not_before > now) {
    const core::SteadyTime due = pending.request.not_before;
    delayed_.push(due, std::move(pending));
  } else {
    admit(std::move(pending));
  }
}

void CurlHttpClient::Loop::admit(PendingRequest pending) {
  const std::string origin = pending.origin;
  if (auto admitted = limiter_.admit(origin, std::move(pending))) {
    if (!tryStart(std::move(*admitted))) {
      releaseSlot(origin);
    }
  } else {
    waited_for_slot_.fetch_add(1);  // the per-host limit held it back
  }
}

// False when the request failed before reaching curl (its callback has run, its slot is free
// for the caller to release).
bool CurlHttpClient::Loop::tryStart(PendingRequest pending) {
  if (pending.request.start_by != core::SteadyTime{} &&
      std::chrono::steady_clock::now() > pending.request.start_by) {
    complete(pending, notStartedInTime(pending.request));
    return false;
  }
  CURL* easy = takeHandle();
  if (easy == nullptr) {
    complete(pending, core::makeError(core::ErrorCode::kInternal, "curl_easy_init failed"));
    return false;
  }
  auto transfer = std::make_unique<Transfer>(easy, std::move(pending));
  CURLcode code = transfer->configure(settings_);
  if (code == CURLE_OK && curl_multi_add_handle(multi_, easy) != CURLM_OK) {
    code = CURLE_FAILED_INIT;
  }
  if (code != CURLE_OK) {
    complete(transfer->pending(), transfer->finish(code));
    transfer.reset();
    returnHandle(easy);
    return false;
  }
  running_.emplace(easy, std::move(transfer));
  in_flight_.fetch_add(1);
  return true;
}

void CurlHttpClient::Loop::releaseSlot(const std::string& origin) {
  // Iterative: a run of requests that fail before reaching curl must not recurse.
  for (auto next = limiter_.release(origin); next; next = limiter_.release(origin)) {
    if (tryStart(std::move(*next))) {
      return;
    }
  }
}

void CurlHttpClient::Loop::collectFinished() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) {
      continue;
    }
    CURL* easy = message->easy_handle;
    const CURLcode code = message->data.result;  // message dies with remove_handle
    auto it = running_.find(easy);
    if (it == running_.end()) {
      continue;
    }
    std::unique_ptr<Transfer> transfer = std::move(it->second);
    running_.erase(it);
    (void)curl_multi_remove_handle(multi_, easy);
    const std::string origin = transfer->origin();
    auto result = transfer->finish(code);
    // Counters settle before the callback, so a caller woken by it reads final stats.
    in_flight_.fetch_sub(1);
    complete(transfer->pending(), std::move(result));
    transfer.reset();
    returnHandle(easy);
    releaseSlot(origin);
  }
}

void CurlHttpClient::Loop::complete(PendingRequest& pending, core::Result<HttpResponse> result) {
  if (!result.ok()) {
    failed_.fetch_add(1);
  }
  completed_.fetch_add(1);
  invoke(pending, std::move(result));
}

int CurlHttpClient::Loop::waitTimeoutMs(core::SteadyTime now) const {
  long curl_ms = -1;
  (void)curl_multi_timeout(multi_, &curl_ms);
  long wait_ms = curl_ms < 0 ? kIdlePollMs : std::min<long>(curl_ms, kIdlePollMs);
  if (auto due = delayed_.nextDue()) {
    // Rounded up: waking a little late is harmless, waking early only spins.
    const auto until_ms = std::chrono::ceil<std::chrono::milliseconds>(*due - now).count();
    wait_ms = std::min<long>(wait_ms, std::max<long>(0, static_cast<long>(until_ms)));
  }
  return static_cast<int>(wait_ms);
}

void CurlHttpClient::Loop::cancelEverything(std::vector<PendingRequest> incoming) {
  for (auto& [easy, transfer] : running_) {
    (void)curl_multi_remove_handle(multi_, easy);
    in_flight_.fetch_sub(1);
    complete(transfer->pending(), cancelled(transfer->pending().request));
    transfer.reset();
    curl_easy_cleanup(easy);
  }
  running_.clear();
  for (auto& pending : limiter_.drainWaiting()) {
    complete(pending, cancelled(pending.request));
  }
  for (auto& pending : delayed_.drain()) {
    complete(pending, cancelled(pending.request));
  }
  for (auto& pending : incoming) {
    complete(pending, cancelled(pending.request));
  }
}

CURL* CurlHttpClient::Loop::takeHandle() {
  if (spare_handles_.empty()) {
    return curl_easy_init();
  }
  CURL* easy = spare_handles_.back();
  spare_handles_.pop_back();
  return easy;
}

void CurlHttpClient::Loop::returnHandle(CURL* easy) {
  if (spare_handles_.size() >= kMaxSpareHandles) {
    curl_easy_cleanup(easy);
    return;
  }
  curl_easy_reset(easy);
  spare_handles_.push_back(easy);
}

CurlHttpClient::CurlHttpClient(CurlHttpClientOptions options)
    : loop_(std::make_unique<Loop>(std::move(options))) {}

CurlHttpClient::~CurlHttpClient() = default;

void CurlHttpClient::send(HttpRequest request, Callback done) {
  loop_->send(std::move(request), std::move(done));
}

void CurlHttpClient::stop() {
  loop_->stop();
}

CurlHttpClientStats CurlHttpClient::stats() const {
  return loop_->stats();
}

}  // namespace rawfeed::http::curl
