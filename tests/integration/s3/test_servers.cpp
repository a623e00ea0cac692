#include "integration/s3/test_servers.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "store/s3/s3_errors.h"
#include "store/s3/s3_request.h"

namespace rawfeed::integration {

namespace {

constexpr const char* kEnvFile = RAWFEED_SOURCE_DIR "/out/aws-test-servers.env";

std::map<std::string, std::string> readEnvFile() {
  std::map<std::string, std::string> values;
  std::ifstream in(kEnvFile);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos)
      continue;
    values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return values;
}

struct Loaded {
  std::optional<TestServers> servers;
  std::string error;
};

Loaded load() {
  // One source for every value, so that a developer's own AWS_* variables never mix with the
  // test servers' file: the process environment when the script's variables were exported into
  // it, else the file.
  const bool exported = std::getenv("RAWFEED_TEST_FAUXQS_PROXY_URL") != nullptr;
  const auto file = exported ? std::map<std::string, std::string>() : readEnvFile();
  std::vector<std::string> missing;
  const auto get = [&](const char* name) -> std::string {
    if (exported) {
      if (const char* value = std::getenv(name); value != nullptr && *value != '\0')
        return value;
    } else if (auto it = file.find(name); it != file.end() && !it->second.empty()) {
      return it->second;
    }
    missing.emplace_back(name);
    return {};
  };
  TestServers servers;
  servers.region = get("RAWFEED_TEST_REGION");
  servers.bucket = get("RAWFEED_TEST_BUCKET");
  const std::string key = get("AWS_ACCESS_KEY_ID");
  const std::string secret = get("AWS_SECRET_ACCESS_KEY");
  servers.fauxqs = S3Server{"fauxqs", get("RAWFEED_TEST_FAUXQS_PROXY_URL"),
                            get("RAWFEED_TEST_FAUXQS_URL"), key, secret};
  servers.s3rver = S3Server{
      "s3rver", get("RAWFEED_TEST_S3RVER_PROXY_URL"), get("RAWFEED_TEST_S3RVER_URL"),
      get("RAWFEED_TEST_S3RVER_ACCESS_KEY_ID"), get("RAWFEED_TEST_S3RVER_SECRET_ACCESS_KEY")};
  servers.moto = S3Server{"moto", get("RAWFEED_TEST_MOTO_PROXY_URL"), get("RAWFEED_TEST_MOTO_URL"),
                          key, secret};
  if (!missing.empty()) {
    std::string names;
    for (const auto& name : missing) {
      if (!names.empty())
        names += ", ";
      names += name;
    }
    return Loaded{std::nullopt,
                  fmt::format("the local S3 test servers are not running (missing {} in the "
                              "environment and in {}): run `scripts/aws-test-servers.sh start` "
                              "first (CI starts them)",
                              names, kEnvFile)};
  }
  return Loaded{servers, {}};
}

}  // namespace

const TestServers* testServers(std::string* error) {
  static const Loaded loaded = load();
  if (!loaded.servers) {
    if (error != nullptr)
      *error = loaded.error;
    return nullptr;
  }
  return &*loaded.servers;
}

store::s3::S3Options optionsFor(const S3Server& server, const std::string& region,
                                const std::string& bucket, core::Random& random) {
  store::s3::S3Options options;
  options.bucket = bucket;
  options.region = region;
  options.endpoint = server.proxy_url;
  options.prefix = fmt::format("it/{}", core::newUuid(random));
  options.request_timeout = std::chrono::milliseconds(15000);
  return options;
}

S3Fixture::S3Fixture(const S3Server& server, const std::string& region, const std::string& bucket,
                     store::s3::S3Options overrides)
    : credentials_(server.access_key_id, server.secret_access_key) {
  store::s3::S3Options options = optionsFor(server, region, bucket, random_);
  prefix_ = options.prefix;
  options.checksum = overrides.checksum;
  options.conditional_create = overrides.conditional_create;
  options.list_page_size = overrides.list_page_size;
  options.sse = overrides.sse;
  auto store =
      store::s3::S3ObjectStore::create(options, http_, credentials_, core::systemClock(), random_);
  if (!store) {
    error_ = store.error().describe();
    return;
  }
  store_ = std::move(store).value();
}

core::Status ensureBucket(const S3Server& server, const std::string& region,
                          const std::string& bucket) {
  store::s3::S3Options options;
  options.bucket = bucket;
  options.region = region;
  options.endpoint = server.proxy_url;
  auto url = store::s3::S3Url::make(options);
  if (!url)
    return url.error();
  const aws::Credentials credentials{server.access_key_id, server.secret_access_key, "",
                                     std::nullopt};
  store::s3::S3Call call;
  call.operation = "CreateBucket";
  call.method = "PUT";
  auto request = store::s3::signCall(
      *url, call, store::s3::SigningContext{credentials, region, core::systemClock().now()},
      std::chrono::milliseconds(15000));
  if (!request)
    return request.error();
  http::curl::CurlHttpClient http;
  auto response = http.perform(std::move(request).value());
  if (!response)
    return response.error();
  if (response->status / 100 == 2)
    return core::okStatus();
  core::Error error = store::s3::responseError(*response, "CreateBucket", bucket);
  if (error.code == core::ErrorCode::kAlreadyExists)
    return core::okStatus();
  return error;
}

}  // namespace rawfeed::integration
