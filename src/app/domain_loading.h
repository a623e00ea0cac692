#pragma once

#include "app/commands.h"
#include "config/config.h"
#include "core/result.h"

namespace rawfeed::app {

// The configuration with this process's overrides applied to the chosen domain.
struct LoadedDomain {
  config::Config config;
  config::DomainConfig domain;
};

// Loads --config and picks --domain (the only one when the file has one), with the command
// line's overrides applied. kInvalidInput naming the domains configured when --domain is unknown
// or missing.
core::Result<LoadedDomain> loadDomain(const CommandOptions& options);

}  // namespace rawfeed::app
