#include "store/s3/s3_object_store.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "aws/api_operations.h"
#include "aws/aws_error.h"
#include "aws/hashing.h"
#include "store/s3/s3_checksum.h"
#include "store/s3/s3_list.h"

namespace rawfeed::store::s3 {

namespace {

// Where the conditional-create probe writes (and removes) its throw-away object: under the
// store's prefix, so it needs no permission the lake itself does not, in the prefix rawfeed
// reserves for its own objects, with a fresh name so that concurrent probes never meet.
constexpr std::string_view kProbeKeyPrefix = "_rawfeed/probes/conditional-create-";

observe::NullLogger& nullLogger() {
  static observe::NullLogger logger;
  return logger;
}

bool missingBucket(const http::HttpResponse& response) {
  return aws::parseAwsError(response).code == "NoSuchBucket";
}

std::optional<std::uint64_t> contentLength(const http::HttpResponse& response) {
  const auto value = response.header("content-length");
  if (!value)
    return std::nullopt;
  std::uint64_t size = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), size);
  if (ec != std::errc() || end != value->data() + value->size())
    return std::nullopt;
  return size;
}

}  // namespace

core::Result<std::unique_ptr<S3ObjectStore>> S3ObjectStore::create(
    S3Options options, http::HttpClient& http, aws::CredentialsProvider& credentials,
    const core::Clock& clock, core::Random& random, observe::Logger* logger) {
  if (auto status = validateOptions(options); !status)
    return status.error();
  auto url = S3Url::make(options);
  if (!url)
    return url.error();
  return std::unique_ptr<S3ObjectStore>(
      new S3ObjectStore(std::move(options), std::move(url).value(), http, credentials, clock,
                        random, logger != nullptr ? *logger : nullLogger()));
}

S3ObjectStore::S3ObjectStore(S3Options options, S3Url url, http::HttpClient& http,
                             aws::CredentialsProvider& credentials, const core::Clock& clock,
                             core::Random& random, observe::Logger& logger)
    : options_(std::move(options)),
      url_(std::move(url)),
      random_(random),
      logger_(logger),
      transport_(url_, options_, http, credentials, clock, random),
      create_policy_(options_.conditional_create) {}

std::string S3ObjectStore::location() const {
  return url_.location();
}

core::Status S3ObjectStore::flush(std::span<const std::string> keys) {
  // Nothing to make durable; the keys are still checked, as every other call checks them.
  for (const auto& key : keys) {
    if (auto stored = url_.storedKey(key); !stored)
      return stored.error();
  }
  return core::okStatus();
}

std::string S3ObjectStore::subject(std::string_view key) const {
  return fmt::format("'{}' in {}", key, url_.location());
}

core::Result<PutOutcome> S3ObjectStore::put(std::string_view key, std::string_view bytes,
                                            const PutOptions& options) {
  auto stored = url_.storedKey(key);
  if (!stored)
    return stored.error();
  bool if_none_match = false;
  if (options.mode == PutMode::kCreateOnly) {
    auto method = create_policy_.method([this] { return probeConditionalCreate(); });
    if (!method)
      return method.error();
    if (*method == CreateMethod::kHeadThenPut) {
      auto existing = headObject(*stored, key);
      if (existing)
        return PutOutcome::kAlreadyExists;
      if (existing.error().code != core::ErrorCode::kNotFound)
        return existing.error();
    } else {
      if_none_match = true;
    }
  }
  auto written = putObject(*stored, key, bytes, options, if_none_match);
  if (written)
    return PutOutcome::kWritten;
  if (if_none_match && written.error().code == core::ErrorCode::kAlreadyExists) {
    return PutOutcome::kAlreadyExists;
  }
  return written.error();
}

core::Result<http::HttpResponse> S3ObjectStore::putObject(const std::string& stored_key,
                                                          std::string_view key,
                                                          std::string_view bytes,
                                                          const PutOptions& options,
                                                          bool if_none_match) {
  S3Call call;
  call.operation = aws::s3_api::kPutObject.name;
  call.method = "PUT";
  call.stored_key = stored_key;
  call.body = std::string(bytes);
  const std::string digest = aws::sha256(bytes);
  call.payload_sha256_hex = aws::hexEncode(digest);
  call.headers.emplace_back("Content-Type", options.content_type.empty()
                                                ? std::string("application/octet-stream")
                                                : options.content_type);
  if (!options.content_encoding.empty()) {
    call.headers.emplace_back("Content-Encoding", options.content_encoding);
  }
  if (options_.checksum == Checksum::kSha256) {
    call.headers.emplace_back("x-amz-checksum-sha256", checksumSha256(digest));
  } else {
    call.headers.emplace_back("Content-MD5", contentMd5(bytes));
  }
  if (!options_.sse.empty()) {
    call.headers.emplace_back("x-amz-server-side-encryption", options_.sse);
    if (!options_.kms_key_id.empty()) {
      call.headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", options_.kms_key_id);
    }
  }
  if (if_none_match)
    call.headers.emplace_back("If-None-Match", "*");
  return transport_.execute(call, subject(key));
}

core::Result<std::string> S3ObjectStore::get(std::string_view key) {
  auto stored = url_.storedKey(key);
  if (!stored)
    return stored.error();
  S3Call call;
  call.operation = aws::s3_api::kGetObject.name;
  call.method = "GET";
  call.stored_key = *stored;
  // S3 answers with the Content-Encoding the object was stored with; the request asks the HTTP
  // client not to decode (signCall), so a gzip object's bytes come back as stored.
  auto response = transport_.execute(call, subject(key));
  if (!response)
    return response.error();
  return std::move(response->body);
}

core::Result<ObjectInfo> S3ObjectStore::head(std::string_view key) {
  auto stored = url_.storedKey(key);
  if (!stored)
    return stored.error();
  return headObject(*stored, key);
}

core::Result<ObjectInfo> S3ObjectStore::headObject(const std::string& stored_key,
                                                   std::string_view key) {
  S3Call call;
  call.operation = aws::s3_api::kHeadObject.name;
  call.method = "HEAD";
  call.stored_key = stored_key;
  auto response = transport_.execute(call, subject(key));
  if (!response)
    return response.error();
  const auto size = contentLength(*response);
  if (!size) {
    return core::makeError(core::ErrorCode::kTransient,
                           fmt::format("S3 HeadObject {}: no Content-Length", subject(key)));
  }
  return ObjectInfo{std::string(key), *size};
}

core::Result<std::vector<ObjectInfo>> S3ObjectStore::list(std::string_view prefix) {
  const std::string stored_prefix = url_.storedPrefix(prefix);
  const std::string what = fmt::format("prefix '{}' of {}", prefix, url_.location());
  std::vector<ObjectInfo> objects;
  std::string token;
  while (true) {
    S3Call call;
    call.operation = aws::s3_api::kListObjectsV2.name;
    call.method = "GET";
    call.query = listQuery(stored_prefix, token, options_.list_page_size);
    auto response = transport_.execute(call, what);
    if (!response)
      return response.error();
    auto page = parseListPage(response->body);
    if (!page)
      return core::makeError(page.error().code, fmt::format("{} ({})", page.error().message, what));
    for (ObjectInfo& object : page->objects) {
      std::string relative;
      if (url_.relativeKey(object.key, relative)) {
        objects.push_back(ObjectInfo{std::move(relative), object.size});
      }
    }
    if (!page->truncated)
      break;
    if (page->next_token == token) {
      return core::makeError(core::ErrorCode::kTransient,
                             fmt::format("S3 ListObjectsV2 {}: the server repeated its "
                                         "continuation token",
                                         what));
    }
    token = std::move(page->next_token);
  }
  // S3 lists in UTF-8 byte order, each key once. fauxqs pages in locale order ("^GSPC" before
  // "AAPL") while resuming after its token in byte order, which repeats keys across pages:
  // sorting and dropping repeats restores the contract there, at no cost where order is right.
  const auto by_key = [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; };
  if (!std::is_sorted(objects.begin(), objects.end(), by_key)) {
    std::stable_sort(objects.begin(), objects.end(), by_key);
    const auto same = [](const ObjectInfo& a, const ObjectInfo& b) { return a.key == b.key; };
    objects.erase(std::unique(objects.begin(), objects.end(), same), objects.end());
  }
  return objects;
}

core::Status S3ObjectStore::remove(std::string_view key) {
  auto stored = url_.storedKey(key);
  if (!stored)
    return stored.error();
  return deleteObject(*stored, key);
}

core::Status S3ObjectStore::deleteObject(const std::string& stored_key, std::string_view key) {
  S3Call call;
  call.operation = aws::s3_api::kDeleteObject.name;
  call.method = "DELETE";
  call.stored_key = stored_key;
  // S3 answers 204 for a missing key; servers that say 404 NoSuchKey mean the same. A missing
  // bucket stays an error.
  call.accept = [](const http::HttpResponse& response) {
    return response.status == 404 && !missingBucket(response);
  };
  auto response = transport_.execute(call, subject(key));
  if (!response)
    return response.error();
  return core::okStatus();
}

core::Status S3ObjectStore::checkBucket() {
  S3Call call;
  call.operation = aws::s3_api::kListObjectsV2.name;
  call.method = "GET";
  call.query = listQuery(url_.storedPrefix(""), "", 1);
  auto response = transport_.execute(call, url_.location());
  if (!response) {
    const core::Error& error = response.error();
    if (error.code == core::ErrorCode::kNotFound) {
      return core::makeError(
          core::ErrorCode::kNotFound,
          fmt::format("configuration: S3 bucket '{}' does not exist at {} (region {}): check the "
                      "lake URI, the endpoint and the region ({})",
                      url_.bucketName(), url_.endpoint().origin(), options_.region, error.message));
    }
    return error;
  }
  if (auto page = parseListPage(response->body); !page)
    return page.error();
  auto method = create_policy_.method([this] { return probeConditionalCreate(); });
  if (!method)
    return method.error();
  return core::okStatus();
}

core::Result<CreateMethod> S3ObjectStore::probeConditionalCreate() {
  const std::string key = std::string(kProbeKeyPrefix) + core::newUuid(random_);
  auto stored = url_.storedKey(key);
  if (!stored)
    return stored.error();
  PutOptions options;
  options.content_type = "text/plain";
  const std::string_view body = "rawfeed conditional-create probe; safe to delete\n";
  const auto status = [](const core::Result<http::HttpResponse>& result) -> core::Status {
    if (result)
      return core::okStatus();
    return result.error();
  };
  const core::Status first = status(putObject(*stored, key, body, options, true));
  core::Status second;
  if (first)
    second = status(putObject(*stored, key, body, options, true));
  auto decision = decideFromProbe(first, second);
  if (first) {
    if (auto removed = deleteObject(*stored, key); !removed) {
      logger_.warn(
          "s3_probe_cleanup_failed",
          {{"location", url_.location()}, {"key", key}, {"error", removed.error().describe()}});
    }
  }
  if (!decision)
    return decision;
  if (*decision == CreateMethod::kHeadThenPut) {
    logger_.warn("s3_conditional_create_unsupported",
                 {{"location", url_.location()},
                  {"endpoint", url_.endpoint().origin()},
                  {"fallback", "head+put"},
                  {"why",
                   "the server does not honour If-None-Match: * (a second create-only PUT of one "
                   "key was not refused with 412)"},
                  {"effect",
                   "create-only puts cost a HEAD and a PUT, and two writers racing on one key "
                   "may both write it"}});
  } else {
    logger_.info("s3_conditional_create",
                 {{"location", url_.location()}, {"method", createMethodName(*decision)}});
  }
  return decision;
}

}  // namespace rawfeed::store::s3
