#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/curl/curl_http_client.h"
#include "integration/e2e/e2e_support.h"
#include "integration/e2e/subprocess.h"

// Shared by the `rawfeed serve` tests: the daemon as a real process on port 0, a curl client
// for its API, a config with several domains, and readers of /metrics and the lake.
namespace rawfeed::serve_test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

inline constexpr const char* kToken = "serve-e2e-token-5c1d";
inline constexpr const char* kReadyLine = "rawfeed serve listening on ";

// Calls `done` every 25 ms until it returns true or `limit` passes; returns its last answer.
inline bool pollUntil(milliseconds limit, const std::function<bool()>& done) {
  const auto deadline = Clock::now() + limit;
  while (true) {
    if (done())
      return true;
    if (Clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(milliseconds(25));
  }
}

// Waits for the process to exit, killing it (SIGKILL) if it has not after `limit`. Returns
// the exit status (128 + signal when killed) and whether the limit ran out.
struct Exit {
  int status = -1;
  bool timed_out = false;
  double seconds = 0;
};
inline Exit waitWithin(e2e::Subprocess& process, milliseconds limit) {
  std::mutex mutex;  // guards exited
  std::condition_variable exited_cv;
  bool exited = false;
  Exit result;
  const auto start = Clock::now();
  std::thread watchdog([&] {
    std::unique_lock lock(mutex);
    if (!exited_cv.wait_for(lock, limit, [&] { return exited; })) {
      result.timed_out = true;
      process.kill(SIGKILL);
    }
  });
  result.status = process.wait();
  {
    std::lock_guard lock(mutex);
    exited = true;
  }
  exited_cv.notify_all();
  watchdog.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

// One domain of the config: its table's keys after the universe.
struct DomainSpec {
  std::string name;
  std::vector<std::string> symbols;
  std::string extra_keys;  // TOML lines inside [domains.NAME], and sub-tables after it
};

// Every domain shares one state directory and one lake under `dir`, as one deployment would.
inline fs::path writeServeConfig(const fs::path& dir, const std::vector<DomainSpec>& domains,
                                 const std::string& server_keys = "") {
  const fs::path path = dir / "rawfeed.toml";
  std::ofstream out(path);
  out << "environment = \"serve-e2e\"\n\n"
      << "[server]\nport = 0\nmax_body_bytes = 2048\nsample_interval_seconds = 1\n"
      << server_keys << "\n"
      << "[defaults]\n"
      << "lake = \"" << (dir / "lake").string() << "\"\n"
      << "state_dir = \"" << (dir / "state").string() << "\"\n"
      << "chunk_size = 5\n\n";
  for (const DomainSpec& domain : domains) {
    out << "[domains." << domain.name << "]\nsymbols = [";
    for (std::size_t i = 0; i < domain.symbols.size(); ++i) {
      out << (i ? ", " : "") << '"' << domain.symbols[i] << '"';
    }
    out << "]\n" << domain.extra_keys << "\n";
  }
  return path;
}

struct Reply {
  int status = 0;
  std::string body;
  nlohmann::json json() const {
    return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  }
};

// `rawfeed serve` as a process; ready once it prints its URL. SIGKILLed if a test ends early.
class ServeProcess {
 public:
  ServeProcess(const fs::path& config, const std::string& source_url, const fs::path& dir,
               const std::string& name)
      : process_({RAWFEED_BIN, "serve", "--config", config.string(), "--source-url", source_url},
                 dir, name) {}

  // The base URL from the ready line, or empty if it did not come within `limit` (stderr
  // then says why).
  std::string waitReady(milliseconds limit = seconds(20)) {
    pollUntil(limit, [&] {
      const std::string out = process_.out();
      const std::size_t at = out.find(kReadyLine);
      if (at != std::string::npos) {
        const std::size_t start = at + std::string(kReadyLine).size();
        const std::size_t end = out.find('\n', start);
        if (end != std::string::npos)
          url_ = out.substr(start, end - start);
      }
      return !url_.empty() || process_.err().find("rawfeed: ") != std::string::npos;
    });
    return url_;
  }

  // SIGTERM, then wait for the drain to end. The client goes first: its idle keep-alive
  // connection would otherwise hold the server's stop for the keep-alive timeout.
  Exit stop(milliseconds limit = seconds(20)) {
    client_.reset();
    process_.kill(SIGTERM);
    return waitWithin(process_, limit);
  }

  const std::string& url() const { return url_; }
  e2e::Subprocess& process() { return process_; }

  Reply get(const std::string& target) { return call("GET", target, "", ""); }
  Reply post(const std::string& target, const std::string& body,
             const std::string& authorization = std::string("Bearer ") + kToken) {
    return call("POST", target, body, authorization);
  }

 private:
  Reply call(const std::string& method, const std::string& target, const std::string& body,
             const std::string& authorization) {
    http::HttpRequest request;
    request.method = method;
    request.url = url_ + target;
    request.body = body;
    if (method == "POST")
      request.headers.emplace_back("Content-Type", "application/json");
    if (!authorization.empty())
      request.headers.emplace_back("Authorization", authorization);
    request.timeout = milliseconds(10000);
    if (!client_)
      client_ = std::make_unique<http::curl::CurlHttpClient>();
    auto response = client_->perform(std::move(request));
    EXPECT_TRUE(response.ok()) << method << ' ' << target << ": " << response.error().message;
    if (!response.ok())
      return {};
    return {response->status, response->body};
  }

  e2e::Subprocess process_;
  std::string url_;
  std::unique_ptr<http::curl::CurlHttpClient> client_ =
      std::make_unique<http::curl::CurlHttpClient>();
};

// The sample of `series` (name plus its exact label set, as exposed) in Prometheus text, e.g.
// metricValue(text, R"(rawfeed_symbols_total{domain="d",outcome="ok"})").
inline std::optional<double> metricValue(const std::string& text, const std::string& series) {
  const std::string prefix = series + ' ';
  std::size_t at = 0;
  while ((at = text.find(prefix, at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      const std::size_t start = at + prefix.size();
      return std::stod(text.substr(start, text.find('\n', start) - start));
    }
    at += prefix.size();
  }
  return std::nullopt;
}

inline std::string domainSeries(const std::string& metric, const std::string& domain) {
  return metric + "{domain=\"" + domain + "\"}";
}

inline std::string symbolsSeries(const std::string& domain, const std::string& outcome) {
  return "rawfeed_symbols_total{domain=\"" + domain + "\",outcome=\"" + outcome + "\"}";
}

// The lake's objects (not manifests) of one domain: key → bytes.
inline std::map<std::string, std::string> domainObjects(const fs::path& lake,
                                                        const std::string& domain) {
  std::map<std::string, std::string> objects;
  for (auto& [key, bytes] : e2e::listLake(lake).objects) {
    if (key.rfind(domain + "/", 0) == 0)
      objects.emplace(key, std::move(bytes));
  }
  return objects;
}

// The file name of an object key without its extension: the (percent-encoded) symbol.
inline std::string symbolOfKey(const std::string& key) {
  const std::string name = key.substr(key.rfind('/') + 1);
  return name.substr(0, name.find('.'));
}

// A domain's batch from /v1/domains/{domain}/batches, or null while it is unknown.
inline nlohmann::json findBatch(ServeProcess& serve, const std::string& domain,
                                const std::string& batch_id) {
  const Reply reply = serve.get("/v1/domains/" + domain + "/batches?limit=50");
  if (reply.status != 200)
    return nullptr;
  const nlohmann::json document = reply.json();
  for (const auto& batch : document["batches"]) {
    if (batch["batch_id"] == batch_id)
      return batch;
  }
  return nullptr;
}

// Polls until the batch's status is `complete`; returns the last view of it.
inline nlohmann::json waitComplete(ServeProcess& serve, const std::string& domain,
                                   const std::string& batch_id, milliseconds limit = seconds(20)) {
  nlohmann::json batch;
  pollUntil(limit, [&] {
    batch = findBatch(serve, domain, batch_id);
    return batch.is_object() && batch["status"] == "complete";
  });
  return batch;
}

// The domain's entry of /v1/status.
inline nlohmann::json statusOf(ServeProcess& serve, const std::string& domain) {
  const Reply reply = serve.get("/v1/status");
  if (reply.status != 200)
    return nullptr;
  const nlohmann::json document = reply.json();
  for (const auto& entry : document["domains"]) {
    if (entry["domain"] == domain)
      return entry;
  }
  return nullptr;
}

// Completion events of one batch.
inline int completionEventsFor(const fs::path& state, const std::string& batch_id) {
  int count = 0;
  for (const auto& event : e2e::readEvents(state)) {
    if (event["detail"]["batch_id"] == batch_id)
      ++count;
  }
  return count;
}

// A fixture with the replay server serving the demo's recorded responses and the bearer token
// in the environment `rawfeed serve` inherits.
class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("RAWFEED_TOKEN", kToken, /*overwrite=*/1);
    const fs::path responses = fs::path(RAWFEED_SOURCE_DIR) / "demo" / "responses";
    ASSERT_GT(replay_.registry().loadDirectory(responses), 0u) << responses;
    replay_.start();
  }

  fs::path lake() const { return dir_.path() / "lake"; }
  fs::path state() const { return dir_.path() / "state"; }

  std::unique_ptr<ServeProcess> startServe(const fs::path& config, const std::string& name) {
    auto serve = std::make_unique<ServeProcess>(config, replay_.baseUrl(), dir_.path(), name);
    const std::string url = serve->waitReady();
    EXPECT_FALSE(url.empty()) << "rawfeed serve did not become ready:\n" << serve->process().err();
    return url.empty() ? nullptr : std::move(serve);
  }

  contract::TempDir dir_;
  testing::ReplayServer replay_;
};

}  // namespace rawfeed::serve_test
