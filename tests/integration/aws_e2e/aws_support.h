#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "http/curl/curl_http_client.h"
#include "integration/s3/test_servers.h"
#include "queue/sqs/sqs_provision.h"

// The AWS end-to-end tests: a fresh SQS queue (and DLQ) per test on fauxqs, so tests running at
// once never see each other's messages, and the environment a rawfeed process gets.
namespace rawfeed::e2e {

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

}  // namespace rawfeed::e2e
