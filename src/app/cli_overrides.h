#pragma once

#include "app/commands.h"
#include "config/config.h"
#include "core/result.h"

namespace rawfeed::app {

// Puts the command line's domain overrides (--lake, --queue, --state, --source-url,
// --concurrency, --workers) over one domain's configuration. --state becomes absolute;
// --source-url must be http:// or https:// and loses its trailing slashes. kInvalidInput naming
// the flag when a value breaks its rule; the domain is then left partly overridden.
core::Status applyDomainOverrides(const CommandOptions& options, config::DomainConfig& domain);

// `rawfeed serve`'s overrides: the domain overrides over every domain, and --port and --bind
// over [server].
core::Status applyServeOverrides(const CommandOptions& options, config::Config& config);

}  // namespace rawfeed::app
