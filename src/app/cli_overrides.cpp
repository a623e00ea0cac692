#include "app/cli_overrides.h"

#include <filesystem>
#include <optional>
#include <string>

namespace rawfeed::app {

namespace {

core::Result<std::string> sourceUrl(const std::string& given) {
  if (given.rfind("http://", 0) != 0 && given.rfind("https://", 0) != 0) {
    return core::makeError(
        core::ErrorCode::kInvalidInput,
        "--source-url must start with http:// or https:// (got '" + given + "')");
  }
  std::string url = given;
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

}  // namespace

core::Status applyLocationOverrides(const LocationOverrides& given, config::DomainConfig& domain) {
  if (given.lake) {
    auto lake = config::parseLakeLocation(*given.lake);
    if (!lake.ok()) {
      return core::makeError(lake.error().code,
                             std::string(given.lake_origin) + ": " + lake.error().message);
    }
    domain.lake = std::move(lake).value();
  }
  if (given.queue) {
    auto queue = config::parseQueueLocation(*given.queue);
    if (!queue.ok()) {
      return core::makeError(queue.error().code,
                             std::string(given.queue_origin) + ": " + queue.error().message);
    }
    domain.queue_location = std::move(queue).value();
  }
  return core::okStatus();
}

core::Status applyDomainOverrides(const CommandOptions& options, config::DomainConfig& domain) {
  if (auto applied =
          applyLocationOverrides({options.lake, "--lake", options.queue_uri, "--queue"}, domain);
      !applied.ok()) {
    return applied;
  }
  if (options.state_dir)
    domain.state_dir = std::filesystem::absolute(*options.state_dir);
  if (options.source_url) {
    auto url = sourceUrl(*options.source_url);
    if (!url.ok())
      return url.error();
    domain.source.base_url = std::move(url).value();
  }
  if (options.concurrency) {
    if (*options.concurrency < 1 || *options.concurrency > 1024) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             "--concurrency must be between 1 and 1024");
    }
    domain.requests_in_flight = *options.concurrency;
  }
  if (options.workers) {
    if (*options.workers < 1 || *options.workers > 256) {
      return core::makeError(core::ErrorCode::kInvalidInput, "--workers must be between 1 and 256");
    }
    domain.worker_concurrency = *options.workers;
  }
  return core::okStatus();
}

core::Status applyCompressionFlags(const CommandOptions& options, pipeline::TriggerEvent& trigger) {
  if (!options.compression && !options.gzip)
    return core::okStatus();
  std::optional<core::Compression> compression;
  if (options.compression) {
    auto parsed = core::parseCompression(*options.compression);
    if (!parsed.ok()) {
      return core::makeError(parsed.error().code, "--compression: " + parsed.error().message);
    }
    compression = *parsed;
  }
  if (options.gzip && compression && *options.gzip != (*compression == core::Compression::kGzip)) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           std::string(*options.gzip ? "--gzip" : "--no-gzip") +
                               " contradicts --compression " + *options.compression);
  }
  if (!compression)
    compression = *options.gzip ? core::Compression::kGzip : core::Compression::kNone;
  trigger.compression = *compression;
  trigger.gzip.reset();
  return core::okStatus();
}

core::Status applyServeOverrides(const CommandOptions& options, config::Config& config) {
  if (options.port)
    config.server.port = *options.port;
  if (options.bind)
    config.server.bind = *options.bind;
  for (auto& [name, domain] : config.domains) {
    if (auto applied = applyDomainOverrides(options, domain); !applied.ok())
      return applied;
  }
  return core::okStatus();
}

}  // namespace rawfeed::app
