#include "app/cli_overrides.h"

#include <filesystem>
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

core::Status applyDomainOverrides(const CommandOptions& options, config::DomainConfig& domain) {
  if (options.lake)
    domain.lake = *options.lake;
  if (options.queue_uri)
    domain.queue_uri = *options.queue_uri;
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
