#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/exit_codes.h"
#include "pipeline/batch_request.h"

namespace rawfeed::app {

// What the command line says; every trigger field optional (contracts §1), the rest overrides
// the domain's configuration for this process.
struct CommandOptions {
  std::filesystem::path config_path = "rawfeed.toml";
  std::string domain;
  // Trigger fields.
  std::optional<std::vector<std::string>> symbols;
  std::optional<std::filesystem::path> universe;
  std::optional<std::string> period, start, end, interval, file_format, batch_id, batch_ds,
      correlation_id;
  std::optional<std::string> fetch;  // --fetch incremental|period
  std::optional<bool> gzip;          // --gzip / --no-gzip: the same as --compression gzip|none
  std::optional<std::string> compression;  // --compression none|gzip|zstd
  bool overwrite = false;
  std::optional<std::filesystem::path> event_file;  // a trigger event document ("-": stdin)
  // Domain overrides.
  std::optional<std::string> lake;
  std::optional<std::string> queue_uri;
  std::optional<std::filesystem::path> state_dir;
  std::optional<std::string> source_url;
  std::optional<int> concurrency;  // requests in flight to the source
  std::optional<int> workers;      // deliveries in progress at once
  // Behaviour.
  bool forever = false;   // work: keep consuming after the queue drains
  bool no_probe = false;  // run: skip the reachability check of the source
  bool dry_run = false;   // run, orchestrate: print the plan, send nothing
  std::string log_level = "info";
  std::optional<bool> progress;  // default: a bar on a terminal, plain lines otherwise
  // dlq: which messages.
  std::optional<std::string> dlq_symbol, dlq_error_class, dlq_message_id;
  std::optional<double> dlq_min_age_seconds;
  int limit = 20;
  // serve: where to listen (overrides [server]).
  std::optional<int> port;
  std::optional<std::string> bind;
  // status: ask a running `rawfeed serve` instead of reading the state directory.
  std::optional<std::string> daemon_url;
  // package: where the zip goes, and the configuration bundled as rawfeed.toml.
  std::optional<std::filesystem::path> package_out;
  std::optional<std::filesystem::path> package_config;
  // gaps: the audit as JSON; fetch what is missing (with dry_run: print the plan).
  bool json = false;
  bool fill = false;
  // Not a flag: the per-symbol windows `gaps --fill` planned, set on the run's batch after it is
  // prepared (BatchRequest::symbol_windows).
  std::optional<std::vector<pipeline::SymbolWindow>> symbol_windows;
};

enum class DlqAction { kList, kShow, kRedrive, kPurge };

int runCommand(const CommandOptions& options);
int orchestrateCommand(const CommandOptions& options);
int workCommand(const CommandOptions& options);
int validateCommand(const CommandOptions& options);
int statusCommand(const CommandOptions& options);
int serveCommand(const CommandOptions& options);
int provisionCommand(const CommandOptions& options);
int dlqCommand(const CommandOptions& options, DlqAction action);
int lambdaCommand(const CommandOptions& options);
int packageCommand(const CommandOptions& options);
int gapsCommand(const CommandOptions& options);

}  // namespace rawfeed::app
