// `rawfeed serve`: every domain's worker pool and scheduler, the HTTP API and dashboard, metrics
// sampling and alarms, in one long-running process (app/daemon.h).
#include <iostream>

#include "app/cli_overrides.h"
#include "app/commands.h"
#include "app/daemon.h"
#include "app/log_file.h"
#include "app/signal_watcher.h"

namespace rawfeed::app {

namespace {

// The configuration with this process's overrides.
core::Result<config::Config> loadServeConfig(const CommandOptions& options) {
  auto loaded = config::loadConfig(options.config_path);
  if (!loaded.ok())
    return loaded.error();
  config::Config config = std::move(loaded).value();
  if (config.domains.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           options.config_path.string() + ": no domain is configured");
  }
  if (auto applied = applyServeOverrides(options, config); !applied.ok())
    return applied.error();
  return config;
}

// The log lives in the first domain's state directory, and serve's console shows every line.
core::Result<std::unique_ptr<observe::JsonLinesLogger>> openServeLogger(
    const config::Config& config, const CommandOptions& options) {
  return openLogger(config.domains.begin()->second.state_dir, options.log_level,
                    ConsoleEcho::kSameAsFile);
}

// Runs until the first SIGINT/SIGTERM, then drains; a second signal cancels the source requests
// in flight.
void serveUntilSignalled(Daemon& daemon) {
  SignalWatcher signals([&daemon] { daemon.requestStop(); },
                        [&daemon] { daemon.cancelSourceRequests(); });
  daemon.waitForStopRequest();
  daemon.stop();
}

}  // namespace

int serveCommand(const CommandOptions& options) {
  SignalWatcher::blockStopSignals();
  auto config = loadServeConfig(options);
  if (!config.ok())
    return reportFailure(config.error());
  auto logger = openServeLogger(*config, options);
  if (!logger.ok())
    return reportFailure(logger.error());
  auto daemon = Daemon::open(std::move(config).value(), **logger, core::systemClock());
  if (!daemon.ok())
    return reportFailure(daemon.error());
  if (auto started = (*daemon)->start(); !started.ok())
    return reportFailure(started.error());
  std::cout << "rawfeed serve listening on " << (*daemon)->baseUrl() << std::endl;
  serveUntilSignalled(**daemon);
  return kExitOk;
}

}  // namespace rawfeed::app
