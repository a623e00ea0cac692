#include "integration/lambda/runtime_api_server.h"

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace rawfeed::testing {

namespace {

struct Pending {
  std::string id;
  std::string payload;
  std::int64_t deadline_ms = 0;
};

}  // namespace

struct RuntimeApiServer::Impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;

  mutable std::mutex mutex;  // guards everything below
  std::condition_variable changed;
  std::deque<Pending> queued;
  std::map<std::string, bool> handed_out;  // request id → answered
  std::map<std::string, RuntimeApiOutcome> outcomes;
  std::optional<RuntimeApiOutcome> init_error;
  int next_calls = 0;
  int sequence = 0;
  bool stopping = false;

  void record(const httplib::Request& request, httplib::Response& response, bool error) {
    const std::string id = request.matches[1];
    std::lock_guard lock(mutex);
    const auto found = handed_out.find(id);
    if (found == handed_out.end() || found->second) {
      response.status = 400;
      response.set_content(
          R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})",
          "application/json");
      return;
    }
    found->second = true;
    outcomes[id] = {error, request.body,
                    request.get_header_value("Lambda-Runtime-Function-Error-Type"),
                    std::chrono::system_clock::now()};
    response.status = 202;
    response.set_content(R"({"status":"OK"})", "application/json");
    changed.notify_all();
  }
};

RuntimeApiServer::RuntimeApiServer() : impl_(std::make_unique<Impl>()) {}

RuntimeApiServer::~RuntimeApiServer() {
  stop();
}

void RuntimeApiServer::start() {
  auto& impl = *impl_;
  impl.server.new_task_queue = [] { return new httplib::ThreadPool(8); };
  impl.server.Get("/2018-06-01/runtime/invocation/next", [&impl](const httplib::Request&,
                                                                 httplib::Response& response) {
    std::unique_lock lock(impl.mutex);
    ++impl.next_calls;
    impl.changed.notify_all();
    impl.changed.wait(lock, [&] { return impl.stopping || !impl.queued.empty(); });
    if (impl.stopping) {
      response.status = 500;
      response.set_content("runtime shutting down", "text/plain");
      return;
    }
    Pending next = std::move(impl.queued.front());
    impl.queued.pop_front();
    impl.handed_out[next.id] = false;
    response.status = 200;
    response.set_header("Lambda-Runtime-Aws-Request-Id", next.id);
    response.set_header("Lambda-Runtime-Deadline-Ms", std::to_string(next.deadline_ms));
    response.set_header("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:000000000000:function:rawfeed-it");
    response.set_header("Lambda-Runtime-Trace-Id",
                        "Root=1-00000000-000000000000000000000000;Sampled=0");
    response.set_content(next.payload, "application/json");
  });
  impl.server.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/response)",
                   [&impl](const httplib::Request& request, httplib::Response& response) {
                     impl.record(request, response, false);
                   });
  impl.server.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/error)",
                   [&impl](const httplib::Request& request, httplib::Response& response) {
                     impl.record(request, response, true);
                   });
  impl.server.Post("/2018-06-01/runtime/init/error", [&impl](const httplib::Request& request,
                                                             httplib::Response& response) {
    std::lock_guard lock(impl.mutex);
    impl.init_error = RuntimeApiOutcome{
        true, request.body, request.get_header_value("Lambda-Runtime-Function-Error-Type"),
        std::chrono::system_clock::now()};
    response.status = 202;
    response.set_content(R"({"status":"OK"})", "application/json");
    impl.changed.notify_all();
  });
  impl.port = impl.server.bind_to_any_port("127.0.0.1");
  if (impl.port <= 0)
    throw std::runtime_error("runtime API server: cannot bind 127.0.0.1");
  // Bound and listening already: connections wait in the backlog until the loop accepts them.
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
}

void RuntimeApiServer::stop() {
  auto& impl = *impl_;
  {
    std::lock_guard lock(impl.mutex);
    impl.stopping = true;
    impl.changed.notify_all();
  }
  impl.server.stop();
  if (impl.thread.joinable())
    impl.thread.join();
}

std::string RuntimeApiServer::address() const {
  return "127.0.0.1:" + std::to_string(impl_->port);
}

std::string RuntimeApiServer::invoke(std::string payload,
                                     std::chrono::system_clock::time_point deadline) {
  auto& impl = *impl_;
  std::lock_guard lock(impl.mutex);
  Pending pending;
  pending.id = "req-" + std::to_string(++impl.sequence) + "-" + std::to_string(impl.port);
  pending.payload = std::move(payload);
  pending.deadline_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline.time_since_epoch()).count();
  const std::string id = pending.id;
  impl.queued.push_back(std::move(pending));
  impl.changed.notify_all();
  return id;
}

std::optional<RuntimeApiOutcome> RuntimeApiServer::waitFor(const std::string& request_id,
                                                           std::chrono::milliseconds timeout) {
  auto& impl = *impl_;
  std::unique_lock lock(impl.mutex);
  if (!impl.changed.wait_for(lock, timeout, [&] { return impl.outcomes.count(request_id) > 0; })) {
    return std::nullopt;
  }
  return impl.outcomes.at(request_id);
}

std::optional<RuntimeApiOutcome> RuntimeApiServer::waitForInitError(
    std::chrono::milliseconds timeout) {
  auto& impl = *impl_;
  std::unique_lock lock(impl.mutex);
  impl.changed.wait_for(lock, timeout, [&] { return impl.init_error.has_value(); });
  return impl.init_error;
}

int RuntimeApiServer::nextCalls() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->next_calls;
}

}  // namespace rawfeed::testing
