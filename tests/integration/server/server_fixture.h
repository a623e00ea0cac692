#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/curl/curl_http_client.h"
#include "observe/logger.h"
#include "server/api_server.h"
#include "unit/server/fake_service.h"

namespace rawfeed::server::testing {

inline constexpr const char* kToken = "integration-token-9f8e7d";

// Keeps every access-log line, formatted as the JSON lines logger would write it.
class RecordingLogger final : public observe::Logger {
 public:
  void log(observe::Level level, std::string_view event,
           std::initializer_list<observe::Field> fields) override {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(observe::formatLogLine(core::SystemTime{}, level, event, fields));
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;  // guards lines_
  std::vector<std::string> lines_;
};

// A real ApiServer on 127.0.0.1, port 0, over a FakeService, and a curl client to call it.
class ServerTest : public ::testing::Test {
 protected:
  void startServer(ApiServerOptions options) {
    server_ = std::make_unique<ApiServer>(service_, logger_, core::systemClock(), options);
    auto started = server_->start();
    ASSERT_TRUE(started.ok()) << started.error().message;
  }
  void SetUp() override {
    ApiServerOptions options;
    options.bearer_token = kToken;
    options.max_body_bytes = 4096;
    startServer(options);
  }
  void TearDown() override {
    // The client goes first: closing its idle keep-alive connections lets stop() return at
    // once instead of after the keep-alive timeout.
    client_.reset();
    if (server_) {
      server_->stop();
    }
  }

  http::HttpResponse call(const std::string& method, const std::string& target,
                          std::string body = {}, http::Headers headers = {}) {
    http::HttpRequest request;
    request.method = method;
    request.url = server_->baseUrl() + target;
    request.body = std::move(body);
    request.headers = std::move(headers);
    request.timeout = std::chrono::milliseconds(10000);
    auto response = client_->perform(std::move(request));
    EXPECT_TRUE(response.ok()) << response.error().message;
    return response.ok() ? std::move(*response) : http::HttpResponse{};
  }
  http::HttpResponse post(const std::string& target, std::string body,
                          std::string authorization = std::string("Bearer ") + kToken) {
    http::Headers headers = {{"Content-Type", "application/json"}};
    if (!authorization.empty()) {
      headers.emplace_back("Authorization", authorization);
    }
    return call("POST", target, std::move(body), std::move(headers));
  }

  FakeService service_;
  RecordingLogger logger_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<http::curl::CurlHttpClient> client_ =
      std::make_unique<http::curl::CurlHttpClient>();
};

}  // namespace rawfeed::server::testing
