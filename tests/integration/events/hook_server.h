#pragma once

#include <httplib.h>

#include <deque>
#include <initializer_list>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// A webhook endpoint of the test's own on 127.0.0.1, port 0: answers POST /hook with scripted
// statuses and keeps every request it got.
namespace rawfeed::events_it {

struct Delivery {
  std::string body;
  std::string authorization;
  std::string content_type;
  int answered = 0;
};

// Answers POST /hook with the scripted statuses in turn, then with `steady_status`.
class HookServer {
 public:
  HookServer() {
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      int status = steady_status_;
      if (!script_.empty()) {
        status = script_.front();
        script_.pop_front();
      }
      deliveries_.push_back({request.body, request.get_header_value("Authorization"),
                             request.get_header_value("Content-Type"), status});
      response.status = status;
      response.set_content(status < 300 ? "{\"ok\":true}" : "{\"error\":\"busy\"}",
                           "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Bound and listening already: connections wait in the backlog until the loop accepts.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HookServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void script(std::initializer_list<int> statuses) {
    std::lock_guard lock(mutex_);
    script_.insert(script_.end(), statuses);
  }
  void setSteadyStatus(int status) {
    std::lock_guard lock(mutex_);
    steady_status_ = status;
  }
  std::vector<Delivery> deliveries() const {
    std::lock_guard lock(mutex_);
    return deliveries_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;  // guards the three below
  std::deque<int> script_;
  int steady_status_ = 200;
  std::vector<Delivery> deliveries_;
};

}  // namespace rawfeed::events_it
