#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/commands.h"
#include "config/config.h"
#include "core/result.h"
#include "pipeline/batch_request.h"

namespace rawfeed::app {

// Puts the command line's domain overrides (--lake, --queue, --state, --source-url,
// --concurrency, --workers) over one domain's configuration. --state becomes absolute;
// --source-url must be http:// or https:// and loses its trailing slashes. kInvalidInput naming
// the flag when a value breaks its rule; the domain is then left partly overridden.
core::Status applyDomainOverrides(const CommandOptions& options, config::DomainConfig& domain);

// --compression none|gzip|zstd and --gzip/--no-gzip over the trigger (an --event document's
// `compression` and `gzip` included): the flags replace both fields. kInvalidInput for an
// unknown codec or flags that contradict each other (--no-gzip --compression gzip).
core::Status applyCompressionFlags(const CommandOptions& options, pipeline::TriggerEvent& trigger);

// A lake and a queue given outside the configuration (flags, the function's environment) over
// the domain's, read by the same parsers as the file; kInvalidInput prefixed with `lake_origin`
// or `queue_origin` (the flag or variable) when one is not a location rawfeed knows.
struct LocationOverrides {
  const std::optional<std::string>& lake;
  std::string_view lake_origin;
  const std::optional<std::string>& queue;
  std::string_view queue_origin;
};
core::Status applyLocationOverrides(const LocationOverrides& given, config::DomainConfig& domain);

// `rawfeed serve`'s overrides: the domain overrides over every domain, and --port and --bind
// over [server].
core::Status applyServeOverrides(const CommandOptions& options, config::Config& config);

}  // namespace rawfeed::app
